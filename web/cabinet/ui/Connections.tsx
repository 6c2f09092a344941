// Connections: each messenger account with its state, webhook URL, default responsible user
// (F31a) and templates; forms to add a WABA number, a Telegram bot or a MAX bot (on a webhook,
// or on long polling where MAX cannot reach the hub).
import { useEffect, useState } from "preact/hooks";
import { has, t } from "../../app/i18n";
import { cabinet, type Created } from "../api";
import { notice, run } from "../state";
import type { CabinetConnection, Employee } from "../types";
import { AddConnection } from "./AddConnection";
import { Templates } from "./ConnectionTemplates";
import { Credentials } from "./Credentials";
import { when } from "./format";
import { useLoad } from "./useLoad";

export function Connections() {
  const [list, reload] = useLoad(cabinet.connections);
  // Health is measured as webhooks come in: the list is read again every 30 seconds, so a
  // connection that stops receiving shows so within a minute.
  useEffect(() => {
    const id = setInterval(reload, 30_000);
    return () => clearInterval(id);
  }, []);
  const [people] = useLoad(cabinet.employees);
  const [adding, setAdding] = useState<"waba" | "telegram_bot" | "max_bot" | null>(null);
  const [created, setCreated] = useState<Created | null>(null);
  const users = people?.items ?? [];
  const done = (c: Created) => {
    setAdding(null);
    setCreated(c);
    reload();
  };
  return (
    <div>
      <div class="cab-actions">
        <button type="button" class="btn primary" data-testid="add-waba" onClick={() => { setAdding("waba"); setCreated(null); }}>
          {t("cabinet.conn.add_waba")}
        </button>
        <button type="button" class="btn primary" data-testid="add-telegram" onClick={() => { setAdding("telegram_bot"); setCreated(null); }}>
          {t("cabinet.conn.add_telegram")}
        </button>
        <button type="button" class="btn primary" data-testid="add-max" onClick={() => { setAdding("max_bot"); setCreated(null); }}>
          {t("cabinet.conn.add_max")}
        </button>
      </div>
      {adding && <AddConnection kind={adding} users={users} onDone={done} onCancel={() => setAdding(null)} />}
      {created && <SetupBox created={created} onClose={() => setCreated(null)} />}
      {list && list.items.length === 0 && <p class="muted">{t("cabinet.conn.empty")}</p>}
      <ul class="cab-list">
        {list?.items.map((c) => <Row key={c.id} c={c} users={users} onChange={reload} />)}
      </ul>
    </div>
  );
}

// SetupBox shows what to paste into Meta's console, once: the verify token is never shown again.
function SetupBox({ created, onClose }: { created: Created; onClose: () => void }) {
  const c = created.connection;
  return (
    <section class="cab-card setup" data-testid="setup">
      <h2>{t("cabinet.conn.added", { name: c.name })}</h2>
      {c.kind === "waba" ? <>
        <p>{t("cabinet.conn.meta_steps")}</p>
        <Copy label={t("cabinet.conn.webhook_url")} value={created.setup.webhook_url} />
        <Copy label={t("cabinet.conn.verify_token")} value={created.setup.verify_token ?? ""} />
        <p class="muted small">{t("cabinet.conn.verify_once")}</p>
      </> : <p>{t(c.kind === "max_bot" ? "cabinet.conn.max_ready" : "cabinet.conn.telegram_ready")}</p>}
      <button type="button" class="btn" onClick={onClose}>{t("cabinet.done")}</button>
    </section>
  );
}

function Copy({ label, value }: { label: string; value: string }) {
  return (
    <label class="cab-copy">
      <span>{label}</span>
      <input readOnly value={value} onFocus={(e) => e.currentTarget.select()} />
      <button type="button" class="btn small" onClick={() => navigator.clipboard?.writeText(value)}>{t("cabinet.copy")}</button>
    </label>
  );
}

