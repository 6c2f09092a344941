// The front end's API calls held to docs/openapi.yaml, through the declarations generated from it
// (openapi.d.ts): every answer the hub may give must fit the type the chat window or the cabinet
// reads it as, and every body they send must fit what the hub takes. `npm run check` compiles this
// file, so a field renamed, retyped or dropped on either side fails it.
import type { ChatEvent, ContactEvent, EventFrame, EventFrames, MessageEvent, Operations, SubscriptionEvent } from "./openapi";
import type { api } from "../app/api";
import type { Frame, SocketMessage } from "../app/realtime";
import type { cabinet } from "../cabinet/api";
import type * as app from "../app/types";

/** Wire fits Hand: every value of Wire is one of Hand (tsc names the field when not). */
type Fit<Wire extends Hand, Hand> = [Wire, Hand];
type Answer<Op extends keyof Operations> = Operations[Op]["response"];
type Body<Op extends keyof Operations> = Operations[Op]["request"];
/** What a call of the front end's client resolves to. */
type Reads<F extends (...args: never[]) => Promise<unknown>> = Awaited<ReturnType<F>>;
type Api = typeof api;
type Cab = typeof cabinet;

// The chat window (web/app/api.ts).
export type ChatWindowAnswers = [
  Fit<Answer<"POST /api/v1/sessions">, Reads<Api["session"]>>,
  Fit<Answer<"GET /api/v1/chats">, Reads<Api["chats"]>>,
  Fit<Answer<"GET /api/v1/chats/{id}">, Reads<Api["chat"]>>,
  Fit<Answer<"GET /api/v1/chats/{id}/messages">, Reads<Api["messages"]>>,
  Fit<Answer<"POST /api/v1/chats/{id}/messages">, Reads<Api["send"]>>,
  Fit<Answer<"POST /api/v1/chats/{id}/messages/{message_id}/retry">, Reads<Api["retry"]>>,
  Fit<Answer<"PUT /api/v1/chats/{id}/messages/{message_id}/reaction">, Reads<Api["react"]>>,
  Fit<Answer<"POST /api/v1/chats/{id}/typing">, Reads<Api["typing"]>>,
  Fit<Answer<"POST /api/v1/chats/{id}/no-reply-needed">, Reads<Api["noReplyNeeded"]>>,
  Fit<Answer<"POST /api/v1/chats">, Reads<Api["createChat"]>>,
  Fit<Answer<"PUT /api/v1/contacts/{id}/block">, Reads<Api["block"]>>,
  Fit<Answer<"DELETE /api/v1/contacts/{id}/block">, Reads<Api["block"]>>,
  Fit<Answer<"GET /api/v1/contacts/{id}">, Reads<Api["contact"]>>,
  Fit<Answer<"GET /api/v1/connections">, Reads<Api["connections"]>>,
  Fit<Answer<"GET /api/v1/templates">, Reads<Api["templates"]>>,
  Fit<Answer<"POST /api/v1/uploads">, Reads<Api["upload"]>>,
  Fit<Answer<"PUT /api/v1/chats/{id}/draft">, Reads<Api["draft"]>>,
  Fit<Answer<"POST /api/v1/events/ticket">, Reads<Api["ticket"]>>,
  // Event frames (web/app/realtime.ts) carry the objects exactly as the HTTP answers render them.
  Fit<MessageEvent["data"], app.Message>,
  Fit<ChatEvent["data"], app.Chat>,
  Fit<ContactEvent["data"], app.Contact>,
  Fit<SubscriptionEvent["data"], app.Subscription>,
  Fit<EventFrame, Frame>,
  Fit<EventFrames, SocketMessage>,
];

export type ChatWindowBodies = [
  Fit<Parameters<Api["send"]>[1], Body<"POST /api/v1/chats/{id}/messages">>,
  Fit<Parameters<Api["createChat"]>[0], Body<"POST /api/v1/chats">>,
  Fit<{ text: string }, Body<"PUT /api/v1/chats/{id}/draft">>,
  Fit<{ emoji: string }, Body<"PUT /api/v1/chats/{id}/messages/{message_id}/reaction">>,
];

