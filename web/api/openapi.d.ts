// Generated from docs/openapi.yaml by internal/apidoc: do not edit. After changing the
// document, run `go test ./internal/apidoc -run TestTypeScript -update`.

export type Attachment = {
  /** seconds */
  duration?: number;
  error?: ErrorRef;
  height?: number;
  id: string;
  mime: string;
  name: string;
  size: number;
  thumbnail_url?: string;
  /** a signed link valid 30–40 minutes */
  url: string;
  width?: number;
};

export type AuditEntry = {
  action: string;
  created_at: string;
  details: Record<string, unknown>;
  employee: WorkspaceRef;
  id: string;
  target: string;
};

export type Author = {
  /** null for a group's member */
  employee_id: string | null;
  name: string;
};

export type BlacklistEntry = {
  blocked_at: string;
  blocked_by: WorkspaceRef;
  contact: {
    id: string;
    name: string;
    phones: string[];
    /** 0: none */
    telegram_user_id: number;
    telegram_username: string;
  };
  refused_count: number;
};

/** {configured: false} alone on a hub without a chats channel */
export type CRMChats = {
  /** calls to amojo not made yet */
  backlog?: number;
  configured: boolean;
  connected?: boolean;
  connections?: {
    id: string;
    kind: ConnectionKind;
    name: string;
    /** 0: the main one */
    pipeline_id: number;
  }[];
  enabled?: boolean;
  last_error?: string;
  pipelines?: {
    id: number;
    is_main: boolean;
    name: string;
  }[];
};

export type CabinetConnection = {
  created_at: string;
  default_responsible_user_id: number;
  /** when an admin switched it off (null while on) */
  disabled_at: string | null;
  external_id: string;
  health: Health;
  id: string;
  in_subscription: boolean;
  kind: ConnectionKind;
  name: string;
  settings: {
    delivery?: "webhook" | "polling";
    display_phone?: string;
    username?: string;
    waba_id?: string;
  };
  state: ConnectionState;
  status: string;
  status_detail: string;
  webhook_url: string;
};

export type CabinetTemplate = {
  body: string;
  category: string;
  id: string;
  kind: "waba" | "quick_reply";
  language: string;
  name: string;
  params: number;
  /** Meta's: APPROVED, PENDING, REJECTED, … */
  status: string;
  updated_at: string;
};

export type CabinetWorkspace = {
  created_at: string;
  crm: {
    account_id: number;
    base_url: string;
    kind: string;
  };
  id: string;
  name: string;
  subscription: Subscription;
  sync: SyncProgress;
  widget_available: boolean;
  /** the public URL is one the CRM's HTTPS pages can load the widget from (https://, or a loopback http://) */
  widget_https: boolean;
};

export type Chat = {
  blocked: boolean;
  connection: ConnectionRef;
  contact_id: string | null;
  /** the caller's draft; GET /api/v1/chats/{id} only */
  draft?: string;
  id: string;
  kind: "private" | "group";
  last_activity_at: string;
  last_message: Message | null;
  /** inbound messages kept out of sight while the contact was blocked */
  refused_count: number;
  /** MAX: the customer stopped the bot */
  stopped: boolean;
  title: string;
  unanswered: boolean;
  unanswered_count: number;
  window: Window | null;
};

export type ChatEvent = {
  chat_id: string;
  data: Chat;
  seq: number;
  type: "chat.updated";
};

export type ChatListEntry = ContactEntry | GroupEntry;

export type ChatListPage = {
  items: ChatListEntry[];
  next_cursor: string | null;
};

/** a connection was put in or taken out of the subscription, or switched off or on; data is the connection as it is now */
export type ConnectionEvent = {
  chat_id: "<nil>" | null;
  data: ConnectionSummary;
  seq: number;
  type: "connection.updated";
};

export type ConnectionKind = "waba" | "telegram_bot" | "max_bot";

export type ConnectionRef = {
  id: string;
  kind: ConnectionKind;
  name: string;
};

/** The worst that applies, measured (internal/connections.State) */
export type ConnectionState = "disabled" | "working" | "auth_failed" | "not_in_subscription" | "not_receiving" | "refusing" | "not_verified" | "send_failing";

export type ConnectionSummary = {
  /** an admin switched it off; sends and new chats answer 409 connection_disabled */
  disabled: boolean;
  id: string;
  in_subscription: boolean;
  kind: ConnectionKind;
  name: string;
  state: ConnectionState;
  status: string;
};

