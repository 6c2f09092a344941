// Live updates over the hub's WebSocket (ARCHITECTURE.md §3 Realtime): a single-use ticket, then
// /api/v1/events?since=<last seq>. A dropped connection reconnects with backoff and replays what
// it missed; a "resync" frame (the log no longer reaches back) reloads everything.
import { api } from "./api";
import { applyChat, applyContact, applyMessage, applySubscription, reloadAll, scheduleReload } from "./actions";
import { notify } from "./notify";
import { lang, langOf, setLang } from "./i18n";
import { connections, online, session } from "./state";
import type { Chat, Connection, Contact, Message, Subscription } from "./types";

let seq: number | null = null;
// head is the log's head as the current socket's hello gave it: after a resync the reloaded
// state is at least that new, so a later reconnection replays from there.
let head: number | null = null;
let socket: WebSocket | null = null;
let attempt = 0;
let timer = 0;

let greeted: (() => void) | null = null;

// connect opens the socket; the promise settles once the hub has said hello (or the first try
// failed), so the first list can be loaded after the socket's starting point and no change made
// in between is missed.
export function connect(): Promise<void> {
  clearTimeout(timer);
  return new Promise((resolve) => {
    greeted = resolve;
    open().catch(() => {
      resolve();
      retryLater();
    });
  });
}

async function open() {
  const { ticket } = await api.ticket();
  const url = new URL("/api/v1/events", location.href);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  url.searchParams.set("ticket", ticket);
  if (seq !== null) url.searchParams.set("since", String(seq));
  const ws = new WebSocket(url);
  socket = ws;
  ws.onmessage = (ev) => {
    let msg: SocketMessage;
    try {
      msg = JSON.parse(ev.data);
    } catch {
      return;
    }
    for (const frame of Array.isArray(msg) ? msg : [msg]) handle(frame);
  };
  ws.onopen = () => {
    attempt = 0;
    online.value = true;
  };
  ws.onclose = () => {
    greeted?.();
    greeted = null;
    if (socket !== ws) return;
    socket = null;
    retryLater();
  };
}

// retryLater waits longer after each failure; the offline banner stays quiet for a first blip.
function retryLater() {
  attempt++;
  if (attempt >= 2) online.value = false;
  const delay = Math.min(30_000, 500 * 2 ** Math.min(attempt, 6)) * (0.75 + Math.random() / 2);
  timer = window.setTimeout(connect, delay);
}

/** A frame of the event socket as handle reads it (docs/openapi.yaml, EventFrame). */
export type Frame = { type: string; seq?: number; chat_id?: string | null; data?: unknown };
/** One WebSocket message: a frame, or the events that were ready together, in seq order
 *  (docs/openapi.yaml, EventFrames: a message's message.created and chat.updated, a replay). */
export type SocketMessage = Frame | Frame[];

function handle(frame: Frame) {
  switch (frame.type) {
    case "hello":
      if (typeof frame.seq === "number") head = frame.seq;
      // A first connection starts from the head; a reconnection got its replay already. What
      // happened between the first list load and this head (a new customer's first message) is
      // in no replay, so the list is loaded once more.
      if (seq === null && typeof frame.seq === "number") {
        seq = frame.seq;
        performance.mark("switchboard:hello"); // the first-load steps (docs/performance.md)
        scheduleReload();
      }
      online.value = true;
      greeted?.();
      greeted = null;
      return;
    case "resync":
      seq = head;
      performance.mark("switchboard:resync"); // seen by tools and the browser tests
      reloadAll();
      return;
  }
  if (typeof frame.seq === "number") {
    if (seq !== null && frame.seq <= seq) return; // already seen
    seq = frame.seq;
  }
  switch (frame.type) {
    case "message.created":
      applyMessage(frame.data as Message);
      if ((frame.data as Message).direction === "in") notify(frame.data as Message);
      return;
    case "message.updated":
      applyMessage(frame.data as Message);
      return;
    case "chat.updated":
      applyChat(frame.data as Chat);
      return;
    case "contact.updated":
      applyContact(frame.data as Contact);
      return;
    case "subscription.updated":
      applySubscription(frame.data as Subscription);
      return;
    case "employee.updated": {
      // The CRM changed this employee's language or role (F34): the window follows, no reload.
      const e = frame.data as { lang: string; role: string };
      setLang(langOf(e.lang)).then(() => { document.documentElement.lang = lang.value; }, () => {});
      const s = session.value;
      if (s) session.value = { ...s, lang: e.lang, employee: { ...s.employee, role: e.role } };
      return;
    }
    case "connection.updated": {
      // In or out of the subscription: the composer of its chats says so at once.
      const c = frame.data as Connection;
      connections.value = new Map(connections.value).set(c.id, c);
      return;
    }
  }
}

// The browser knowing it is offline shows the banner at once; wake-ups and network changes
// reconnect at once instead of waiting out the backoff.
window.addEventListener("offline", () => { online.value = false; });
window.addEventListener("online", () => {
  if (!socket) connect();
});
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible" && !socket && seq !== null) connect();
});
