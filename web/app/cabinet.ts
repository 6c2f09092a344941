// Opening the admin cabinet from the chat window: the chat window lives inside the CRM's page,
// where the hub's cookies are third-party, so it asks the hub for a one-time code and opens the
// cabinet in a tab of its own (first-party), which trades the code for its cookie. The code
// rides in the URL fragment, which reaches no server or log.
import { request } from "./api";
import { listError } from "./state";

export async function openCabinet() {
  // Opened now, inside the click, so no popup blocker stops it; pointed at the cabinet once the
  // code is there.
  const tab = window.open("about:blank", "_blank");
  try {
    const { url } = await request<{ url: string }>("POST", "/api/cabinet/v1/handoff");
    if (tab) tab.location.href = url;
    else window.location.assign(url);
  } catch (e) {
    tab?.close();
    listError.value = e instanceof Error ? e.message : String(e);
  }
}
