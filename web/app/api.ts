// One place talks to the hub's HTTP API: the bearer token, JSON, and errors carrying the
// server's code and (localized) message.
import { t } from "./i18n";
import type { Chat, Connection, Contact, Entry, Message, Page, Session, Template, Upload } from "./types";

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly extra: Record<string, unknown> = {}) {
    super(message);
  }
}

let token = "";
let onUnauthorized: () => void = () => {};

export function setToken(value: string, unauthorized?: () => void) {
  token = value;
  if (unauthorized) onUnauthorized = unauthorized;
}

// request sends method path with an optional JSON (or FormData) body and decodes the answer.
export async function request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (token && !("X-Auth-Token" in headers)) (init.headers as Record<string, string>).Authorization = "Bearer " + token;
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) {
    init.body = JSON.stringify(body);
    (init.headers as Record<string, string>)["Content-Type"] = "application/json";
  }
  let res: Response;
  try {
    res = await fetch(path, init);
  } catch {
    throw new ApiError(0, "network", t("app.error.network"));
  }
  const text = await res.text();
  let data: any = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) {
    const e = data?.error;
    if (res.status === 401 && token) onUnauthorized();
    if (e?.code) {
      const { code, message, ...extra } = e;
      throw new ApiError(res.status, code, message || t("error." + code), extra);
    }
    throw new ApiError(res.status, "http_" + res.status, t("app.error.http", { status: res.status, path: path.split("?")[0] }));
  }
  return data as T;
}

const enc = encodeURIComponent;

// Scope of the chat list: the full page, or a deal or contact card.
export type Scope = { kind: "all" } | { kind: "lead"; id: number } | { kind: "contact"; id: number };

function scopeQuery(scope: Scope): string {
  if (scope.kind === "lead") return "crm_lead_id=" + scope.id;
  if (scope.kind === "contact") return "crm_contact_id=" + scope.id;
  return "scope=all";
}

export const api = {
  session: (crmToken: string) => request<Session>("POST", "/api/v1/sessions", undefined, { "X-Auth-Token": crmToken }),
  chats: (scope: Scope, q = "", cursor: string | null = null, limit = 50) =>
    request<Page<Entry>>("GET", `/api/v1/chats?${scopeQuery(scope)}${q ? "&q=" + enc(q) : ""}${cursor ? "&cursor=" + enc(cursor) : ""}&limit=${limit}`),
  chat: (id: string) => request<Chat>("GET", `/api/v1/chats/${enc(id)}`),
  messages: (id: string, cursor: string | null, limit = 50) =>
    request<Page<Message>>("GET", `/api/v1/chats/${enc(id)}/messages?limit=${limit}${cursor ? "&cursor=" + enc(cursor) : ""}`),
  send: (id: string, body: { client_id: string; text?: string; attachments?: string[]; template?: { id: string; params: string[] }; reply_to?: string }) =>
    request<Message>("POST", `/api/v1/chats/${enc(id)}/messages`, body),
  retry: (chatId: string, messageId: string) => request<Message>("POST", `/api/v1/chats/${enc(chatId)}/messages/${enc(messageId)}/retry`),
  react: (chatId: string, messageId: string, emoji: string) =>
    request<Message>("PUT", `/api/v1/chats/${enc(chatId)}/messages/${enc(messageId)}/reaction`, { emoji }),
  typing: (chatId: string) => request<null>("POST", `/api/v1/chats/${enc(chatId)}/typing`),
  noReplyNeeded: (id: string) => request<Chat>("POST", `/api/v1/chats/${enc(id)}/no-reply-needed`),
  createChat: (body: { connection_id: string; phone?: string; telegram?: string; max_user_id?: number; contact_id?: string; crm_contact_id?: number; name?: string }) =>
    request<Chat>("POST", "/api/v1/chats", body),
  block: (contactId: string, blocked: boolean) => request<Contact>(blocked ? "PUT" : "DELETE", `/api/v1/contacts/${enc(contactId)}/block`),
  contact: (id: string) => request<Contact>("GET", `/api/v1/contacts/${enc(id)}`),
  connections: () => request<{ items: Connection[] }>("GET", "/api/v1/connections"),
  templates: (connectionId: string) => request<{ items: Template[] }>("GET", `/api/v1/templates?connection_id=${enc(connectionId)}`),
  upload: (file: File | Blob, name: string) => {
    const form = new FormData();
    form.append("file", file, name);
    return request<Upload>("POST", "/api/v1/uploads", form);
  },
  draft: (id: string, text: string) => request<unknown>("PUT", `/api/v1/chats/${enc(id)}/draft`, { text }),
  ticket: () => request<{ ticket: string }>("POST", "/api/v1/events/ticket"),
};
