// The workspace at a glance: the CRM account, the subscription (the install's trial or what the
// operator set) in plain words, the CRM
// sync's real progress, and the widget archive for private installs.
import { useEffect, useState } from "preact/hooks";
import { formatNumber, t } from "../../app/i18n";
import { cabinet } from "../api";
import { run } from "../state";
import type { Subscription, SyncProgress } from "../types";
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
        <SubscriptionCard sub={sub} workspaceID={ws.id} />
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
        {!ws.widget_available ? <p class="error small">{t("cabinet.widget.missing")}</p>
          : !ws.widget_https ? <p class="error small" data-testid="widget-https">{t("error.widget_needs_https")}</p>
          : <WidgetDownload />}
      </section>
    </div>
  );
}

// WidgetDownload asks which kind of integration the admin registered: a private one's archive
// has no left menu (amoCRM refuses it from one).
function WidgetDownload() {
  const [kind, setKind] = useState<"private" | "public">("private");
  return (
    <fieldset class="cab-widget-kind">
      <legend>{t("cabinet.widget.kind")}</legend>
      {(["private", "public"] as const).map((k) => (
        <label><input type="radio" name="widget-kind" value={k} checked={kind === k} onChange={() => setKind(k)} /> {t("cabinet.widget." + k)}</label>
      ))}
      <a class="btn" href={`${cabinet.widgetURL}?kind=${kind}`} download data-testid="widget-download">{t("cabinet.widget.download")}</a>
    </fieldset>
  );
}

// SubscriptionCard says in plain words whether replies go out, until when, and what is
// included, and tells the admin how the subscription is changed (the operator API).
function SubscriptionCard({ sub, workspaceID }: { sub: Subscription; workspaceID: string }) {
  const ended = sub.active && !sub.active_now;
  const works = sub.active_now && sub.paid;
  let headline = "cabinet.sub.inactive";
  if (ended) headline = "cabinet.sub.ended";
  else if (sub.active && !sub.paid) headline = "cabinet.sub.active_unpaid";
  else if (works) headline = sub.ends_at ? "cabinet.sub.active_until" : "cabinet.sub.active";
  return (
    <>
      <p class={works ? "" : "error"} data-testid="subscription-state">{t(headline, { date: when(sub.ends_at) })}</p>
      <p class="muted small">{t("cabinet.sub.includes")}</p>
      <ul class="cab-flags">
        <Flag on={works} yes="cabinet.sub.messages" no="cabinet.sub.no_messages" />
        <Flag on={works && sub.templates_paid} yes="cabinet.sub.templates_paid" no="cabinet.sub.templates_unpaid" />
      </ul>
      <details class="cab-help" data-testid="subscription-help">
        <summary>{t("cabinet.sub.help_title")}</summary>
        <p class="small">{t("cabinet.sub.operator")}</p>
        <pre class="small">{`PUT /api/operator/v1/workspaces/${workspaceID}/subscription
Authorization: Bearer <SWITCHBOARD_OPERATOR_TOKEN>
{"active": true, "paid": true, "templates_paid": true, "ends_at": "2027-01-31T23:59:59Z"}`}</pre>
        <p class="small muted">{t("cabinet.sub.help_fields")}</p>
      </details>
    </>
  );
}

function Flag({ on, yes, no }: { on: boolean; yes: string; no: string }) {
  return <li class={on ? "ok" : "off"}><span aria-hidden="true">{on ? "✓" : "✕"}</span> {t(on ? yes : no)}</li>;
}

function Sync({ s }: { s: SyncProgress }) {
  if (s.state === "unavailable") return <p class="error small">{t("error.crm_not_configured")} {s.missing}</p>;
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