export type Contact = {
  avatar_url: string;
  blocked: boolean;
  crm_contact_ids: number[];
  email: string;
  id: string;
  max_user_id: number | null;
  max_username: string;
  name: string;
  phones: string[];
  telegram_user_id: number | null;
  telegram_username: string;
};

export type ContactEntry = {
  /** most recently active first */
  chats: Chat[];
  contact: Contact;
  /** the first of chats */
  open_chat_id: string;
  type: "contact";
};

export type ContactEvent = {
  chat_id: "<nil>" | null;
  data: Contact;
  seq: number;
  type: "contact.updated";
};

export type CreateChatRequest = {
  connection_id: string;
  contact_id?: string;
  crm_contact_id?: number;
  max_user_id?: number;
  name?: string;
  /** as typed; local forms read with the workspace's country */
  phone?: string;
  /** a numeric id or @username */
  telegram?: string;
};

export type CreateConnectionRequest = {
  /** WABA */
  access_token?: string;
  /** WABA */
  app_secret?: string;
  /** Telegram or MAX */
  bot_token?: string;
  default_responsible_user_id?: number;
  /** MAX */
  delivery?: "webhook" | "polling";
  kind: ConnectionKind;
  name?: string;
  /** WABA */
  phone_number_id?: string;
  /** WABA: 8–256 of A-Za-z0-9_.~-; made by the hub when absent */
  verify_token?: string;
  /** WABA */
  waba_id?: string;
};

export type CreatedConnection = {
  connection: CabinetConnection;
  setup: {
    /** WABA, shown this once */
    verify_token?: string;
    webhook_url: string;
  };
};

export type CredentialsRequest = {
  /** WABA */
  access_token?: string;
  /** WABA */
  app_secret?: string;
  /** Telegram or MAX */
  bot_token?: string;
  /** WABA: a wrong phone number id corrected (checked like a new number's; not a secret) */
  phone_number_id?: string;
};

export type Draft = {
  chat_id: string;
  text: string;
};

export type DraftRequest = {
  text: string;
};

export type Employee = {
  crm_user_id: number;
  email: string;
  id: string;
  is_admin: boolean;
  name: string;
  role: "admin" | "manager";
};

export type EmployeeEntry = {
  active: boolean;
  crm_admin: boolean;
  crm_lang: string;
  crm_user_id: number;
  email: string;
  /** the chat window profile; null when the user never opened the chat window */
  employee: {
    created_at: string;
    id: string;
    lang: string;
    role: "admin" | "manager";
  } | null;
  fetched_at: string | null;
  group_id: number;
  name: string;
  /** the CRM's rights object as cached */
  rights: Record<string, unknown> | null;
};

/** the CRM changed this socket's employee's language or role (F34); only their own sockets get it, and the window switches language without a reload */
export type EmployeeEvent = {
  chat_id: "<nil>" | null;
  data: {
    lang: string;
    role: "admin" | "manager";
  };
  seq: number;
  type: "employee.updated";
};

/** Any error (an unknown route, a method the path does not have) */
export type Error = {
  error: {
    chat_id?: string;
    code: string;
    connection_id?: string;
    field?: string;
    message: string;
    part?: string;
    reason?: string;
  };
};

export type Error400 = {
  error: {
    code: "bad_request" | "invalid_field" | "query_too_short" | "invalid_text";
    /** invalid_field: the field at fault */
    field?: string;
    message: string;
  };
};

export type Error401 = {
  error: {
    code: "unauthorized";
    message: string;
  };
};

export type Error402 = {
  error: {
    code: "subscription_inactive" | "subscription_unpaid" | "connection_not_in_subscription" | "templates_unpaid";
    message: string;
  };
};

export type Error403 = {
  error: {
    code: "forbidden" | "cabinet_admins_only" | "install_state_mismatch" | "crm_access_denied" | "chat_access_denied";
    message: string;
  };
};

export type Error404 = {
  error: {
    code: "not_found" | "crm_not_connected" | "contact_not_found";
    message: string;
  };
};

export type Error405 = {
  error: {
    code: "method_not_allowed";
    message: string;
  };
};

export type Error409 = {
  error: {
    /** chat_exists: the chat, when the caller may see it */
    chat_id?: string;
    code: "chat_exists" | "chat_blocked" | "bot_stopped" | "connection_exists" | "connection_in_use" | "name_taken" | "connection_disabled" | "message_not_reactable";
    /** connection_exists: the connection already there */
    connection_id?: string;
    /** name_taken: the field at fault */
    field?: string;
    message: string;
  };
};