function Row({ c, users, onChange }: { c: CabinetConnection; users: Employee[]; onChange: () => void }) {
  const [name, setName] = useState(c.name);
  const [confirming, setConfirming] = useState<"remove" | "disable" | "rotate" | null>(null);
  const [rotated, setRotated] = useState<Created | null>(null);
  const [showTemplates, setShowTemplates] = useState(false);
  const [rekeying, setRekeying] = useState(false);
  const save = async (body: Parameters<typeof cabinet.updateConnection>[1]) => {
    if (await run(() => cabinet.updateConnection(c.id, body))) {
      notice.value = { kind: "ok", text: t("cabinet.saved") };
      onChange();
    }
  };
  const remove = async () => {
    setConfirming(null);
    if ((await run(() => cabinet.deleteConnection(c.id))) !== undefined) onChange();
  };
  const setDisabled = async (off: boolean) => {
    setConfirming(null);
    if (await run(() => cabinet.setDisabled(c.id, off))) onChange();
  };
  const rotate = async () => {
    setConfirming(null);
    const r = await run(() => cabinet.rotateVerifyToken(c.id));
    if (r) setRotated(r);
  };
  // Each action that loses something asks first, in its own words.
  const confirm = confirming && {
    remove: { text: "cabinet.conn.remove_confirm", label: "cabinet.conn.remove", go: remove },
    disable: { text: "cabinet.conn.disable_confirm", label: "cabinet.conn.disable", go: () => setDisabled(true) },
    rotate: { text: "cabinet.conn.rotate_confirm", label: "cabinet.conn.rotate", go: rotate },
  }[confirming];
  return (
    <li class="cab-card conn" data-kind={c.kind} data-state={c.state}>
      <div class="conn-head">
        <span class="badge">{t("cabinet.kind." + c.kind)}</span>
        <form class="conn-name" onSubmit={(e) => { e.preventDefault(); if (name !== c.name) save({ name }); }}>
          <input value={name} aria-label={t("cabinet.conn.name")} onInput={(e) => setName(e.currentTarget.value)} />
          {name !== c.name && <button class="btn small">{t("cabinet.save")}</button>}
        </form>
        <span class={"state " + c.state} title={c.status_detail}>{t("cabinet.state." + c.state)}</span>
      </div>
      {c.disabled_at && <p class="conn-disabled small" data-testid="disabled-note">{t("cabinet.conn.disabled_note", { when: when(c.disabled_at) })}</p>}
      <HealthNotes c={c} />
      <dl class="cab-dl">
        <dt>{t(c.kind === "waba" ? "cabinet.conn.phone_number_id" : "cabinet.conn.bot_id")}</dt>
        <dd>{c.external_id}{c.settings.username ? ` · @${c.settings.username}` : ""}{c.settings.display_phone ? ` · ${c.settings.display_phone}` : ""}</dd>
        <dt>{t("cabinet.conn.webhook_url")}</dt><dd><code>{c.webhook_url}</code></dd>
        {c.kind === "max_bot" && <>
          <dt>{t("cabinet.field.delivery")}</dt>
          <dd>
            <select value={c.settings.delivery || "webhook"} aria-label={t("cabinet.field.delivery")} data-testid="delivery"
              onChange={(e) => save({ delivery: e.currentTarget.value === "polling" ? "polling" : "webhook" })}>
              <option value="webhook">{t("cabinet.delivery.webhook")}</option>
              <option value="polling">{t("cabinet.delivery.polling")}</option>
            </select>
          </dd>
        </>}
        <dt>{t("cabinet.health.last_webhook")}</dt><dd>{c.health.last_webhook_at ? when(c.health.last_webhook_at) : t("cabinet.health.never")}</dd>
        <dt>{t("cabinet.conn.responsible")}</dt>
        <dd>
          <select value={String(c.default_responsible_user_id)} aria-label={t("cabinet.conn.responsible")}
            onChange={(e) => save({ default_responsible_user_id: Number(e.currentTarget.value) })}>
            <option value="0">{t("cabinet.conn.responsible_none")}</option>
            {users.map((u) => <option value={String(u.crm_user_id)}>{u.name}</option>)}
          </select>
        </dd>
      </dl>
      <div class="cab-actions">
        {c.kind === "waba" && (
          <button type="button" class="btn small" onClick={() => setShowTemplates(!showTemplates)}>
            {t(showTemplates ? "cabinet.conn.hide_templates" : "cabinet.conn.templates")}
          </button>
        )}
        <button type="button" class={"btn small" + (c.state === "auth_failed" ? " primary" : "")} onClick={() => setRekeying(!rekeying)}>
          {t("cabinet.conn.credentials")}
        </button>
        {c.kind === "waba" && (
          <button type="button" class="btn small" data-testid="rotate-verify-token" onClick={() => setConfirming("rotate")}>{t("cabinet.conn.rotate")}</button>
        )}
        {c.disabled_at
          ? <button type="button" class="btn small primary" data-testid="enable" onClick={() => setDisabled(false)}>{t("cabinet.conn.enable")}</button>
          : <button type="button" class="btn small" data-testid="disable" onClick={() => setConfirming("disable")}>{t("cabinet.conn.disable")}</button>}
        <button type="button" class="btn small" onClick={() => setConfirming("remove")}>{t("cabinet.conn.remove")}</button>
      </div>
      {confirm && (
        <div class="cab-confirm" role="alertdialog" data-testid="confirm">
          <span>{t(confirm.text)}</span>
          <button type="button" class="btn small danger" onClick={confirm.go}>{t(confirm.label)}</button>
          <button type="button" class="btn small" onClick={() => setConfirming(null)}>{t("cabinet.cancel")}</button>
        </div>
      )}
      {rotated && (
        <section class="cab-card setup" data-testid="rotated">
          <p>{t("cabinet.conn.rotated")}</p>
          <Copy label={t("cabinet.conn.verify_token")} value={rotated.setup.verify_token ?? ""} />
          <button type="button" class="btn small" onClick={() => setRotated(null)}>{t("cabinet.done")}</button>
        </section>
      )}
      {rekeying && <Credentials c={c} onDone={() => { setRekeying(false); onChange(); }} />}
      {showTemplates && <Templates connection={c} onStateChange={onChange} />}
    </li>
  );
}

// HealthNotes says, in the admin's words, what was measured to be wrong and what to check:
// "Not receiving messages: 3 webhooks refused in the last hour, bad signature — check the app
// secret".
function HealthNotes({ c }: { c: CabinetConnection }) {
  const h = c.health;
  const notes: string[] = [];
  if (h.refused_last_hour > 0) {
    const why = has("cabinet.health.why." + h.last_refusal) ? ", " + t("cabinet.health.why." + h.last_refusal) : "";
    const head = c.state === "not_receiving" ? t("cabinet.state.not_receiving") + ": " : "";
    notes.push(head + t("cabinet.health.refused", { n: h.refused_last_hour }) + why);
  }
  if (c.state === "not_verified") notes.push(t("cabinet.health.not_verified"));
  if (h.send_failed_last_hour > 0) {
    const why = h.last_send_error && has("error." + h.last_send_error) ? ": " + t("error." + h.last_send_error) : "";
    notes.push(t("cabinet.health.send_failed", { n: h.send_failed_last_hour }) + why);
  }
  if (notes.length === 0) return null;
  return <div class="conn-health" data-testid="health">{notes.map((n) => <p class="error small">{n}</p>)}</div>;
}
