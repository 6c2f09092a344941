// Entry point: read the URL, get a session (from the CRM host or, in the sandbox, as a demo
// user), then show the chat window.
import { render } from "preact";
import { ApiError } from "./api";
import { lang, langOf, t } from "./i18n";
import { effect } from "@preact/signals";
import { bootError, params, session, unansweredTotal } from "./state";
import { devSource, hostSource, readParams, useToken, type SessionSource } from "./session";
import { App } from "./ui/App";
import { loadListWidth } from "./ui/Splitter";
import { applySubscription, start } from "./actions";
import "./styles.css";

// Locale data for the list's dates, loaded on another thread while the window starts.
try {
  new Worker(__INTL_WORKER__);
} catch {
  // no worker: the first list's render loads it instead
}

const p = readParams(location.search);
params.value = p;

let source: SessionSource | null = null;
if (p.devUser !== null) source = devSource(p.devUser, p.devAccount);
else if (p.host && window.parent !== window) source = hostSource(p.host);

export const closeWindow = () => source?.close();

// The host shows the unanswered count in its tab title (B8).
effect(() => source?.unanswered(unansweredTotal.value));

// A 401 (the session expired early, or the hub restarted with new keys) asks the host for a
// fresh session; only if none comes does the window say the session is over.
let renewing = 0;
function unauthorized() {
  if (renewing || !source) return;
  const stale = session.value?.token;
  source.renew();
  renewing = window.setTimeout(() => {
    renewing = 0;
    if (session.value?.token === stale) bootError.value = t("error.unauthorized");
  }, 15_000);
}

function apply(s: typeof session.value) {
  if (!s) return;
  lang.value = langOf(s.lang);
  document.documentElement.lang = lang.value;
  useToken(s, unauthorized);
  if (session.value?.employee.id !== s.employee.id) loadListWidth(s.employee.id);
  session.value = s;
  applySubscription(s.workspace.subscription);
}

async function boot() {
  if (!source) {
    bootError.value = t("app.error.no_host");
    return;
  }
  try {
    apply(await source.start(apply));
    performance.mark("switchboard:session"); // the first-load steps (docs/performance.md)
    await start();
  } catch (e) {
    bootError.value = e instanceof ApiError ? e.message : String(e);
  }
}

render(<App onClose={closeWindow} />, document.getElementById("root")!);
boot();
