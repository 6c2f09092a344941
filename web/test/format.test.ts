import assert from "node:assert/strict";
import { test } from "node:test";
import { formatDuration, formatMoney, lang, langOf, setLang, t } from "../app/i18n";
import { fill } from "../app/template";
import { readParams } from "../app/session";

test("langOf follows F34: ru and es as they are, anything else English", () => {
  assert.equal(langOf("ru"), "ru");
  assert.equal(langOf("es-MX"), "es");
  assert.equal(langOf("pt"), "en");
  assert.equal(langOf(""), "en");
  assert.equal(langOf(undefined), "en");
});

test("t fills placeholders and speaks the current language", async () => {
  await setLang("ru");
  assert.equal(t("app.unanswered_n", { n: 3 }), "Без ответа: 3");
  assert.equal(t("error.chat_exists"), "Такой чат уже существует. Перейдите к нему по кнопке ниже.");
  await setLang("es");
  assert.equal(t("app.create.go_to_chat"), "Ir al chat");
  await setLang("en");
  assert.equal(t("app.no.such.key"), "app.no.such.key");
});

test("a switch of language keeps the old one's texts until the new one's are in", async () => {
  await setLang("en");
  const switching = setLang("ru");
  assert.equal(lang.value, "en");
  assert.equal(t("app.create.go_to_chat"), "Go to chat");
  await switching;
  assert.equal(lang.value, "ru");
  assert.equal(t("app.create.go_to_chat"), "Перейти");
});

test("t keeps a value's direction marks inside the value", async () => {
  await setLang("en");
  assert.equal(t("app.attach.remove", { name: "bill.png" }), "Remove bill.png");
  assert.equal(t("app.block.confirm", { name: "Ann \u202Egnp.exe" }).slice(0, 21), "Block \u2068Ann \u202Egnp.exe\u2069?");
});

test("formatDuration writes m:ss and h:mm:ss", () => {
  assert.equal(formatDuration(7), "0:07");
  assert.equal(formatDuration(65.4), "1:05");
  assert.equal(formatDuration(3725), "1:02:05");
  assert.equal(formatDuration(-3), "0:00");
});

test("formatMoney uses the language's conventions", () => {
  lang.value = "ru";
  assert.match(formatMoney(1500, "RUB"), /1\s500,00\s₽/);
  lang.value = "en";
  assert.equal(formatMoney(12.5, "USD"), "$12.50");
});

test("fill puts parameters into a template body", () => {
  assert.equal(fill("Hello {{1}}, your order {{2}} is ready", ["Ana", "#12"]), "Hello Ana, your order #12 is ready");
  assert.equal(fill("Hi {{1}} {{2}}", ["Ana"]), "Hi Ana {{2}}");
});

test("readParams reads the iframe URL and keeps only the host's origin", () => {
  const p = readParams("?mode=card&crm_lead_id=42&host=" + encodeURIComponent("https://acme.amocrm.ru/leads/detail/42"));
  assert.deepEqual(p, { mode: "card", leadId: 42, contactId: null, host: "https://acme.amocrm.ru", lang: null, devUser: null, devAccount: null });
  const bad = readParams("?crm_contact_id=x&host=javascript:alert(1)&dev_user=7&dev_account=fresh");
  assert.equal(bad.contactId, null);
  assert.equal(bad.host, "null");
  assert.equal(bad.devUser, 7);
  assert.equal(bad.devAccount, "fresh");
  assert.equal(bad.mode, "page");
  assert.equal(readParams("?mode=page&lang=es").lang, "es");
});
