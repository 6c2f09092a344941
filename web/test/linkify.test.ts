import assert from "node:assert/strict";
import { test } from "node:test";
import { linkify } from "../app/linkify";

const links = (s: string) => linkify(s).filter((t) => "href" in t).map((t) => ("href" in t ? t.kind + " " + t.href : ""));

test("addresses, e-mails and phones become links; the rest stays text", () => {
  assert.deepEqual(links("Смотрите https://shop.example.com/a?b=1, или www.example.org."), ["url https://shop.example.com/a?b=1", "url https://www.example.org"]);
  assert.deepEqual(links("(see https://en.wikipedia.org/wiki/Foo_(bar)) ok"), ["url https://en.wikipedia.org/wiki/Foo_(bar)"]);
  assert.deepEqual(links("пишите на sales@example.com или звоните +7 916 123-45-67!"), ["email mailto:sales@example.com", "phone tel:+79161234567"]);
  assert.deepEqual(links("8 (916) 123-45-67"), ["phone tel:89161234567"]);
  assert.deepEqual(links("Заказ от 2026-11-30 на 18 000 ₽, код 123456"), []);
  assert.equal(linkify("<b>hi</b> https://x.example/").map((t) => t.text).join(""), "<b>hi</b> https://x.example/");
});
