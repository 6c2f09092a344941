// A WABA number's templates as last synced from Meta, with their review status.
import { has, t } from "../../app/i18n";
import { cabinet } from "../api";
import { run } from "../state";
import type { CabinetConnection } from "../types";
import { when } from "./format";
import { useLoad } from "./useLoad";

export function Templates({ connection, onStateChange }: { connection: CabinetConnection; onStateChange: () => void }) {
  const [list, , set] = useLoad(() => cabinet.templates(connection.id));
  const sync = async () => {
    const v = await run(() => cabinet.syncTemplates(connection.id));
    if (v) set(v);
    onStateChange();
  };
  return (
    <div class="cab-templates">
      <button type="button" class="btn small" onClick={sync}>{t("cabinet.templates.sync")}</button>
      {list && list.items.length === 0 && <p class="muted small">{t("cabinet.templates.empty")}</p>}
      {list && list.items.length > 0 && (
        <table class="cab-table">
          <thead><tr>
            <th>{t("cabinet.templates.name")}</th><th>{t("cabinet.templates.language")}</th>
            <th>{t("cabinet.templates.status")}</th><th>{t("cabinet.templates.body")}</th><th>{t("cabinet.templates.updated")}</th>
          </tr></thead>
          <tbody>
            {list.items.map((x) => (
              <tr>
                <td>{x.name}</td><td>{x.language}</td>
                <td><span class={"tpl-status " + x.status.toLowerCase()}>{statusText(x.status)}</span></td>
                <td class="tpl-body">{x.body}</td><td class="muted small">{when(x.updated_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

// statusText names Meta's review status in the admin's language, or as Meta wrote it when new.
function statusText(status: string): string {
  const key = "cabinet.templates.status_" + status.toLowerCase();
  return has(key) ? t(key) : status;
}
