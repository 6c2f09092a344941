// The chat window's state, as signals: the session, the chat list of the current scope, the open
// chat and the panels over it. Components read these; actions.ts and realtime.ts change them.
import { computed, signal } from "@preact/signals";
import type { Scope } from "./api";
import type { Params } from "./session";
import type { Chat, Connection, Contact, Entry, Message, Session } from "./types";

export const params = signal<Params>({ mode: "page", leadId: null, contactId: null, host: null, lang: null, devUser: null, devAccount: null });
export const session = signal<Session | null>(null);
export const bootError = signal<string | null>(null);

export const scope = computed<Scope>(() => {
  const p = params.value;
  if (p.leadId !== null) return { kind: "lead", id: p.leadId };
  if (p.contactId !== null) return { kind: "contact", id: p.contactId };
  return { kind: "all" };
});
export const isCard = computed(() => params.value.mode === "card" || scope.value.kind !== "all");
export const isAdmin = computed(() => session.value?.employee.is_admin === true);

export const entries = signal<Entry[]>([]);
export const listCursor = signal<string | null>(null);
export const listLoading = signal(false);
export const listError = signal<string | null>(null);
export const query = signal("");
export const expanded = signal<ReadonlySet<string>>(new Set());

export const selectedId = signal<string | null>(null);
// replyTo is the message the open chat's composer quotes, if any (select clears it).
export const replyTo = signal<string | null>(null);
export const panel = signal<null | "profile" | "create" | "templates" | "confirm-block">(null);
export const createFor = signal<{ contactId?: string; crmContactId?: number } | null>(null);
export const online = signal(true);
// refusal is the workspace-wide reason sends are refused (the subscription), from the session,
// the hub's subscription.updated events, the moment an active subscription ends, and the last
// send's answer: the composer shows it before the next send; a send that goes clears it.
export const refusal = signal<string | null>(null);
// connections of the workspace by id, for what a chat's own copy lacks (in_subscription).
export const connections = signal<ReadonlyMap<string, Connection>>(new Map());

export interface History {
  items: Message[]; // oldest first
  cursor: string | null;
  done: boolean;
  loading: boolean;
  error: string | null;
}
export const histories = signal<ReadonlyMap<string, History>>(new Map());

// shownEntries is the list as the window shows it: hub contacts linked to the same CRM contact
// (one person on two messengers) become one row holding all their chats, most recent first, at
// the place of the first of them. The API keeps one entry per hub contact.
export const shownEntries = computed(() => mergeByCRMContact(entries.value));

export function mergeByCRMContact(list: Entry[]): Entry[] {
  const out: Entry[] = [];
  const at = new Map<number, number>(); // CRM contact id → index in out
  for (const e of list) {
    if (e.type !== "contact") {
      out.push(e);
      continue;
    }
    const i = e.contact.crm_contact_ids?.map((id) => at.get(id)).find((x) => x !== undefined);
    if (i === undefined) {
      for (const id of e.contact.crm_contact_ids ?? []) at.set(id, out.length);
      out.push(e);
      continue;
    }
    const first = out[i] as Extract<Entry, { type: "contact" }>;
    const chats = [...first.chats, ...e.chats].sort((a, b) => (Date.parse(b.last_activity_at) || 0) - (Date.parse(a.last_activity_at) || 0));
    out[i] = { ...first, chats, open_chat_id: chats[0].id };
    for (const id of e.contact.crm_contact_ids ?? []) if (!at.has(id)) at.set(id, i);
  }
  return out;
}

// allChats is every chat in the list, by id.
export const allChats = computed(() => {
  const m = new Map<string, Chat>();
  for (const e of entries.value) {
    if (e.type === "group") m.set(e.chat.id, e.chat);
    else for (const c of e.chats) m.set(c.id, c);
  }
  return m;
});

// looseChats holds chats opened by id that the list does not show (e.g. "Go to chat").
export const looseChats = signal<ReadonlyMap<string, Chat>>(new Map());

export const selectedChat = computed(() => {
  const id = selectedId.value;
  return id ? allChats.value.get(id) ?? looseChats.value.get(id) ?? null : null;
});

export const unansweredTotal = computed(() => {
  let n = 0;
  for (const c of allChats.value.values()) if (c.unanswered && !c.blocked) n++;
  return n;
});

// entryKey gives the list order of SPEC F11: unanswered first, then latest activity.
export function entryKey(e: Entry): [boolean, number] {
  const chats = e.type === "group" ? [e.chat] : e.chats;
  let unanswered = false;
  let latest = 0;
  for (const c of chats) {
    if (c.unanswered && !c.blocked) unanswered = true;
    const at = Date.parse(c.last_activity_at) || 0;
    if (at > latest) latest = at;
  }
  return [unanswered, latest];
}

// LiveChanges are the chats and contacts that live events changed while a list page was on its way.
export interface LiveChanges {
  chats: Map<string, Chat>;
  contacts: Map<string, Contact>;
}

export const newLive = (): LiveChanges => ({ chats: new Map(), contacts: new Map() });

// keepLive puts back, into an entry of a page asked for before live changes arrived, what they
// changed: a chat unless the page holds a later version of it; a contact always, as it carries
// no time to compare and the page may have been read before its change (a block, a new name).
export function keepLive(e: Entry, live: LiveChanges): Entry {
  const newer = (c: Chat) => {
    const l = live.chats.get(c.id);
    return l && Date.parse(l.last_activity_at) >= Date.parse(c.last_activity_at) ? l : c;
  };
  if (e.type === "group") return { ...e, chat: newer(e.chat) };
  const next = { ...e, chats: e.chats.map(newer) };
  const contact = live.contacts.get(e.contact.id);
  return contact ? withContact(next, contact) : next;
}

// withContact gives a contact's entry its new version; its chats follow its block.
export function withContact(e: Entry & { type: "contact" }, c: Contact): Entry {
  return { ...e, contact: c, chats: e.chats.map((x) => ({ ...x, blocked: c.blocked })) };
}

// sortEntries orders the list; the entry holding the open chat (keep) stays where it was in
// prev, so a chat just answered does not jump away from under the employee's eyes.
export function sortEntries(list: Entry[], keep: string | null = null, prev: Entry[] = []): Entry[] {
  const sorted = [...list].sort((a, b) => {
    const [ua, la] = entryKey(a);
    const [ub, lb] = entryKey(b);
    if (ua !== ub) return ua ? -1 : 1;
    return lb - la;
  });
  if (!keep) return sorted;
  const holds = (e: Entry) => (e.type === "group" ? e.chat.id === keep : e.chats.some((c) => c.id === keep));
  const was = prev.findIndex(holds);
  const now = sorted.findIndex(holds);
  if (was < 0 || now < 0 || was === now) return sorted;
  const [e] = sorted.splice(now, 1);
  sorted.splice(Math.min(was, sorted.length), 0, e);
  return sorted;
}

export function entryId(e: Entry): string {
  return e.type === "group" ? "g:" + e.chat.id : "c:" + e.contact.id;
}
