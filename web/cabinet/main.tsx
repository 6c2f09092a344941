// Entry point of the cabinet: a hand-off code from the chat window (in the URL fragment) is
// traded for the session cookie; otherwise the cookie, if any, says who is signed in.
import { render } from "preact";
import { ApiError } from "../app/api";
import { lang, langOf, t } from "../app/i18n";
import { cabinet } from "./api";
import { booting, describe, me, notice } from "./state";
import { App } from "./ui/App";
import "./styles.css";

function signedIn(m: typeof me.value) {
  if (m) {
    lang.value = langOf(m.lang);
    document.documentElement.lang = lang.value;
  }
  me.value = m;
}

async function boot() {
  document.documentElement.lang = lang.value;
  const handoff = new URLSearchParams(location.hash.slice(1)).get("handoff");
  const error = new URLSearchParams(location.search).get("error");
  if (handoff || error) history.replaceState(null, "", location.pathname);
  if (error) notice.value = { kind: "error", text: t("error." + error) };
  try {
    signedIn(handoff ? await cabinet.signInWithHandoff(handoff) : await cabinet.me());
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 401)) notice.value = { kind: "error", text: describe(e) };
  } finally {
    booting.value = false;
  }
}

render(<App />, document.getElementById("root")!);
boot();
