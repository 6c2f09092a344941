import assert from "node:assert/strict";
import { test } from "node:test";
import { keepLive, mergeByCRMContact, newLive, sortEntries } from "../app/state";
import type { Chat, Entry } from "../app/types";

function chat(id: string, at: string, unanswered = false, blocked = false): Chat {
  return {
    id, kind: "private", title: id, contact_id: "c" + id, connection: { id: "w", kind: "waba", name: "W" }, unanswered,
    unanswered_count: unanswered ? 1 : 0, blocked, last_message: null, last_activity_at: at, window: null,
  };
}
const contact = (id: string, chats: Chat[]): Entry => ({
  type: "contact", contact: { id, name: id, avatar_url: null, phones: [], telegram_username: null, telegram_user_id: null, email: null, blocked: false, crm_contact_ids: [] },
  chats, open_chat_id: chats[0].id,
});

test("unanswered entries sort first, then the latest activity (F11)", () => {
  const list = [
    contact("old", [chat("1", "2026-01-01T10:00:00Z")]),
    contact("new", [chat("2", "2026-01-03T10:00:00Z")]),
    contact("waiting", [chat("3", "2025-12-01T10:00:00Z", true)]),
    { type: "group", chat: { ...chat("4", "2026-01-02T10:00:00.5Z"), kind: "group" } } as Entry,
    contact("blocked", [chat("5", "2026-01-02T12:00:00Z", true, true)]),
  ];
  const names = sortEntries(list).map((e) => (e.type === "group" ? "group" : e.contact.name));
  assert.deepEqual(names, ["waiting", "new", "blocked", "group", "old"]);
});

test("one person on two messengers (the same CRM contact) is one row with both chats", () => {
  const contact = (id: string, crm: number[]) => ({ id, name: id, avatar_url: "", phones: [], telegram_username: null, telegram_user_id: null, email: null, blocked: false, crm_contact_ids: crm });
  const wa = chat("wa", "2026-11-01T10:00:00Z");
  const tg = chat("tg", "2026-11-02T10:00:00Z");
  const other = chat("x", "2026-11-01T12:00:00Z");
  const list: Entry[] = [
    { type: "contact", contact: contact("a", [7]), chats: [wa], open_chat_id: "wa" },
    { type: "contact", contact: contact("b", [9]), chats: [other], open_chat_id: "x" },
    { type: "contact", contact: contact("c", [7]), chats: [tg], open_chat_id: "tg" },
    { type: "contact", contact: contact("d", []), chats: [chat("y", "2026-11-01T09:00:00Z")], open_chat_id: "y" },
  ];
  const got = mergeByCRMContact(list);
  assert.deepEqual(got.map((e) => (e.type === "contact" ? e.contact.id + ":" + e.chats.map((c) => c.id).join(",") : "")), ["a:tg,wa", "b:x", "d:y"]);
});

test("the entry of the open chat keeps its place when a change would move it", () => {
  const a = contact("a", [chat("1", "2026-01-01T10:00:00Z", true)]);
  const b = contact("b", [chat("2", "2026-01-02T10:00:00Z", true)]);
  const c = contact("c", [chat("3", "2026-01-03T10:00:00Z")]);
  const prev = sortEntries([a, b, c]); // b, a, c
  const answered = contact("b", [chat("2", "2026-01-04T10:00:00Z")]);
  const names = (l: Entry[]) => l.map((e) => (e.type === "contact" ? e.contact.name : ""));
  assert.deepEqual(names(sortEntries([a, answered, c])), ["a", "b", "c"]);
  assert.deepEqual(names(sortEntries([a, answered, c], "2", prev)), ["b", "a", "c"]);
});

test("a page asked for before live changes keeps them: a block, and a chat's newer version only", () => {
  const page = contact("z", [chat("1", "2026-01-02T10:00:00Z"), chat("2", "2026-01-02T10:00:00Z")]);
  const live = newLive();
  // The contact was blocked while the page was on its way: its contact event carries no time.
  live.contacts.set("z", { ...(page as Entry & { type: "contact" }).contact, blocked: true });
  // Chat 1 changed live before the page's copy of it; chat 2 changed after it (the page is newer).
  live.chats.set("1", { ...chat("1", "2026-01-02T10:00:00Z"), title: "live" });
  live.chats.set("2", { ...chat("2", "2026-01-01T10:00:00Z"), title: "stale" });
  const got = keepLive(page, live);
  assert.ok(got.type === "contact");
  assert.equal(got.contact.blocked, true);
  assert.deepEqual(got.chats.map((c) => [c.id, c.title, c.blocked]), [["1", "live", true], ["2", "2", true]]);
  // Nothing changed live: the page's entry as it came.
  assert.deepEqual(keepLive(page, newLive()), page);
});
