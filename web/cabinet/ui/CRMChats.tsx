// amoCRM's own chats: the switch that mirrors every conversation into amoCRM (deal feeds,
// incoming leads, Salesbot), its connection state, and each connection's pipeline for the
// incoming leads of new customers. Replies typed in amoCRM bypass the hub's visibility rules,
// which the page says before the admin switches it on.
import { formatNumber, t } from "../../app/i18n";
import { cabinet } from "../api";
import { notice, run } from "../state";
import { useLoad } from "./useLoad";

export function CRMChats() {
  const [s, , set] = useLoad(cabinet.crmChats);
  if (!s) return <p class="muted">{t("cabinet.loading")}</p>;
  if (!s.configured) {
    return (
      <section class="cab-card" data-testid="crm-chats">
        <h2>{t("cabinet.crmchats.title")}</h2>
        <p class="muted">{t("cabinet.crmchats.not_configured")}</p>
      </section>
    );
  }
  const toggle = async () => {
    const next = await run(() => cabinet.setCRMChats(!s.enabled));
    if (next) {
      set(next);
      notice.value = { kind: "ok", text: t(next.enabled ? "cabinet.crmchats.switched_on" : "cabinet.crmchats.switched_off") };
    }
  };
  const pick = async (connectionId: string, pipelineId: number) => {
    const next = await run(() => cabinet.setCRMChatsPipeline(connectionId, pipelineId));
    if (next) set(next);
  };
  const mainPipeline = s.pipelines?.find((p) => p.is_main)?.id ?? 0;
  return (
    <div class="cab-grid">
      <section class="cab-card" data-testid="crm-chats">
        <h2>{t("cabinet.crmchats.title")}</h2>
        <p>{t("cabinet.crmchats.text")}</p>
        <p class="cab-warning small" role="note">{t("cabinet.crmchats.rights")}</p>
        <label class="cab-switch">
          <input type="checkbox" checked={!!s.enabled} onChange={toggle} data-testid="crm-chats-switch" />
          {t("cabinet.crmchats.switch")}
        </label>
        {s.enabled && (
          <p data-testid="crm-chats-state" class={s.connected ? "" : "error"}>
            {t(s.connected ? "cabinet.crmchats.connected" : "cabinet.crmchats.not_connected")}
            {s.last_error && <span class="muted small"> · {s.last_error}</span>}
          </p>
        )}
        {s.enabled && !!s.backlog && <p class="muted small">{t("cabinet.crmchats.backlog", { count: formatNumber(s.backlog) })}</p>}
      </section>
      {s.enabled && (
        <section class="cab-card">
          <h2>{t("cabinet.crmchats.pipelines")}</h2>
          <p class="muted small">{t("cabinet.crmchats.pipelines_text")}</p>
          <table class="cab-table">
            <tbody>
              {(s.connections ?? []).map((c) => (
                <tr>
                  <td>{c.name}{c.kind === "waba" && <span class="muted small"> · {t("cabinet.crmchats.waba_source")}</span>}</td>
                  <td>
                    <select aria-label={t("cabinet.crmchats.pipeline")} value={c.pipeline_id || mainPipeline}
                      disabled={!s.pipelines?.length}
                      onChange={(e) => pick(c.id, Number((e.target as HTMLSelectElement).value))}>
                      {(s.pipelines ?? []).map((p) => <option value={p.id}>{p.name}</option>)}
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {!s.pipelines?.length && <p class="error small">{t("error.crm_unavailable")}</p>}
        </section>
      )}
    </div>
  );
}
