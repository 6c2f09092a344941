// How the chat window gets its hub session (docs/architecture.md, "Widget"): inside the
// CRM the widget's script.js posts it; opened directly in sandbox mode, ?dev_user=<CRM user id>
// signs in as that demo user through the sandbox CRM's token endpoint (&dev_account=fresh: a
// user of the sandbox CRM's other account, the one the cabinet installs).
import { api, ApiError, request, setToken } from "./api";
import { t } from "./i18n";
import type { Session } from "./types";

export interface Params {
  mode: "page" | "card";
  leadId: number | null;
  contactId: number | null;
  host: string | null; // the parent's origin, from ?host=
  lang: string | null; // the CRM's language, from ?lang=: the texts to load before the session says
  devUser: number | null;
  devAccount: string | null;
}

export function readParams(search: string): Params {
  const q = new URLSearchParams(search);
  const int = (name: string) => {
    const v = q.get(name);
    return v && /^\d+$/.test(v) ? Number(v) : null;
  };
  let host: string | null = null;
  try {
    const h = q.get("host");
    if (h) host = new URL(h).origin;
  } catch {
    host = null;
  }
  return { mode: q.get("mode") === "card" ? "card" : "page", leadId: int("crm_lead_id"), contactId: int("crm_contact_id"), host, lang: q.get("lang"),
    devUser: int("dev_user"), devAccount: q.get("dev_account") };
}

// Renew this long before expiry, so a slow host still answers in time.
const renewAhead = 5 * 60 * 1000;

export interface SessionSource {
  // start resolves with the first session; later ones (renewals) go to onSession.
  start(onSession: (s: Session) => void): Promise<Session>;
  // renew asks for a fresh session now (the hub answered 401); it arrives through onSession.
  renew(): void;
  close(): void;
  // unanswered tells the host how many chats wait for an answer, for its tab title (B8): inside
  // the CRM the window's own title is not the tab's.
  unanswered(n: number): void;
}

// hostSource talks to script.js in the parent window; every message is checked against the
// host origin given in the URL.
export function hostSource(host: string): SessionSource {
  const post = (msg: object) => window.parent.postMessage(msg, host);
  let timer = 0;
  return {
    start(onSession) {
      return new Promise((resolve) => {
        let first = true;
        window.addEventListener("message", (ev: MessageEvent) => {
          if (ev.origin !== host || ev.source !== window.parent) return;
          const data = ev.data;
          if (!data || data.type !== "switchboard:session" || !data.session?.token) return;
          const s = data.session as Session;
          clearTimeout(timer);
          const wait = Math.max(10_000, Date.parse(s.expires_at) - Date.now() - renewAhead);
          timer = window.setTimeout(() => post({ type: "switchboard:renew" }), wait);
          if (first) {
            first = false;
            resolve(s);
          } else onSession(s);
        });
        post({ type: "switchboard:ready" });
      });
    },
    renew: () => post({ type: "switchboard:renew" }),
    close: () => post({ type: "switchboard:close" }),
    unanswered: (n) => post({ type: "switchboard:unanswered", count: n }),
  };
}

// devSource signs in as a sandbox demo user. Each renewal asks for a fresh disposable token.
export function devSource(userId: number, account: string | null = null): SessionSource {
  const signIn = async (): Promise<Session> => {
    let crm: { token: string };
    try {
      crm = await request<{ token: string }>("POST", "/sandbox/amocrm/token", account ? { user_id: userId, account } : { user_id: userId });
    } catch (e) {
      throw missing(e, "POST /sandbox/amocrm/token");
    }
    try {
      return await api.session(crm.token);
    } catch (e) {
      throw missing(e, "POST /api/v1/sessions");
    }
  };
  let deliver: (s: Session) => void = () => {};
  return {
    async start(onSession) {
      deliver = onSession;
      const s = await signIn();
      const schedule = (cur: Session) => {
        const wait = Math.max(10_000, Date.parse(cur.expires_at) - Date.now() - renewAhead);
        window.setTimeout(async () => {
          try {
            const next = await signIn();
            onSession(next);
            schedule(next);
          } catch {
            schedule(cur);
          }
        }, wait);
      };
      schedule(s);
      return s;
    },
    renew: () => { signIn().then((s) => deliver(s), () => {}); },
    close: () => history.back(),
    unanswered: () => {}, // opened directly: the window's own title is the tab's
  };
}

// missing turns "this route does not exist" into a plain sentence naming the missing part.
function missing(e: unknown, route: string): unknown {
  if (e instanceof ApiError && (e.status === 404 || e.status === 405)) {
    return new ApiError(e.status, "missing", t("app.error.missing", { route }));
  }
  return e;
}

export function useToken(s: Session, unauthorized: () => void) {
  setToken(s.token, unauthorized);
}
