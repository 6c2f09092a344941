// One open chat: header (name → profile, ⋮ menu, No reply needed), history, composer, and the
// panels over it (profile, block confirmation).
import { useRef, useState } from "preact/hooks";
import { ApiError } from "../api";
import { noReplyNeeded, setBlocked } from "../actions";
import { t } from "../i18n";
import { createFor, isAdmin, panel, replyTo, selectedId } from "../state";
import type { Chat } from "../types";
import { Avatar } from "./Avatar";
import { Composer } from "./Composer";
import { Confirm } from "./Confirm";
import { Menu } from "./Menu";
import { Messages } from "./Messages";
import { Profile } from "./Profile";
import { WindowTimer } from "./WindowTimer";
import { Icon } from "./Icon";
import { useWidth } from "./useWidth";
import { ChannelIcon } from "./ChannelIcon";

// Below this width of the chat pane, No reply needed moves from the header into the ⋮ menu, so
// the header stays one row: back, name (ellipsized), ⋮.
const roomyHeader = 560;

export function ChatView({ chat }: { chat: Chat }) {
  const [error, setError] = useState<string | null>(null);
  const act = (fn: () => Promise<unknown>) => () => {
    setError(null);
    fn().catch((e) => setError(e instanceof ApiError ? e.message : String(e)));
  };
  const section = useRef<HTMLElement>(null);
  const roomy = useWidth(section) >= roomyHeader;
  const canBlock = isAdmin.value && chat.kind === "private" && chat.contact_id !== null;
  const unanswered = chat.unanswered && !chat.blocked;
  const items = [{ label: t("app.menu.profile"), onSelect: () => { panel.value = "profile"; }, disabled: !chat.contact_id }];
  if (unanswered && !roomy) items.unshift({ label: t("app.no_reply_needed"), onSelect: act(() => noReplyNeeded(chat.id)), disabled: false });
  if (chat.contact_id) {
    items.push({ label: t("app.menu.new_chat"), onSelect: () => { createFor.value = { contactId: chat.contact_id! }; panel.value = "create"; }, disabled: false });
  }
  if (canBlock) {
    items.push(chat.blocked
      ? { label: t("app.menu.unblock"), onSelect: act(() => setBlocked(chat.contact_id!, false)), disabled: false }
      : { label: t("app.menu.block"), onSelect: () => { panel.value = "confirm-block"; }, disabled: false });
  }
  return (
    <section class={`chat-view ${chat.blocked ? "blocked" : ""}`} aria-label={chat.title} ref={section}>
      <header class="chat-head">
        <button type="button" class="icon-btn back" aria-label={t("app.back")} title={t("app.back")} onClick={() => { selectedId.value = null; }}>‹</button>
        <button type="button" class="head-name" disabled={!chat.contact_id} onClick={() => { panel.value = "profile"; }}>
          <Avatar name={chat.title} group={chat.kind === "group"} />
          <span class="head-text">
            <span class="name">{chat.title}{chat.blocked && <span class="lock"> <Icon name="lock" size={12} label={t("app.blocked")} /></span>}</span>
            <span class="sub muted"><ChannelIcon kind={chat.connection.kind} size={12} /><span class="conn-name">{chat.connection.name}</span>{chat.window && <WindowTimer window={chat.window} />}</span>
          </span>
        </button>
        {unanswered && roomy && (
          <button type="button" class="btn small no-reply" onClick={act(() => noReplyNeeded(chat.id))}>{t("app.no_reply_needed")}</button>
        )}
        <Menu label={t("app.menu.title")} items={items} />
      </header>
      {error && <p class="error bar" role="alert">{error}</p>}
      {chat.blocked && isAdmin.value && (chat.refused_count ?? 0) > 0 && (
        <p class="muted bar-info" role="status">{t("app.blocked.refused", { n: chat.refused_count! })}</p>
      )}
      <Messages chat={chat} onReply={(id) => { replyTo.value = id; }} />
      <Composer chat={chat} replyTo={replyTo.value} onReplyDone={() => { replyTo.value = null; }} />
      {panel.value === "profile" && chat.contact_id && <Profile contactId={chat.contact_id} />}
      {panel.value === "confirm-block" && chat.contact_id && (
        <Confirm text={t("app.block.confirm", { name: chat.title })} ok={t("app.menu.block")}
          onOk={act(async () => { panel.value = null; await setBlocked(chat.contact_id!, true); })} />
      )}
    </section>
  );
}
