// What the chat window does: load the list and histories, send, and apply changes (from answers
// and from realtime events) to the state in one way.
import { api, ApiError } from "./api";
import { t } from "./i18n";
import {
  allChats, connections, entries, looseChats, expanded, histories, isCard, listCursor, listError, listLoading,
  keepLive, newLive, panel, query, refusal, replyTo, scope, selectedId, sortEntries, withContact, type History,
} from "./state";
import { mergeNewest } from "./history";
import { connect } from "./realtime";
import type { Chat, Contact, Entry, Message, Subscription } from "./types";

const errorText = (e: unknown) => (e instanceof ApiError ? e.message : t("app.error.unexpected"));

// loadConnections reads the workspace's connections (their place in the subscription, for the
// composer); connection.updated events keep them current, a resync reads them again.
function loadConnections() {
  api.connections().then((r) => { connections.value = new Map(r.items.map((c) => [c.id, c])); }, () => {});
}

// live settles once the event socket has said hello (or its first try failed). From then on every
// change arrives as an event; a history read before it could miss a message sent in between,
// which no replay brings back, so histories wait for it.
let live: Promise<void> = Promise.resolve();

export async function start() {
  // The first list is asked for first and read while the socket opens, not after it (the first
  // load, docs/performance.md): the socket's hello reloads the list once more for what changed
  // between that read and the socket's starting point. The connections, which only a chat's
  // composer and the create form read, are asked for once the first list is on screen: on two
  // busy cores every answer handled alongside the list's delayed the list.
  const first = loadList(true);
  live = connect();
  first.then(() => afterPaint(loadConnections));
  await Promise.all([live, first]);
}

let listGen = 0;
let firstListMarked = false;

// liveDuringLoad holds the chats and contacts live events changed while a fresh first page was
// on its way: that answer may have been read before them, so it must not undo them.
let liveDuringLoad = newLive();

// loadList fetches the first page (fresh) or the next page of the list for the scope and query.
// A reload of the same list (keepPlace: a chat the list did not have, the socket's hello, a
// resync) leaves the open chat's row where it was, as a live update does: a chat just answered
// does not jump away from under the employee's eyes because something else reloaded the list.
export async function loadList(fresh: boolean, keepPlace = false) {
  const gen = fresh ? ++listGen : listGen;
  if (!fresh && (!listCursor.value || listLoading.value)) return;
  if (fresh) liveDuringLoad = newLive();
  listLoading.value = true;
  try {
    const q = query.value.trim();
    const page = await api.chats(scope.value, q.length >= 4 ? q : "", fresh ? null : listCursor.value);
    if (gen !== listGen) return;
    const items = page.items.map(normalize);
    entries.value = fresh ? sortEntries(items.map((e) => keepLive(e, liveDuringLoad)), keepPlace ? selectedId.value : null, entries.value) : [...entries.value, ...items];
    listCursor.value = page.next_cursor;
    listError.value = null;
    if (!firstListMarked) {
      firstListMarked = true;
      // A performance mark once the frame that draws the first list has been painted, so tools
      // and the browser test read when it reached the screen (docs/performance.md).
      afterPaint(() => performance.mark("switchboard:first-list"));
    }
    if (fresh && !openedInitial) {
      openedInitial = true;
      // The chat opens once the list is painted: drawing both at once kept the list off the
      // screen for as long as the chat took to render (the first load, docs/performance.md).
      afterPaint(() => { if (selectedId.value === null) openInitial(page.items); });
    }
  } catch (e) {
    if (gen === listGen) listError.value = errorText(e);
  } finally {
    if (gen === listGen) listLoading.value = false;
  }
}

// afterPaint runs fn once the browser has painted what is rendered now (at once in a hidden
// page, which paints nothing).
function afterPaint(fn: () => void) {
  if (document.visibilityState === "hidden") setTimeout(fn);
  else requestAnimationFrame(() => setTimeout(fn));
}

// openedInitial is set once the first list has had its chance to open a chat: later reloads
// (the socket's hello, a resync) never open one again, e.g. after the user went Back to the list.
let openedInitial = false;

// normalize fills what the server may leave out (a contact with no chats yet).
function normalize(e: Entry): Entry {
  return e.type === "contact" ? { ...e, chats: e.chats ?? [] } : e;
}

// openInitial opens the right chat in a card (F12: the last conversation's chat, the latest
// message either way, not the unanswered one and not a chat just created empty); the full page
// waits for a click, except on wide screens where the first chat is opened.
function openInitial(items: Entry[]) {
  const first = items[0];
  if (!first) return;
  if (!isCard.value) {
    if (!onePane()) select(first.type === "group" ? first.chat.id : first.open_chat_id || first.chats[0]?.id);
    return;
  }
  select(lastConversation(items)?.id);
}