// The cabinet (web/cabinet/api.ts).
export type CabinetAnswers = [
  Fit<Answer<"GET /api/cabinet/v1/me">, Reads<Cab["me"]>>,
  Fit<Answer<"POST /api/cabinet/v1/session">, Reads<Cab["signInWithHandoff"]>>,
  Fit<Answer<"DELETE /api/cabinet/v1/session">, Reads<Cab["signOut"]>>,
  Fit<Answer<"GET /api/cabinet/v1/workspace">, Reads<Cab["workspace"]>>,
  Fit<Answer<"POST /api/cabinet/v1/sync">, Reads<Cab["startSync"]>>,
  Fit<Answer<"GET /api/cabinet/v1/employees">, Reads<Cab["employees"]>>,
  Fit<Answer<"POST /api/cabinet/v1/employees/refresh">, Reads<Cab["refreshEmployees"]>>,
  Fit<Answer<"GET /api/cabinet/v1/audit">, Reads<Cab["audit"]>>,
  Fit<Answer<"GET /api/cabinet/v1/connections">, Reads<Cab["connections"]>>,
  Fit<Answer<"POST /api/cabinet/v1/connections">, Reads<Cab["createConnection"]>>,
  Fit<Answer<"PATCH /api/cabinet/v1/connections/{id}">, Reads<Cab["updateConnection"]>>,
  Fit<Answer<"PUT /api/cabinet/v1/connections/{id}/credentials">, Reads<Cab["replaceCredentials"]>>,
  Fit<Answer<"POST /api/cabinet/v1/connections/{id}/disable">, Reads<Cab["setDisabled"]>>,
  Fit<Answer<"POST /api/cabinet/v1/connections/{id}/enable">, Reads<Cab["setDisabled"]>>,
  Fit<Answer<"POST /api/cabinet/v1/connections/{id}/verify-token">, Reads<Cab["rotateVerifyToken"]>>,
  Fit<Answer<"DELETE /api/cabinet/v1/connections/{id}">, Reads<Cab["deleteConnection"]>>,
  Fit<Answer<"POST /api/cabinet/v1/connections/{id}/disable">, Reads<Cab["setDisabled"]>>,
  Fit<Answer<"POST /api/cabinet/v1/connections/{id}/enable">, Reads<Cab["setDisabled"]>>,
  Fit<Answer<"POST /api/cabinet/v1/connections/{id}/verify-token">, Reads<Cab["rotateVerifyToken"]>>,
  Fit<Answer<"GET /api/cabinet/v1/connections/{id}/templates">, Reads<Cab["templates"]>>,
  Fit<Answer<"POST /api/cabinet/v1/connections/{id}/templates/sync">, Reads<Cab["syncTemplates"]>>,
  Fit<Answer<"GET /api/cabinet/v1/quick-replies">, Reads<Cab["quickReplies"]>>,
  Fit<Answer<"POST /api/cabinet/v1/quick-replies">, Reads<Cab["saveQuickReply"]>>,
  Fit<Answer<"PUT /api/cabinet/v1/quick-replies/{id}">, Reads<Cab["saveQuickReply"]>>,
  Fit<Answer<"DELETE /api/cabinet/v1/quick-replies/{id}">, Reads<Cab["deleteQuickReply"]>>,
  Fit<Answer<"GET /api/cabinet/v1/blacklist">, Reads<Cab["blacklist"]>>,
  Fit<Answer<"DELETE /api/cabinet/v1/blacklist/{contact_id}">, Reads<Cab["unblock"]>>,
  Fit<Answer<"GET /api/cabinet/v1/blacklist/{contact_id}/messages">, Reads<Cab["hiddenMessages"]>>,
  Fit<Answer<"GET /api/cabinet/v1/crm-chats">, Reads<Cab["crmChats"]>>,
  Fit<Answer<"PUT /api/cabinet/v1/crm-chats">, Reads<Cab["setCRMChats"]>>,
  Fit<Answer<"PUT /api/cabinet/v1/crm-chats/connections/{id}">, Reads<Cab["setCRMChatsPipeline"]>>,
];

export type CabinetBodies = [
  Fit<Parameters<Cab["createConnection"]>[0], Body<"POST /api/cabinet/v1/connections">>,
  Fit<Parameters<Cab["updateConnection"]>[1], Body<"PATCH /api/cabinet/v1/connections/{id}">>,
  Fit<Parameters<Cab["replaceCredentials"]>[1], Body<"PUT /api/cabinet/v1/connections/{id}/credentials">>,
  Fit<Parameters<Cab["saveQuickReply"]>[1], Body<"POST /api/cabinet/v1/quick-replies">>,
  Fit<Parameters<Cab["saveQuickReply"]>[1], Body<"PUT /api/cabinet/v1/quick-replies/{id}">>,
  Fit<{ handoff: string }, Body<"POST /api/cabinet/v1/session">>,
  Fit<{ enabled: boolean }, Body<"PUT /api/cabinet/v1/crm-chats">>,
  Fit<{ pipeline_id: number }, Body<"PUT /api/cabinet/v1/crm-chats/connections/{id}">>,
];

// Every call of the two clients is held above; a new one must be added here too (tsc names it).
export type AllCallsChecked = [
  Fit<Exclude<keyof Api, "session" | "chats" | "chat" | "messages" | "send" | "retry" | "react" | "typing" | "noReplyNeeded" |
    "createChat" | "block" | "contact" | "connections" | "templates" | "upload" | "draft" | "ticket">, never>,
  Fit<Exclude<keyof Cab, "me" | "signInWithHandoff" | "signOut" | "workspace" | "startSync" | "employees" |
    "refreshEmployees" | "audit" | "connections" | "createConnection" | "updateConnection" | "replaceCredentials" |
    "setDisabled" | "rotateVerifyToken" | "deleteConnection" | "templates" | "syncTemplates" | "quickReplies" |
    "saveQuickReply" | "deleteQuickReply" | "blacklist" | "hiddenMessages" | "unblock" | "crmChats" | "setCRMChats" |
    "setCRMChatsPipeline" | "installURL" | "widgetURL">, never>,
];
