// New secrets for a connection whose token was revoked or rotated, or a WABA number's corrected
// phone number id; the hub checks them with the provider before they replace the old ones.
import { useState } from "preact/hooks";
import { t } from "../../app/i18n";
import { cabinet } from "../api";
import { describe, notice } from "../state";
import type { CabinetConnection } from "../types";

export function Credentials({ c, onDone }: { c: CabinetConnection; onDone: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const fields = c.kind === "waba" ? ["phone_number_id", "access_token", "app_secret"] : ["bot_token"];
  const submit = async (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    const body = Object.fromEntries(fields.map((k) => [k, String(form.get(k) ?? "").trim()]).filter(([, v]) => v !== ""));
    setBusy(true);
    setError(null);
    try {
      await cabinet.replaceCredentials(c.id, body);
      notice.value = { kind: "ok", text: t("cabinet.saved") };
      onDone();
    } catch (err) {
      setError(describe(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="cab-form cab-credentials" onSubmit={submit}>
      <p class="muted small">{t("cabinet.conn.credentials_help")}</p>
      {fields.map((k) => k === "phone_number_id" ? (
        <label class="cab-field">
          <span>{t("cabinet.field." + k)}</span>
          <input name={k} autocomplete="off" inputMode="numeric" placeholder={c.external_id} />
          <small class="muted">{t("cabinet.conn.phone_number_id_hint")}</small>
        </label>
      ) : (
        <label class="cab-field">
          <span>{t("cabinet.field." + k)}</span>
          <input type="password" name={k} autocomplete="off" required={c.kind !== "waba"} />
        </label>
      ))}
      {error && <p class="error" role="alert">{error}</p>}
      <button class="btn primary small" disabled={busy}>{t(busy ? "cabinet.conn.checking" : "cabinet.save")}</button>
    </form>
  );
}
