// The workspace at a glance: the CRM account, the subscription as the operator set it, the CRM
// sync's real progress, and the widget archive for private installs.
import { useEffect } from "preact/hooks";
import { formatNumber, t } from "../../app/i18n";
import { cabinet } from "../api";
import { run } from "../state";
import type { SyncProgress } from "../types";
import { when } from "./format";
import { useLoad } from "./useLoad";

export function Overview() {
  const [ws, reload, set] = useLoad(cabinet.workspace);
  const running = ws?.sync.state === "running";
  useEffect(() => {
    if (!running) return;
    const id = setInterval(reload, 1000);
    return () => clearInterval(id);
  }, [running]);
  if (!ws) return <p class="muted">{t("cabinet.loading")}</p>;
  const sub = ws.subscription;
  const resync = async () => {
    const s = await run(cabinet.startSync);
    if (s) set({ ...ws, sync: s });
  };
  return (
    <div class="cab-grid">
      <section class="cab-card">
        <h2>{t("cabinet.overview.account")}</h2>
        <dl class="cab-dl">
          <dt>{t("cabinet.overview.name")}</dt><dd>{ws.name}</dd>
          <dt>{t("cabinet.overview.crm")}</dt><dd>{ws.crm.base_url || ws.crm.kind} · #{ws.crm.account_id}</dd>
          <dt>{t("cabinet.overview.since")}</dt><dd>{when(ws.created_at)}</dd>
        </dl>
      </section>
      <section class="cab-card" data-testid="subscription">
        <h2>{t("cabinet.overview.subscription")}</h2>
        <ul class="cab-flags">
          <Flag on={sub.active} yes="cabinet.sub.active" no="cabinet.sub.inactive" />
          <Flag on={sub.paid} yes="cabinet.sub.paid" no="cabinet.sub.unpaid" />
          <Flag on={sub.templates_paid} yes="cabinet.sub.templates_paid" no="cabinet.sub.templates_unpaid" />
        </ul>
        <p class="muted small">{t("cabinet.sub.operator")}</p>
      </section>
      <section class="cab-card" data-testid="sync">
        <h2>{t("cabinet.overview.sync")}</h2>
        <Sync s={ws.sync} />
        {ws.sync.state !== "unavailable" && (
          <button type="button" class="btn" disabled={running} onClick={resync}>{t("cabinet.sync.again")}</button>
        )}
      </section>
      <section class="cab-card">
        <h2>{t("cabinet.overview.widget")}</h2>
        <p>{t("cabinet.widget.text")}</p>
        {ws.widget_available
          ? <a class="btn" href={cabinet.widgetURL} download>{t("cabinet.widget.download")}</a>
          : <p class="error small">{t("cabinet.widget.missing")}</p>}
      </section>
    </div>
  );
}

function Flag({ on, yes, no }: { on: boolean; yes: string; no: string }) {
  return <li class={on ? "ok" : "off"}><span aria-hidden="true">{on ? "✓" : "✕"}</span> {t(on ? yes : no)}</li>;
}

function Sync({ s }: { s: SyncProgress }) {
  if (s.state === "unavailable") return <p class="error small">{t("error.feature_missing")} {s.missing}</p>;
  const counts = (
    <ul class="cab-counts">
      <li><b>{formatNumber(s.users ?? 0)}</b> {t("cabinet.sync.users")}</li>
      <li><b>{formatNumber(s.contacts ?? 0)}</b> {t("cabinet.sync.contacts")}</li>
      <li><b>{formatNumber(s.leads ?? 0)}</b> {t("cabinet.sync.leads")}</li>
    </ul>
  );
  return (
    <div class={"cab-sync " + s.state} data-state={s.state}>
      <p>
        {s.state === "running" && <span class="spinner" aria-hidden="true" />}
        {t("cabinet.sync." + s.state)}
        {s.finished_at && s.state !== "running" && <span class="muted"> · {when(s.finished_at)}</span>}
      </p>
      {counts}
    </div>
  );
}
