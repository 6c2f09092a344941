// Shapes of the cabinet API's answers (docs/api.md, "Cabinet").
export type Me = {
  employee: { id: string; crm_user_id: number; name: string; email: string; role: string; is_admin: boolean };
  workspace: { id: string; name: string };
  lang: string;
  sandbox: boolean;
};

export type SyncProgress = {
  state: "idle" | "running" | "done" | "failed" | "unavailable";
  users?: number; contacts?: number; leads?: number;
  started_at?: string | null; finished_at?: string | null;
  error?: { code: string } | null;
  missing?: string;
};

// ends_at: null when it does not end; active_now: switched on and not yet ended.
export type Subscription = {
  active: boolean; paid: boolean; templates_paid: boolean; ends_at: string | null; active_now: boolean;
};

export type Workspace = {
  id: string; name: string; created_at: string;
  crm: { kind: string; account_id: number; base_url: string };
  subscription: Subscription;
  sync: SyncProgress;
  widget_available: boolean;
  widget_https: boolean;
};

// What was measured of a connection (docs/api.md, "Connections").
export type Health = {
  last_webhook_at: string | null; verified: boolean;
  refused_last_hour: number; last_refusal: string; send_failed_last_hour: number; last_send_error: string;
};

export type CabinetConnection = {
  id: string; kind: "waba" | "telegram_bot" | "max_bot"; name: string; external_id: string;
  state: "disabled" | "working" | "auth_failed" | "not_in_subscription" | "not_receiving" | "refusing" | "not_verified" | "send_failing";
  disabled_at: string | null; status: string; status_detail: string; health: Health;
  in_subscription: boolean; default_responsible_user_id: number; webhook_url: string;
  settings: Record<string, string>; created_at: string;
};

export type Template = {
  id: string; kind: string; name: string; language: string; body: string; params: number;
  status: string; category: string; updated_at: string;
};

export type HiddenMessage = {
  id: string; chat_id: string; connection_id: string; type: string; text: string;
  attachments: { name: string; mime: string; size: number }[]; created_at: string;
};

export type BlacklistEntry = {
  contact: { id: string; name: string; phones: string[]; telegram_username: string; telegram_user_id: number };
  blocked_by: { id: string; name: string }; blocked_at: string; refused_count: number;
};

export type Employee = {
  crm_user_id: number; name: string; email: string; crm_lang: string; group_id: number; crm_admin: boolean;
  active: boolean; rights: Record<string, unknown> | null; fetched_at: string | null;
  employee: { id: string; role: string; lang: string; created_at: string } | null;
};

export type AuditEntry = {
  id: string; action: string; target: string; details: Record<string, unknown>; created_at: string;
  employee: { id: string; name: string };
};

// The mirror into amoCRM's own chats (GET /api/cabinet/v1/crm-chats).
export type CRMChats = {
  configured: boolean;
  enabled?: boolean;
  connected?: boolean;
  last_error?: string;
  backlog?: number;
  pipelines?: { id: number; name: string; is_main: boolean }[];
  connections?: { id: string; name: string; kind: string; pipeline_id: number }[];
};

// A quick reply's language: one the product speaks, or "" for any.
export type QuickReplyLanguage = "" | "ru" | "en" | "es";