export type Error413 = {
  error: {
    code: "too_large";
    message: string;
  };
};

export type Error422 = {
  error: {
    code: "invalid_phone" | "not_on_whatsapp" | "waba_window_closed" | "one_file_per_message" | "connection_check_failed" | "templates_not_supported" | "unknown_crm_user" | "widget_needs_https" | "reactions_not_supported" | "typing_not_supported";
    /** unknown_crm_user: the field at fault */
    field?: string;
    message: string;
    /** connection_check_failed: the provider's words */
    reason?: string;
  };
};

export type Error429 = {
  error: {
    code: "rate_limited";
    message: string;
  };
};

export type Error500 = {
  error: {
    code: "internal";
    message: string;
  };
};

export type Error501 = {
  error: {
    code: "feature_missing" | "crm_adapter_missing";
    message: string;
    /** feature_missing: the part of the hub that is not built in */
    part?: string;
  };
};

export type Error502 = {
  error: {
    code: "channel_auth_failed" | "crm_unavailable" | "signal_failed";
    message: string;
  };
};

export type Error503 = {
  error: {
    code: "unavailable" | "operator_api_disabled" | "crm_not_configured";
    message: string;
    /** crm_not_configured: the settings the CRM integration lacks */
    part?: string;
  };
};

export type ErrorRef = {
  code: string;
  message: string;
};

export type EventFrame = HelloFrame | ResyncFrame | MessageEvent | ChatEvent | ContactEvent | SubscriptionEvent | ConnectionEvent | EmployeeEvent;

/** events that were ready together (a message's message.created and chat.updated, committed at once; a replay), in seq order, as one WebSocket message; never hello or resync */
export type EventFrames = (MessageEvent | ChatEvent | ContactEvent | SubscriptionEvent | ConnectionEvent | EmployeeEvent)[];

export type EventTicket = {
  expires_at: string;
  ticket: string;
};

export type GroupEntry = {
  chat: Chat;
  type: "group";
};

export type Handoff = {
  code: string;
  expires_at: string;
  url: string;
};

export type Health = {
  last_refusal: "" | "signature" | "phone_number" | "secret_token";
  /** a hub error code */
  last_send_error: string;
  last_webhook_at: string | null;
  refused_last_hour: number;
  send_failed_last_hour: number;
  verified: boolean;
};

export type HelloFrame = {
  /** the workspace's current head */
  seq: number;
  type: "hello";
};

/** A message a blocked contact sent, kept out of the chats */
export type HiddenMessage = {
  attachments: {
    mime: string;
    name: string;
    size: number;
  }[];
  chat_id: string;
  connection_id: string;
  created_at: string;
  id: string;
  text: string;
  type: string;
};

export type Location = {
  address: string;
  latitude: number;
  longitude: number;
  name: string;
};

export type Me = {
  employee: Employee;
  lang: "ru" | "en" | "es";
  /** the hub runs with --sandbox */
  sandbox: boolean;
  workspace: WorkspaceRef;
};

export type Message = {
  attachments: Attachment[];
  author: Author | null;
  chat_id: string;
  client_id: string | null;
  contacts: SharedContact[] | null;
  created_at: string;
  direction: "in" | "out";
  edited: boolean;
  error: ErrorRef | null;
  id: string;
  location: Location | null;
  order: Order | null;
  reactions: Reaction[];
  removed: boolean;
  reply_to: string | null;
  status: MessageStatus;
  template: TemplateRef | null;
  text: string;
  type: "text" | "image" | "video" | "audio" | "voice" | "file" | "sticker" | "location" | "contacts" | "order" | "template" | "system";
};

export type MessageEvent = {
  chat_id: string;
  data: Message;
  seq: number;
  type: "message.created" | "message.updated";
};

export type MessagePage = {
  items: Message[];
  next_cursor: string | null;
};

export type MessageStatus = "queued" | "sending" | "sent" | "delivered" | "read" | "failed";

export type OperatorWorkspace = {
  created_at: string;
  crm_account_id: number;
  crm_base_url: string;
  crm_kind: string;
  id: string;
  name: string;
  subscription: Subscription;
};

export type Order = {
  currency: string;
  items: OrderItem[];
  total: string;
};

export type OrderItem = {
  currency: string;
  name: string;
  /** a decimal string */
  price: string;
  quantity: number;
  sku: string;
};

