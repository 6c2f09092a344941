import assert from "node:assert/strict";
import { test } from "node:test";
import { languages, pickable, placeholder } from "../app/template";
import type { Template } from "../app/types";

const tpl = (name: string, language: string, kind: Template["kind"], body = name): Template => ({ id: name + language, name, language, body, params: 0, kind });
const items = [
  tpl("Order shipped", "en_US", "waba", "Your order {{1}} is on its way"),
  tpl("Заказ отправлен", "ru", "waba", "Ваш заказ {{1}} в пути"),
  tpl("Saludo", "es", "quick_reply", "¡Hola! ¿En qué le puedo ayudar?"),
  tpl("Приветствие", "ru", "quick_reply", "Здравствуйте!"),
  tpl("Thanks", "", "quick_reply", "Thank you!"),
];
const names = (list: Template[]) => list.map((x) => x.name + "/" + x.language);

test("the employee's language first, then any language, then the rest", () => {
  assert.deepEqual(names(pickable(items, { query: "", language: "" }, "ru")),
    ["Заказ отправлен/ru", "Приветствие/ru", "Thanks/", "Order shipped/en_US", "Saludo/es"]);
  assert.deepEqual(languages(items, "es"), ["es", "en", "ru"]);
});

test("a language button keeps that language and the replies for any language", () => {
  assert.deepEqual(names(pickable(items, { query: "", language: "en" }, "ru")), ["Thanks/", "Order shipped/en_US"]);
});

test("search looks in names and texts, accents and case aside", () => {
  assert.deepEqual(names(pickable(items, { query: "hola", language: "" }, "en")), ["Saludo/es"]);
  assert.deepEqual(names(pickable(items, { query: "ЗАКАЗ в пути", language: "" }, "en")), ["Заказ отправлен/ru"]);
  assert.deepEqual(names(pickable(items, { query: "en que", language: "es" }, "en")), ["Saludo/es"]);
  assert.deepEqual(pickable(items, { query: "nothing like it", language: "" }, "en"), []);
});

test("the first blank of a quick reply is found for the composer to select", () => {
  assert.deepEqual(placeholder("Hello {{1}}, your {{2}}"), { start: 6, end: 11 });
  assert.equal(placeholder("No blanks"), null);
});
