// How a chat's loaded history takes a fresh newest page (a reopened chat, a reconnect): pure, so
// the rules can be tested without a window.
import type { Message } from "./types";

// mergeNewest puts a fresh newest page over what is loaded. It keeps the loaded messages older
// than the page, and those newer than it: they came by event while the page was on its way
// (a page read before they were written does not hold them, and they would vanish until the
// chat was reopened).
export function mergeNewest(have: Message[], fresh: Message[]): Message[] {
  if (have.length === 0) return fresh;
  if (fresh.length === 0) return have;
  const ids = new Set(fresh.map((m) => m.id));
  const oldest = Date.parse(fresh[0].created_at);
  const newest = Date.parse(fresh[fresh.length - 1].created_at);
  const kept = have.filter((m) => !ids.has(m.id));
  return [
    ...kept.filter((m) => Date.parse(m.created_at) < oldest),
    ...fresh,
    ...kept.filter((m) => Date.parse(m.created_at) >= newest),
  ];
}