export type QuickReplyRequest = {
  body: string;
  /** whose employees see it first in the chat window's picker; "" (the default) for any language */
  language?: "" | "ru" | "en" | "es";
  name: string;
};

/** A customer's reaction (from is their messenger id) or the business's (employee_id set, from empty) */
export type Reaction = {
  emoji: string;
  employee_id?: string;
  from: string;
};

/** the log no longer reaches back to since; reload, then carry on from the hello's seq */
export type ResyncFrame = {
  type: "resync";
};

export type SendMessageRequest = {
  /** upload ids */
  attachments?: string[];
  /** the sender's id of the message (a UUID); the same again sends nothing */
  client_id: string;
  reply_to?: string;
  template?: {
    id: string;
    params?: string[];
  };
  text?: string;
};

export type Session = {
  employee: Employee;
  expires_at: string;
  lang: "ru" | "en" | "es";
  token: string;
  /** the subscription lets the window say before a send that it will be refused */
  workspace: {
    id: string;
    name: string;
    subscription: Subscription;
  };
};

export type SharedContact = {
  name: string;
  phones: string[];
};

export type Subscription = {
  active: boolean;
  /** active and not past ends_at */
  active_now: boolean;
  /** null when it never ends */
  ends_at: string | null;
  paid: boolean;
  templates_paid: boolean;
};

export type SubscriptionChange = {
  active?: boolean;
  ends_at?: string | null;
  paid?: boolean;
  templates_paid?: boolean;
};

/** the workspace's subscription changed (the operator API, an install); the window switches by itself when an active one's ends_at passes */
export type SubscriptionEvent = {
  chat_id: "<nil>" | null;
  data: Subscription;
  seq: number;
  type: "subscription.updated";
};

export type SyncProgress = {
  contacts: number;
  error: {
    code: "crm_sync_failed";
  } | null;
  finished_at: string | null;
  leads: number;
  started_at: string | null;
  state: "idle" | "running" | "done" | "failed";
  users: number;
} | {
  /** the part of the hub that is not built in */
  missing: string;
  state: "unavailable";
};

export type Template = {
  body: string;
  id: string;
  kind: "waba" | "quick_reply";
  language: string;
  name: string;
  /** how many {{n}} placeholders */
  params: number;
};

export type TemplateList = {
  items: Template[];
};

export type TemplateRef = {
  id: string;
  name: string;
  params: string[];
};

export type UpdateConnectionRequest = {
  /** 0: none */
  default_responsible_user_id?: number;
  /** MAX */
  delivery?: "webhook" | "polling";
  name?: string;
};

export type Upload = {
  id: string;
  mime: string;
  name: string;
  size: number;
};

/** A private WABA chat's 24-hour window for free-form messages */
export type Window = {
  expires_at: string | null;
  kind: "waba";
  open: boolean;
};

export type WorkspaceRef = {
  id: string;
  name: string;
};

