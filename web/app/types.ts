// The shapes of ARCHITECTURE.md §3 (HTTP contract v1), as the chat window reads them.

export interface Employee {
  id: string;
  crm_user_id: number;
  name: string;
  email: string;
  role: string;
  is_admin: boolean;
}

export interface Session {
  token: string;
  expires_at: string;
  employee: Employee;
  lang: string;
  workspace: { id: string; name: string; subscription?: Subscription };
}

// The workspace's subscription, from the session and subscription.updated events.
export interface Subscription {
  active: boolean;
  paid: boolean;
  templates_paid: boolean;
  ends_at: string | null;
  active_now: boolean;
}

export interface Connection {
  id: string;
  kind: string;
  name: string;
  status?: string;
  in_subscription?: boolean;
  // disabled: an admin switched it off; state: what the cabinet shows (working, not_receiving, …).
  disabled?: boolean;
  state?: string;
}

export interface Contact {
  id: string;
  name: string;
  avatar_url: string | null; // "" when unknown
  phones: string[];
  telegram_username: string | null;
  telegram_user_id: number | null;
  max_user_id?: number | null;
  max_username?: string;
  email: string | null;
  blocked: boolean;
  crm_contact_ids: number[];
}

export interface Window {
  kind: "waba";
  open: boolean;
  expires_at: string | null;
}

export interface Chat {
  id: string;
  kind: "private" | "group";
  title: string;
  contact_id: string | null;
  connection: Connection;
  unanswered: boolean;
  unanswered_count: number;
  blocked: boolean;
  last_message: Message | null;
  last_activity_at: string;
  window: Window | null;
  refused_count?: number; // inbound messages kept out of a blocked chat (F28)
  draft?: string; // the caller's draft, on GET /chats/{id} only
  stopped?: boolean; // MAX: the customer stopped the bot; sending is refused until they start it
}

export type Entry =
  | { type: "contact"; contact: Contact; chats: Chat[]; open_chat_id: string }
  | { type: "group"; chat: Chat };

export interface Attachment {
  id: string;
  name: string;
  mime: string;
  size: number;
  url: string;
  duration?: number;
  width?: number;
  height?: number;
  thumbnail_url?: string;
  /** Why the file could not be fetched from the messenger (the file is lost). */
  error?: { code: string; message: string };
}

export interface OrderItem {
  sku: string;
  name: string;
  quantity: number;
  price: string; // a decimal string, "7.90": money is never a float on the wire
  currency: string;
}

export type MessageStatus = "queued" | "sending" | "sent" | "delivered" | "read" | "failed";

export interface Message {
  id: string;
  chat_id: string;
  client_id: string | null;
  direction: "in" | "out";
  type: string;
  text: string;
  attachments: Attachment[];
  order: { items: OrderItem[]; total: string; currency: string } | null;
  location: { latitude: number; longitude: number; name: string; address: string } | null;
  contacts: { name: string; phones: string[] }[] | null;
  template: { id: string; name: string; params: string[] } | null;
  author: { employee_id: string | null; name: string } | null; // an employee, or a group's member
  status: MessageStatus;
  error: { code: string; message: string } | null;
  reply_to: string | null;
  // A customer's (from: their messenger id) or the business's (employee_id: who set it).
  reactions: { emoji: string; from: string; employee_id?: string }[];
  edited?: boolean; // the customer changed the text afterwards (MAX)
  removed?: boolean; // the customer deleted the message (MAX); the hub keeps what it received
  created_at: string;
}

export interface Template {
  id: string;
  name: string;
  language: string;
  body: string;
  params: number;
  kind: "waba" | "quick_reply";
}

export interface Upload {
  id: string;
  name: string;
  mime: string;
  size: number;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