// lastConversation is the chat with the latest message among the entries, else the first chat.
export function lastConversation(items: Entry[]): Chat | undefined {
  const chats = items.flatMap((e) => (e.type === "group" ? [e.chat] : e.chats));
  let best: Chat | undefined;
  for (const c of chats) {
    const at = Date.parse(c.last_message?.created_at ?? "") || 0;
    if (at > 0 && (!best || at > (Date.parse(best.last_message!.created_at) || 0))) best = c;
  }
  return best ?? chats[0];
}

// onePane reports whether the window's frame is too narrow for the list and a chat side by side
// (the same 700 px as the stylesheet's container query on #root).
export function onePane(): boolean {
  return (document.getElementById("root")?.clientWidth ?? window.innerWidth) < 700;
}

let searchTimer = 0;
export function setQuery(q: string) {
  query.value = q;
  clearTimeout(searchTimer);
  const trimmed = q.trim();
  if (trimmed.length > 0 && trimmed.length < 4) return; // F9: fewer than 4 characters → no search
  searchTimer = window.setTimeout(() => loadList(true), 250);
}

export function select(id: string | undefined | null) {
  if (!id) return;
  if (id !== selectedId.value) replyTo.value = null;
  selectedId.value = id;
  if (panel.value === "profile") panel.value = null;
  if (!allChats.value.has(id) && !looseChats.value.has(id)) {
    api.chat(id).then(putLoose, (e) => { listError.value = errorText(e); });
  }
  const h = histories.value.get(id);
  if (!h) loadHistory(id);
}

function putLoose(c: Chat) {
  const next = new Map(looseChats.value);
  next.set(c.id, c);
  looseChats.value = next;
}

export function setExpanded(id: string, open: boolean) {
  const next = new Set(expanded.value);
  if (open) next.add(id);
  else next.delete(id);
  expanded.value = next;
}

function putHistory(id: string, h: History) {
  const next = new Map(histories.value);
  next.set(id, h);
  histories.value = next;
}

// loadHistory fetches the newest page, or the next page back in time when older is true.
export async function loadHistory(id: string, older = false) {
  const cur = histories.value.get(id);
  if (older && (!cur || cur.done || cur.loading)) return;
  putHistory(id, { items: cur?.items ?? [], cursor: cur?.cursor ?? null, done: cur?.done ?? false, loading: true, error: null });
  try {
    if (!older) await live;
    const page = await api.messages(id, older ? cur!.cursor : null);
    const got = [...page.items].reverse();
    const base = histories.value.get(id)!;
    const items = older ? [...got, ...base.items] : mergeNewest(base.items, got);
    putHistory(id, { items, cursor: older || !cur ? page.next_cursor : base.cursor ?? page.next_cursor, done: older || !cur ? page.next_cursor === null : base.done, loading: false, error: null });
  } catch (e) {
    const base = histories.value.get(id)!;
    putHistory(id, { ...base, loading: false, error: errorText(e) });
  }
}

// deliveryRank orders an outgoing message's progress.
const deliveryRank: Record<string, number> = { queued: 0, sending: 1, sent: 2, delivered: 3, read: 4 };

// behind tells a stale copy: the send's HTTP answer ("queued") can arrive after the event that
// already moved the message on, and a channel without receipts (Telegram, MAX) sends no later
// status that would put it right.
function behind(m: Message, have: Message): boolean {
  const next = deliveryRank[m.status], cur = deliveryRank[have.status];
  return next !== undefined && cur !== undefined && next < cur;
}

// applyMessage puts a created or updated message into its chat's history (by id, or by the
// client id of a message this window sent).
export function applyMessage(m: Message) {
  // The list's preview (and its "not sent" mark) follows a change of the chat's last message.
  const c = allChats.value.get(m.chat_id);
  const last = c?.last_message;
  if (c && last && (last.id === m.id || (m.client_id && last.client_id === m.client_id)) && last.status !== m.status) applyChat({ ...c, last_message: m });
  // A chat the list does not hold yet (just created) may be in a page read before this change:
  // read the list again once that page is in, or its row keeps the older status.
  if (!c && listLoading.value) scheduleReload();
  const h = histories.value.get(m.chat_id);
  if (!h) return;
  const items = [...h.items];
  const i = items.findIndex((x) => x.id === m.id || (m.client_id && x.client_id === m.client_id));
  if (i >= 0 && behind(m, items[i])) return;
  if (i >= 0) items[i] = m;
  else {
    let j = items.length;
    const at = Date.parse(m.created_at);
    while (j > 0 && Date.parse(items[j - 1].created_at) > at) j--;
    items.splice(j, 0, m);
  }
  putHistory(m.chat_id, { ...h, items });
}

