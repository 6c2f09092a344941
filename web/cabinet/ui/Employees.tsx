// Employees as the hub sees them: every CRM user, their role in the chat window (once they
// opened it) and their CRM view rights, which decide what they see (F31).
import { useState } from "preact/hooks";
import { t } from "../../app/i18n";
import { cabinet } from "../api";
import { run } from "../state";
import type { Employee } from "../types";
import { when } from "./format";
import { useLoad } from "./useLoad";

export function Employees() {
  const [list, , set] = useLoad(cabinet.employees);
  const [busy, setBusy] = useState(false);
  const refresh = async () => {
    setBusy(true);
    const v = await run(cabinet.refreshEmployees);
    if (v) set(v);
    setBusy(false);
  };
  return (
    <div>
      <div class="cab-actions">
        <button type="button" class="btn" disabled={busy} onClick={refresh}>{t("cabinet.employees.refresh")}</button>
      </div>
      {list && list.items.length === 0 && <p class="muted">{t("cabinet.employees.empty")}</p>}
      {list && list.items.length > 0 && (
        <table class="cab-table">
          <thead><tr>
            <th>{t("cabinet.employees.name")}</th><th>{t("cabinet.employees.role")}</th>
            <th>{t("cabinet.employees.contacts")}</th><th>{t("cabinet.employees.leads")}</th>
            <th>{t("cabinet.employees.group")}</th><th>{t("cabinet.employees.fetched")}</th>
          </tr></thead>
          <tbody>{list.items.map((e) => <Row e={e} />)}</tbody>
        </table>
      )}
    </div>
  );
}

// view reads a right ("A", "G", "M", "D") of the CRM's rights object.
function view(e: Employee, entity: "contacts" | "leads"): string {
  if (e.crm_admin) return t("cabinet.rights.admin");
  const r = (e.rights?.[entity] as Record<string, string> | undefined)?.view;
  return r ? t("cabinet.rights." + r) : "—";
}

function Row({ e }: { e: Employee }) {
  return (
    <tr class={e.active ? "" : "muted"}>
      <td><strong>{e.name}</strong><div class="muted small">{e.email}</div></td>
      <td>{e.employee ? t("cabinet.role." + e.employee.role) : <span class="muted">{t("cabinet.employees.not_opened")}</span>}</td>
      <td>{view(e, "contacts")}</td>
      <td>{view(e, "leads")}</td>
      <td>{e.group_id || "—"}</td>
      <td class="muted small">{when(e.fetched_at)}</td>
    </tr>
  );
}
