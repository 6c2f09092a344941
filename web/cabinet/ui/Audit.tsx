// The log of admin actions.
import { has, t } from "../../app/i18n";
import { cabinet } from "../api";
import { when } from "./format";
import { useLoad } from "./useLoad";

export function Audit() {
  const [list] = useLoad(cabinet.audit);
  if (!list) return <p class="muted">{t("cabinet.loading")}</p>;
  if (list.items.length === 0) return <p class="muted">{t("cabinet.audit.empty")}</p>;
  return (
    <table class="cab-table">
      <thead><tr><th>{t("cabinet.audit.when")}</th><th>{t("cabinet.audit.who")}</th><th>{t("cabinet.audit.what")}</th></tr></thead>
      <tbody>
        {list.items.map((a) => {
          const key = "cabinet.audit." + a.action;
          const name = typeof a.details.name === "string" ? a.details.name : "";
          return (
            <tr>
              <td class="small">{when(a.created_at)}</td>
              <td>{a.employee.name || a.employee.id}</td>
              <td>{has(key) ? t(key) : a.action}{name && <span class="muted"> · {name}</span>}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