// applyChat replaces a chat in the list (and re-sorts); a chat the list does not have yet is
// fetched with its contact on the next list load, so it is added by reloading the first page.
export function applyChat(c: Chat) {
  if (listLoading.value) liveDuringLoad.chats.set(c.id, c);
  let found = false;
  const next = entries.value.map((e): Entry => {
    if (e.type === "group" && e.chat.id === c.id) {
      found = true;
      return { ...e, chat: c };
    }
    if (e.type === "contact" && e.chats.some((x) => x.id === c.id)) {
      found = true;
      return { ...e, chats: e.chats.map((x) => (x.id === c.id ? c : x)) };
    }
    return e;
  });
  if (found) entries.value = sortEntries(next, selectedId.value, entries.value);
  else scheduleReload();
  if (looseChats.value.has(c.id)) putLoose(c);
}

export function applyContact(c: Contact) {
  if (listLoading.value) liveDuringLoad.contacts.set(c.id, c);
  entries.value = entries.value.map((e) => (e.type === "contact" && e.contact.id === c.id ? withContact(e, c) : e));
}

// scheduleReload reloads the list's first page shortly, once no load is on its way: a reload
// started while the first list was still coming (a card's first page waits for the deal to be
// re-read from the CRM, F33) threw that list away and kept the window empty twice as long.
let reloadTimer = 0;
export function scheduleReload() {
  clearTimeout(reloadTimer);
  reloadTimer = window.setTimeout(() => (listLoading.value ? scheduleReload() : loadList(true, true)), 300);
}

// reloadAll refetches the list, the connections and every open history (after a resync).
export async function reloadAll() {
  loadConnections();
  const open = [...histories.value.keys()];
  histories.value = new Map();
  await loadList(true, true);
  for (const id of open) if (id === selectedId.value) loadHistory(id);
}

export function uuid(): string {
  return crypto.randomUUID ? crypto.randomUUID() : "10000000-1000-4000-8000-100000000000".replace(/[018]/g, (c) =>
    (Number(c) ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (Number(c) / 4)))).toString(16));
}

export interface Outgoing {
  text?: string;
  attachments?: string[];
  template?: { id: string; params: string[] };
  reply_to?: string;
}

// send posts a message; the answer (or its refusal) is returned so the composer can show it.
// clientId names the message for the hub's deduplication: a caller sending the same message
// again after an error passes the same one, so a lost answer never sends it twice.
export async function send(chatId: string, out: Outgoing, clientId = uuid()): Promise<Message> {
  let m: Message;
  try {
    m = await api.send(chatId, { client_id: clientId, ...out });
  } catch (e) {
    if (e instanceof ApiError && e.code.startsWith("subscription_")) refusal.value = e.message;
    throw e;
  }
  refusal.value = null;
  applyMessage(m);
  return m;
}

let subscriptionEnd = 0;

// applySubscription shows in the composer why the subscription refuses sends, at once (from the
// session or an event) and again at the moment an active one ends.
export function applySubscription(sub: Subscription | undefined) {
  clearTimeout(subscriptionEnd);
  if (!sub) return;
  refusal.value = !sub.active_now ? t("error.subscription_inactive") : !sub.paid ? t("error.subscription_unpaid") : null;
  const left = sub.active_now && sub.ends_at ? Date.parse(sub.ends_at) - Date.now() : 0;
  if (left > 0 && left < 2 ** 31) subscriptionEnd = window.setTimeout(() => applySubscription({ ...sub, active_now: false }), left);
}

export async function retry(m: Message) {
  applyMessage(await api.retry(m.chat_id, m.id));
}

export async function react(m: Message, emoji: string) {
  applyMessage(await api.react(m.chat_id, m.id, emoji));
}

// The customer sees "typing…" for about 5 seconds after each signal: one every 4 seconds while
// the employee types keeps it on. A signal the messenger does not take is not worth an error.
const typingEvery = 4000;
const typedAt = new Map<string, number>();

export function typing(chatId: string) {
  const now = Date.now();
  if (now - (typedAt.get(chatId) ?? 0) < typingEvery) return;
  typedAt.set(chatId, now);
  api.typing(chatId).catch(() => undefined);
}

export async function noReplyNeeded(chatId: string) {
  applyChat(await api.noReplyNeeded(chatId));
}

export async function setBlocked(contactId: string, blocked: boolean) {
  applyContact(await api.block(contactId, blocked));
}

export function chatById(id: string | null): Chat | null {
  return id ? allChats.value.get(id) ?? null : null;
}
