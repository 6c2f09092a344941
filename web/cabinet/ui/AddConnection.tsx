// The form for a new connection. The hub checks the details with the provider before storing
// anything; a refusal names the field or quotes the provider.
import { useState } from "preact/hooks";
import { ApiError } from "../../app/api";
import { t } from "../../app/i18n";
import { cabinet, type Created, type NewConnection } from "../api";
import { describe, me } from "../state";
import type { Employee } from "../types";

const texts = {
  waba: { title: "cabinet.conn.add_waba", help: "cabinet.conn.waba_help" },
  telegram_bot: { title: "cabinet.conn.add_telegram", help: "cabinet.conn.telegram_help" },
  max_bot: { title: "cabinet.conn.add_max", help: "cabinet.conn.max_help" },
};

const wabaFields = ["phone_number_id", "waba_id", "access_token", "app_secret", "verify_token"] as const;

export function AddConnection({ kind, users, onDone, onCancel }: {
  kind: "waba" | "telegram_bot" | "max_bot"; users: Employee[]; onDone: (c: Created) => void; onCancel: () => void;
}) {
  const [error, setError] = useState<{ field?: string; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    // The form's own fields are read at submit: nothing typed can be lost to a pending render.
    const formEl = e.currentTarget as HTMLFormElement;
    const form = new FormData(formEl);
    const v = (k: string) => String(form.get(k) ?? "").trim();
    const base = { name: v("name"), default_responsible_user_id: Number(v("responsible") || 0) };
    const body: NewConnection = kind === "waba"
      ? { kind, ...base, phone_number_id: v("phone_number_id"), waba_id: v("waba_id"), access_token: v("access_token"),
        app_secret: v("app_secret"), verify_token: v("verify_token") }
      : kind === "max_bot" ? { kind, ...base, bot_token: v("bot_token"), delivery: v("delivery") === "polling" ? "polling" : "webhook" }
      : { kind, ...base, bot_token: v("bot_token") };
    try {
      onDone(await cabinet.createConnection(body));
    } catch (err) {
      const field = err instanceof ApiError ? String(err.extra.field ?? "") : "";
      setError({ field, text: describe(err) });
      if (field) formEl.querySelector<HTMLElement>(`[name="${field}"]`)?.focus();
    } finally {
      setBusy(false);
    }
  };
  const input = (k: string, opts: { secret?: boolean; optional?: boolean } = {}) => {
    const props = { name: k, autocomplete: "off", required: !opts.optional, "aria-invalid": error?.field === k };
    return (
      <label class={"cab-field" + (error?.field === k ? " bad" : "")}>
        <span>{t("cabinet.field." + k)}{opts.optional && <span class="muted"> · {t("cabinet.optional")}</span>}</span>
        {opts.secret ? <input type="password" {...props} /> : <input type="text" {...props} />}
        {has(k) && <small class="muted">{t("cabinet.field." + k + "_hint")}</small>}
      </label>
    );
  };
  return (
    <form class="cab-card cab-form" onSubmit={submit} data-testid={"form-" + kind}>
      <h2>{t(texts[kind].title)}</h2>
      <p class="muted small">{t(texts[kind].help)}</p>
      {me.value?.sandbox && <p class="small"><a href="/sandbox/console/" target="_blank" rel="noopener">{t("cabinet.conn.sandbox_console")}</a></p>}
      {kind === "waba"
        ? wabaFields.map((k) => input(k, { secret: k === "access_token" || k === "app_secret", optional: k === "verify_token" }))
        : input("bot_token", { secret: true })}
      {kind === "max_bot" && (
        <label class="cab-field">
          <span>{t("cabinet.field.delivery")}</span>
          <select name="delivery">
            <option value="webhook">{t("cabinet.delivery.webhook")}</option>
            <option value="polling">{t("cabinet.delivery.polling")}</option>
          </select>
          <small class="muted">{t("cabinet.field.delivery_hint")}</small>
        </label>
      )}
      {input("name", { optional: true })}
      <label class="cab-field">
        <span>{t("cabinet.conn.responsible")}</span>
        <select name="responsible">
          <option value="0">{t("cabinet.conn.responsible_none")}</option>
          {users.map((u) => <option value={String(u.crm_user_id)}>{u.name}</option>)}
        </select>
      </label>
      {error && <p class="error" role="alert">{error.text}</p>}
      <div class="cab-actions">
        <button class="btn primary" disabled={busy}>{t(busy ? "cabinet.conn.checking" : "cabinet.conn.connect")}</button>
        <button type="button" class="btn" onClick={onCancel}>{t("cabinet.cancel")}</button>
      </div>
    </form>
  );
}

// has tells which fields carry a hint under them.
function has(field: string): boolean {
  return field === "verify_token" || field === "access_token" || field === "bot_token";
}
