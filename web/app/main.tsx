// Entry point: read the URL, get a session (from the CRM host or, in the sandbox, as a demo
// user), then show the chat window.
import { render } from "preact";
import { ApiError } from "./api";
import { lang, langOf, t } from "./i18n";
import { bootError, params, session } from "./state";
import { devSource, hostSource, readParams, useToken, type SessionSource } from "./session";
import { App } from "./ui/App";
import { start } from "./actions";
import "./styles.css";

const p = readParams(location.search);
params.value = p;

let source: SessionSource | null = null;
if (p.devUser !== null) source = devSource(p.devUser, p.devAccount);
else if (p.host && window.parent !== window) source = hostSource(p.host);

export const closeWindow = () => source?.close();

function apply(s: typeof session.value) {
  if (!s) return;
  lang.value = langOf(s.lang);
  document.documentElement.lang = lang.value;
  useToken(s, () => bootError.value = t("error.unauthorized"));
  session.value = s;
}

async function boot() {
  if (!source) {
    bootError.value = t("app.error.no_host");
    return;
  }
  try {
    apply(await source.start(apply));
    await start();
  } catch (e) {
    bootError.value = e instanceof ApiError ? e.message : String(e);
  }
}

render(<App onClose={closeWindow} />, document.getElementById("root")!);
boot();
