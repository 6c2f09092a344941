// One message: the employee's name on outgoing ones (F21), content by type, time and ticks (B1),
// a failed one in red with a "!" giving the reason and a Retry (F20, B2), the quote it replies
// to, the customer's reactions (B3) and the business's own: an employee reacts from the message's
// side, and clicks the company's reaction to take it off.
import { useState } from "preact/hooks";
import { ApiError } from "../api";
import { react, retry } from "../actions";
import { formatTime, t } from "../i18n";
import type { Chat, Message } from "../types";
import { Attachments } from "./Attachments";
import { Order } from "./Order";
import { summary } from "./summary";
import { Icon } from "./Icon";
import { RichText } from "./RichText";

const ticks: Record<string, string> = { sent: "✓", delivered: "✓✓", read: "✓✓" };

// The reactions offered first, as WhatsApp offers them; any emoji works through the API.
const quickReactions = ["👍", "❤️", "😂", "😮", "😢", "🙏"];

// reactable: the message reached the messenger, and the messenger takes a business's reactions
// (MAX bots cannot react).
function reactable(m: Message, chat: Chat): boolean {
  if (m.type === "system" || m.removed || chat.connection.kind === "max_bot") return false;
  return m.direction === "in" || ["sent", "delivered", "read"].includes(m.status);
}

export function Bubble({ m, chat, quoted, onReply }: { m: Message; chat: Chat; quoted: Message | null; onReply: (id: string) => void }) {
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<string | null>(null);
  const [picking, setPicking] = useState(false);
  if (m.type === "system") return <div class="system muted">{m.text}</div>;
  const failed = m.status === "failed";
  const out = m.direction === "out";
  const run = async (act: () => Promise<void>) => {
    setBusy(true);
    setErr(null);
    try {
      await act();
    } catch (e) {
      setErr(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  const doRetry = () => run(() => retry(m));
  const doReact = (emoji: string) => {
    setPicking(false);
    return run(() => react(m, emoji));
  };
  return (
    <div class={`msg ${out ? "out" : "in"} ${failed ? "failed" : ""} ${m.removed ? "removed" : ""}`} data-message={m.id} data-status={m.status}>
      <div class="bubble">
        {out && <div class="author">{m.author?.name ?? t("app.author.system")}</div>}
        {!out && chat.kind === "group" && m.author && <div class="author">{m.author.name}</div>}
        {m.reply_to && <div class="quote">{quoted ? summary(quoted) : t("app.reply.earlier")}</div>}
        {m.template && <div class="tag">{t("app.template.label", { name: m.template.name })}</div>}
        <Attachments m={m} />
        {m.order && <Order order={m.order} />}
        {m.location && (
          <div class="location"><Icon name="pin" size={14} /> {m.location.name || m.location.address || `${m.location.latitude}, ${m.location.longitude}`}
            {m.location.name && m.location.address && <div class="muted small">{m.location.address}</div>}
          </div>
        )}
        {m.contacts?.map((c) => <div class="shared-contact"><Icon name="user" size={14} /> {c.name} {c.phones.join(", ")}</div>)}
        {m.text && <div class="text"><RichText text={m.text} /></div>}
        {!m.text && m.attachments.length === 0 && !m.order && !m.location && !m.contacts && <div class="text muted">{t("app.type." + m.type)}</div>}
        <div class="meta">
          {m.removed && <span class="removed-mark">{t("app.message.removed")}</span>}
          {m.edited && !m.removed && <span class="edited-mark">{t("app.message.edited")}</span>}
          <time dateTime={m.created_at}>{formatTime(new Date(m.created_at))}</time>
          {out && !failed && <span class={`ticks ${m.status}`} title={t("app.status." + m.status)} aria-label={t("app.status." + m.status)}>{ticks[m.status] ?? <Icon name="clock" size={11} />}</span>}
        </div>
        {m.reactions.length > 0 && (
          <div class="reactions" aria-label={t("app.reactions")}>
            {m.reactions.map((r) =>
              r.employee_id ? (
                <button type="button" class="reaction ours" disabled={busy} title={t("app.reaction.ours")} aria-label={t("app.reaction.ours")} onClick={() => doReact("")}>{r.emoji}</button>
              ) : (
                <span class="reaction" title={r.from}>{r.emoji}</span>
              ),
            )}
          </div>
        )}
      </div>
      <div class="msg-side">
        {failed && (
          <span class="fail" tabIndex={0} role="img" aria-label={m.error?.message ?? t("app.status.failed")} title={m.error?.message ?? t("app.status.failed")}>!
            <span class="tooltip" role="tooltip">{m.error?.message ?? t("app.status.failed")}</span>
          </span>
        )}
        {failed && <button type="button" class="btn small retry" disabled={busy} onClick={doRetry}>{t("app.retry")}</button>}
        {reactable(m, chat) && (
          <button type="button" class="icon-btn react" title={t("app.react")} aria-label={t("app.react")} aria-expanded={picking}
            disabled={busy} onClick={() => setPicking(!picking)}><Icon name="smile" size={14} /></button>
        )}
        <button type="button" class="icon-btn reply" title={t("app.reply")} aria-label={t("app.reply")} onClick={() => onReply(m.id)}><Icon name="reply" size={14} /></button>
      </div>
      {picking && (
        <div class="react-picker" role="menu" aria-label={t("app.react")} onKeyDown={(e) => e.key === "Escape" && setPicking(false)}>
          {quickReactions.map((e) => <button type="button" role="menuitem" onClick={() => doReact(e)}>{e}</button>)}
        </div>
      )}
      {err && <p class="error small" role="alert">{err}</p>}
    </div>
  );
}
