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
              <td>
                {has(key) ? t(key) : a.action}{name && <span class="muted"> · {name}</span>}
                <Details d={a.details} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

// Details shows what an entry changed (old → new), which secrets were replaced (never their
// values) and a provider's reason for refusing credentials.
function Details({ d }: { d: Record<string, unknown> }) {
  const lines: string[] = [];
  const changes = d.changes && typeof d.changes === "object" ? Object.entries(d.changes as Record<string, unknown[]>) : [];
  for (const [field, [from, to]] of changes) {
    const label = has("cabinet.field." + field) ? t("cabinet.field." + field) : field;
    lines.push(t("cabinet.audit.change", { field: label, from: String(from ?? "—"), to: String(to ?? "—") }));
  }
  if (Array.isArray(d.replaced) && d.replaced.length > 0) {
    lines.push(t("cabinet.audit.replaced", { names: d.replaced.map((f) => t("cabinet.field." + f)).join(", ") }));
  }
  if (typeof d.reason === "string" && d.reason) lines.push(d.reason);
  if (lines.length === 0) return null;
  return <>{lines.map((l) => <div class="small muted">{l}</div>)}</>;
}
