import assert from "node:assert/strict";
import { test } from "node:test";
import { mergeNewest } from "../app/history";
import type { Message } from "../app/types";

function msg(id: string, at: string, text = id): Message {
  return {
    id, chat_id: "c", client_id: null, direction: "in", type: "text", text, attachments: [], order: null, location: null,
    contacts: null, template: null, author: null, status: "delivered", error: null, reply_to: null, reactions: [],
    created_at: `2026-11-30T10:${at}:00Z`,
  };
}
const ids = (ms: Message[]) => ms.map((m) => m.id);

test("a fresh newest page replaces its span and keeps older loaded messages", () => {
  const have = [msg("a", "00"), msg("b", "01"), msg("c", "02", "old text")];
  const fresh = [msg("b", "01"), msg("c", "02", "edited")];
  const got = mergeNewest(have, fresh);
  assert.deepEqual(ids(got), ["a", "b", "c"]);
  assert.equal(got[2].text, "edited");
});

test("a message that came by event while the page was on its way is kept", () => {
  // The page was read before "d" was written; its event reached the window first.
  const have = [msg("a", "00"), msg("b", "01"), msg("d", "03")];
  const fresh = [msg("a", "00"), msg("b", "01")];
  assert.deepEqual(ids(mergeNewest(have, fresh)), ["a", "b", "d"]);
});

test("an empty page keeps what came meanwhile; an empty history takes the page", () => {
  assert.deepEqual(ids(mergeNewest([msg("d", "03")], [])), ["d"]);
  assert.deepEqual(ids(mergeNewest([], [msg("a", "00")])), ["a"]);
});
