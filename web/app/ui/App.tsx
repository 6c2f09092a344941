// The window's layout: the list beside the open chat (full page), or the card's chats with a ×
// (card mode); in a frame narrower than 700 px (a CRM card, a phone) the list and the chat are
// two steps, with a back arrow in the chat's header. Side by side, the employee may move the
// border between them (Splitter).
import { useEffect } from "preact/hooks";
import { t } from "../i18n";
import { bootError, isCard, listError, params, shownEntries, online, panel, replyTo, selectedChat, selectedId, session, unansweredTotal } from "../state";
import { ChatList } from "./ChatList";
import { ChatView } from "./ChatView";
import { CreateChat } from "./CreateChat";
import { PreviewDialog, previewing } from "./Preview";
import { listWidth, Splitter } from "./Splitter";

export function App({ onClose }: { onClose: () => void }) {
  useEffect(() => {
    const n = unansweredTotal.value;
    document.title = (n > 0 ? `(${n}) ` : "") + t("app.title");
  }, [unansweredTotal.value, session.value]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // Esc closes the innermost thing: an open menu or emoji picker closes itself; then the
      // preview, a panel, the reply quote; last, in the full page, the window itself (the
      // widget closes its full-screen overlay and ignores it in the CRM's left menu).
      if (e.key !== "Escape" || document.querySelector("[role=menu], .emoji-pop")) return;
      if (previewing.value) previewing.value = null;
      else if (panel.value) panel.value = null;
      else if (replyTo.value) replyTo.value = null;
      else if (!isCard.value && params.value.host) onClose();
      else return;
      e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  if (bootError.value) {
    return (
      <div class="boot" role="alert">
        {isCard.value && <CloseButton onClose={onClose} />}
        <p class="boot-error">{bootError.value}</p>
      </div>
    );
  }
  if (!session.value) {
    return <div class="boot"><p class="muted">{t("app.loading")}</p></div>;
  }
  const open = selectedChat.value !== null;
  return (
    <div class={`app ${isCard.value ? "card" : "page"} ${open ? "has-chat" : ""} ${listWidth.value ? "sized" : ""}`}
      style={listWidth.value ? { "--list-width": listWidth.value + "px" } : undefined}>
      {!online.value && <div class="offline" role="status">{t("app.offline")}</div>}
      {isCard.value && <CloseButton onClose={onClose} />}
      <aside class="side">
        <ChatList />
        <Splitter employeeId={session.value.employee.id} />
      </aside>
      <main class="main">
        {selectedChat.value ? <ChatView key={selectedId.value!} chat={selectedChat.value} />
          : shownEntries.value.length > 0 && !listError.value && <div class="empty muted">{t("app.pick_chat")}</div>}
      </main>
      {panel.value === "create" && <CreateChat />}
      <PreviewDialog />
    </div>
  );
}

function CloseButton({ onClose }: { onClose: () => void }) {
  return (
    <button type="button" class="close" aria-label={t("app.close")} title={t("app.close")} onClick={onClose}>×</button>
  );
}
