// Blocked contacts: who blocked them and when, how many messages were refused (F27, F28).
import { formatNumber, t } from "../../app/i18n";
import { cabinet } from "../api";
import { notice, run } from "../state";
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
      <tbody>
        {list.items.map((b) => (
          <tr>
            <td><strong>{b.contact.name || t("cabinet.blacklist.unnamed")}</strong>
              <div class="muted small">{[...b.contact.phones, b.contact.telegram_username && "@" + b.contact.telegram_username].filter(Boolean).join(" · ")}</div></td>
            <td>{b.blocked_by.name || "—"}</td>
            <td>{when(b.blocked_at)}</td>
            <td>{formatNumber(b.refused_count)}</td>
            <td><button type="button" class="btn small" onClick={async () => {
              if ((await run(() => cabinet.unblock(b.contact.id))) !== undefined) {
                notice.value = { kind: "ok", text: t("cabinet.blacklist.unblocked", { name: b.contact.name }) };
                reload();
              }
            }}>{t("cabinet.blacklist.unblock")}</button></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