/** Each operation's JSON request body (never: none) and success answer (null: no body). */
export interface Operations {
  "DELETE /api/cabinet/v1/blacklist/{contact_id}": { request: never; response: null };
  "DELETE /api/cabinet/v1/connections/{id}": { request: never; response: null };
  "DELETE /api/cabinet/v1/quick-replies/{id}": { request: never; response: null };
  "DELETE /api/cabinet/v1/session": { request: never; response: null };
  "DELETE /api/v1/contacts/{id}/block": { request: never; response: Contact };
  "GET /api/cabinet/v1/audit": { request: never; response: {
      items: AuditEntry[];
    } };
  "GET /api/cabinet/v1/blacklist": { request: never; response: {
      items: BlacklistEntry[];
    } };
  "GET /api/cabinet/v1/blacklist/{contact_id}/messages": { request: never; response: {
      items: HiddenMessage[];
    } };
  "GET /api/cabinet/v1/connections": { request: never; response: {
      items: CabinetConnection[];
    } };
  "GET /api/cabinet/v1/connections/{id}/templates": { request: never; response: {
      items: CabinetTemplate[];
    } };
  "GET /api/cabinet/v1/crm-chats": { request: never; response: CRMChats };
  "GET /api/cabinet/v1/employees": { request: never; response: {
      items: EmployeeEntry[];
    } };
  "GET /api/cabinet/v1/install": { request: never; response: never };
  "GET /api/cabinet/v1/me": { request: never; response: Me };
  "GET /api/cabinet/v1/quick-replies": { request: never; response: {
      items: CabinetTemplate[];
    } };
  "GET /api/cabinet/v1/widget.zip": { request: never; response: Blob };
  "GET /api/cabinet/v1/workspace": { request: never; response: CabinetWorkspace };
  "GET /api/operator/v1/workspaces": { request: never; response: {
      items: OperatorWorkspace[];
    } };
  "GET /api/operator/v1/workspaces/{id}/connections": { request: never; response: {
      items: ConnectionSummary[];
    } };
  "GET /api/v1/chats": { request: never; response: ChatListPage };
  "GET /api/v1/chats/{id}": { request: never; response: Chat };
  "GET /api/v1/chats/{id}/messages": { request: never; response: MessagePage };
  "GET /api/v1/connections": { request: never; response: {
      items: ConnectionSummary[];
    } };
  "GET /api/v1/contacts/{id}": { request: never; response: Contact };
  "GET /api/v1/events": { request: never; response: never };
  "GET /api/v1/files/{id}": { request: never; response: Blob };
  "GET /api/v1/templates": { request: never; response: TemplateList };
  "GET /healthz": { request: never; response: {
      status: "ok";
    } };
  "GET /metrics": { request: never; response: Blob };
  "GET /readyz": { request: never; response: {
      database: "ok";
      status: "ok";
    } };
  "OPTIONS /api/v1/sessions": { request: never; response: null };
  "PATCH /api/cabinet/v1/connections/{id}": { request: UpdateConnectionRequest; response: CabinetConnection };
  "POST /api/cabinet/v1/connections": { request: CreateConnectionRequest; response: CreatedConnection };
  "POST /api/cabinet/v1/connections/{id}/disable": { request: never; response: CabinetConnection };
  "POST /api/cabinet/v1/connections/{id}/enable": { request: never; response: CabinetConnection };
  "POST /api/cabinet/v1/connections/{id}/templates/sync": { request: never; response: {
      items: CabinetTemplate[];
    } };
  "POST /api/cabinet/v1/connections/{id}/verify-token": { request: never; response: CreatedConnection };
  "POST /api/cabinet/v1/employees/refresh": { request: never; response: {
      items: EmployeeEntry[];
    } };
  "POST /api/cabinet/v1/handoff": { request: never; response: Handoff };
  "POST /api/cabinet/v1/quick-replies": { request: QuickReplyRequest; response: CabinetTemplate };
  "POST /api/cabinet/v1/session": { request: {
      handoff?: string;
    }; response: Me };
  "POST /api/cabinet/v1/sync": { request: never; response: SyncProgress };
  "POST /api/v1/chats": { request: CreateChatRequest; response: Chat };
  "POST /api/v1/chats/{id}/messages": { request: SendMessageRequest; response: Message };
  "POST /api/v1/chats/{id}/messages/{message_id}/retry": { request: never; response: Message };
  "POST /api/v1/chats/{id}/no-reply-needed": { request: never; response: Chat };
  "POST /api/v1/chats/{id}/typing": { request: never; response: null };
  "POST /api/v1/events/ticket": { request: never; response: EventTicket };
  "POST /api/v1/sessions": { request: never; response: Session };
  "POST /api/v1/uploads": { request: FormData; response: Upload };
  "PUT /api/cabinet/v1/connections/{id}/credentials": { request: CredentialsRequest; response: CabinetConnection };
  "PUT /api/cabinet/v1/crm-chats": { request: {
      enabled: boolean;
    }; response: CRMChats };
  "PUT /api/cabinet/v1/crm-chats/connections/{id}": { request: {
      pipeline_id: number;
    }; response: CRMChats };
  "PUT /api/cabinet/v1/quick-replies/{id}": { request: QuickReplyRequest; response: CabinetTemplate };
  "PUT /api/operator/v1/workspaces/{id}/connections/{connection_id}/subscription": { request: {
      in_subscription: boolean;
    }; response: ConnectionSummary };
  "PUT /api/operator/v1/workspaces/{id}/subscription": { request: SubscriptionChange; response: OperatorWorkspace };
  "PUT /api/v1/chats/{id}/draft": { request: DraftRequest; response: Draft };
  "PUT /api/v1/chats/{id}/messages/{message_id}/reaction": { request: {
      /** One emoji, or "" to take the reaction off */
      emoji: string;
    }; response: Message };
  "PUT /api/v1/contacts/{id}/block": { request: never; response: Contact };
}
