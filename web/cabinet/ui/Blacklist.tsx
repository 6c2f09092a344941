// Blocked contacts: who blocked them and when, how many messages were refused (F27, F28); the
// refused messages themselves can be read here, and unblocking asks first, as blocking does.
import { useState } from "preact/hooks";
import { formatNumber, formatSize, t } from "../../app/i18n";
import { cabinet } from "../api";
import { notice, run } from "../state";
import type { BlacklistEntry, HiddenMessage } from "../types";
import { when } from "./format";
import { useLoad } from "./useLoad";

export function Blacklist() {
  const [list, reload] = useLoad(cabinet.blacklist);
  if (!list) return <p class="muted">{t("cabinet.loading")}</p>;
  if (list.items.length === 0) return <p class="muted">{t("cabinet.blacklist.empty")}</p>;
  return (
    <table class="cab-table">
      <thead><tr>
        <th>{t("cabinet.blacklist.contact")}</th><th>{t("cabinet.blacklist.by")}</th>
        <th>{t("cabinet.blacklist.at")}</th><th>{t("cabinet.blacklist.refused")}</th><th />
      </tr></thead>
      <tbody>{list.items.map((b) => <Entry key={b.contact.id} b={b} onUnblocked={reload} />)}</tbody>
    </table>
  );
}

function Entry({ b, onUnblocked }: { b: BlacklistEntry; onUnblocked: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [hidden, setHidden] = useState<HiddenMessage[] | null>(null);
  const name = b.contact.name || t("cabinet.blacklist.unnamed");
  const unblock = async () => {
    setConfirming(false);
    if ((await run(() => cabinet.unblock(b.contact.id))) !== undefined) {
      notice.value = { kind: "ok", text: t("cabinet.blacklist.unblocked", { name }) };
      onUnblocked();
    }
  };
  const toggleHidden = async () => {
    if (hidden) return setHidden(null);
    const r = await run(() => cabinet.hiddenMessages(b.contact.id));
    if (r) setHidden(r.items);
  };
  return <>
    <tr data-contact={b.contact.id}>
      <td><strong>{name}</strong>
        <div class="muted small">{[...b.contact.phones, b.contact.telegram_username && "@" + b.contact.telegram_username].filter(Boolean).join(" · ")}</div></td>
      <td>{b.blocked_by.name || "—"}</td>
      <td>{when(b.blocked_at)}</td>
      <td>{b.refused_count > 0
        ? <button type="button" class="link" data-testid="show-hidden" onClick={toggleHidden}>
            {t(hidden ? "cabinet.blacklist.hide_refused" : "cabinet.blacklist.show_refused", { n: formatNumber(b.refused_count) })}
          </button>
        : formatNumber(0)}</td>
      <td>{confirming ? (
        <div class="cab-confirm" role="alertdialog" data-testid="confirm">
          <span>{t("cabinet.blacklist.unblock_confirm", { name })}</span>
          <button type="button" class="btn small danger" onClick={unblock}>{t("cabinet.blacklist.unblock")}</button>
          <button type="button" class="btn small" onClick={() => setConfirming(false)}>{t("cabinet.cancel")}</button>
        </div>
      ) : <button type="button" class="btn small" data-testid="unblock" onClick={() => setConfirming(true)}>{t("cabinet.blacklist.unblock")}</button>}</td>
    </tr>
    {hidden && (
      <tr class="cab-hidden"><td colSpan={5}>
        <p class="muted small">{t("cabinet.blacklist.refused_note")}</p>
        <ul class="cab-hidden-list" data-testid="hidden-messages">
          {hidden.map((m) => (
            <li><span class="muted small">{when(m.created_at)}</span> {m.text}
              {m.attachments.map((f) => <span class="muted small"> 📎 {f.name} ({formatSize(f.size)})</span>)}</li>
          ))}
        </ul>
      </td></tr>
    )}
  </>;
}
