// Entry point of the cabinet: a hand-off code from the chat window (in the URL fragment) is
// traded for the session cookie; otherwise the cookie, if any, says who is signed in.
import { render } from "preact";
import { ApiError } from "../app/api";
import { lang, langOf, setLang, t } from "../app/i18n";
import { cabinet } from "./api";
import { booting, describe, me, notice } from "./state";
import { App } from "./ui/App";
import "./styles.css";

// The browser's language until someone is signed in; its texts load while the cookie is asked about.
const texts = setLang(lang.value).catch(() => {});

// signedIn shows the cabinet to m in m's language, once its texts are in (each language's texts
// are fetched when first needed, app/i18n.ts).
async function signedIn(m: typeof me.value) {
  if (m) {
    await setLang(langOf(m.lang)).catch(() => {});
    document.documentElement.lang = lang.value;
  }
  me.value = m;
}

async function boot() {
  const handoff = new URLSearchParams(location.hash.slice(1)).get("handoff");
  const error = new URLSearchParams(location.search).get("error");
  if (handoff || error) history.replaceState(null, "", location.pathname);
  // Who is signed in is asked while the texts load.
  const who = handoff ? cabinet.signInWithHandoff(handoff) : cabinet.me();
  who.catch(() => {}); // handled below, once the texts are in
  await texts;
  document.documentElement.lang = lang.value;
  if (error) notice.value = { kind: "error", text: t("error." + error) };
  try {
    await signedIn(await who);
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 401)) notice.value = { kind: "error", text: describe(e) };
  } finally {
    booting.value = false;
  }
}

// The cabinet is first drawn once it has texts to draw with.
texts.then(() => render(<App />, document.getElementById("root")!));
boot();
