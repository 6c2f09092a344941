// The cabinet's calls to /api/cabinet/v1. The session is an HttpOnly cookie the browser sends by
// itself; requests and errors go through the chat window's one HTTP helper.
import { request } from "../app/api";
import type { AuditEntry, BlacklistEntry, HiddenMessage, CabinetConnection, CRMChats, Employee, Me, QuickReplyLanguage, SyncProgress, Template, Workspace } from "./types";

const p = "/api/cabinet/v1";
const enc = encodeURIComponent;

export type NewConnection =
  | { kind: "waba"; name: string; phone_number_id: string; waba_id: string; access_token: string; app_secret: string; verify_token: string; default_responsible_user_id: number }
  | { kind: "telegram_bot"; name: string; bot_token: string; default_responsible_user_id: number }
  | { kind: "max_bot"; name: string; bot_token: string; delivery: "webhook" | "polling"; default_responsible_user_id: number };

export type Created = { connection: CabinetConnection; setup: { webhook_url: string; verify_token?: string } };

export const cabinet = {
  me: () => request<Me>("GET", `${p}/me`),
  signInWithHandoff: (code: string) => request<Me>("POST", `${p}/session`, { handoff: code }),
  signOut: () => request<null>("DELETE", `${p}/session`),
  workspace: () => request<Workspace>("GET", `${p}/workspace`),
  startSync: () => request<SyncProgress>("POST", `${p}/sync`),
  employees: () => request<{ items: Employee[] }>("GET", `${p}/employees`),
  refreshEmployees: () => request<{ items: Employee[] }>("POST", `${p}/employees/refresh`),
  audit: () => request<{ items: AuditEntry[] }>("GET", `${p}/audit`),
  connections: () => request<{ items: CabinetConnection[] }>("GET", `${p}/connections`),
  createConnection: (body: NewConnection) => request<Created>("POST", `${p}/connections`, body),
  updateConnection: (id: string, body: { name?: string; default_responsible_user_id?: number; delivery?: "webhook" | "polling" }) =>
    request<CabinetConnection>("PATCH", `${p}/connections/${enc(id)}`, body),
  replaceCredentials: (id: string, body: { access_token?: string; app_secret?: string; phone_number_id?: string; bot_token?: string }) =>
    request<CabinetConnection>("PUT", `${p}/connections/${enc(id)}/credentials`, body),
  setDisabled: (id: string, off: boolean) => request<CabinetConnection>("POST", `${p}/connections/${enc(id)}/${off ? "disable" : "enable"}`),
  rotateVerifyToken: (id: string) => request<Created>("POST", `${p}/connections/${enc(id)}/verify-token`),
  deleteConnection: (id: string) => request<null>("DELETE", `${p}/connections/${enc(id)}`),
  templates: (id: string) => request<{ items: Template[] }>("GET", `${p}/connections/${enc(id)}/templates`),
  syncTemplates: (id: string) => request<{ items: Template[] }>("POST", `${p}/connections/${enc(id)}/templates/sync`),
  quickReplies: () => request<{ items: Template[] }>("GET", `${p}/quick-replies`),
  saveQuickReply: (id: string | null, body: { name: string; body: string; language: QuickReplyLanguage }) =>
    id ? request<Template>("PUT", `${p}/quick-replies/${enc(id)}`, body) : request<Template>("POST", `${p}/quick-replies`, body),
  deleteQuickReply: (id: string) => request<null>("DELETE", `${p}/quick-replies/${enc(id)}`),
  blacklist: () => request<{ items: BlacklistEntry[] }>("GET", `${p}/blacklist`),
  unblock: (contactId: string) => request<null>("DELETE", `${p}/blacklist/${enc(contactId)}`),
  hiddenMessages: (contactId: string) => request<{ items: HiddenMessage[] }>("GET", `${p}/blacklist/${enc(contactId)}/messages`),
  crmChats: () => request<CRMChats>("GET", `${p}/crm-chats`),
  setCRMChats: (enabled: boolean) => request<CRMChats>("PUT", `${p}/crm-chats`, { enabled }),
  setCRMChatsPipeline: (connectionId: string, pipelineId: number) =>
    request<CRMChats>("PUT", `${p}/crm-chats/connections/${enc(connectionId)}`, { pipeline_id: pipelineId }),
  installURL: `${p}/install`,
  widgetURL: `${p}/widget.zip`,
};
