// Entry point: read the URL, get a session (from the CRM host or, in the sandbox, as a demo
// user), then show the chat window.
import { render } from "preact";
import { ApiError } from "./api";
import { lang, langOf, setLang, t } from "./i18n";
import { effect } from "@preact/signals";
import { bootError, params, session, unansweredTotal } from "./state";
import { devSource, hostSource, readParams, useToken, type SessionSource } from "./session";
import { App } from "./ui/App";
import { loadListWidth } from "./ui/Splitter";
import { applySubscription, start } from "./actions";
import "./styles.css";

const p = readParams(location.search);
params.value = p;

// The language to start in: the CRM's, which the widget puts in the frame's address (else the
// browser's). Its texts load while the session is on its way; the session's language, when
// another, is loaded once it says so.
const startLang = langOf(p.lang ?? navigator.language);
const texts = setLang(startLang).catch(() => {});

// Locale data for the list's dates in that language, loaded on another thread while the window
// starts.
try {
  new Worker(__INTL_WORKER__ + "?lang=" + startLang);
} catch {
  // no worker: the first list's render loads it instead
}

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

// apply takes a session: its token at once (the first list is asked for with it), the window
// drawn for it once its language's texts are in (a language that cannot be fetched leaves the
// window in the one it speaks).
async function apply(s: typeof session.value) {
  if (!s) return;
  useToken(s, unauthorized);
  await setLang(langOf(s.lang)).catch(() => {});
  document.documentElement.lang = lang.value;
  if (session.value?.employee.id !== s.employee.id) loadListWidth(s.employee.id);
  session.value = s;
  applySubscription(s.workspace.subscription);
}

async function boot() {
  if (!source) {
    await texts;
    bootError.value = t("app.error.no_host");
    return;
  }
  try {
    const s = await source.start(apply);
    performance.mark("switchboard:session"); // the first-load steps (docs/performance.md)
    // The first list is asked for while the window is drawn for the session, not after.
    await Promise.all([apply(s), start()]);
  } catch (e) {
    await texts;
    bootError.value = e instanceof ApiError ? e.message : String(e);
  }
}

// The window is first drawn ("loading") once it has texts to draw with.
texts.then(() => render(<App onClose={closeWindow} />, document.getElementById("root")!));
boot();
