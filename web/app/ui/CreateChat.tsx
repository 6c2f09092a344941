// Create a chat (F23–F25): connection, then a phone number — or, for a Telegram connection, a
// Telegram id or @username, and for a MAX connection a MAX user id. Every refusal shows its text; chat_exists offers "Go to chat".
import { useEffect, useState } from "preact/hooks";
import { api, ApiError } from "../api";
import { applyChat, scheduleReload, select } from "../actions";
import { t } from "../i18n";
import { createFor, panel, scope } from "../state";
import type { Connection } from "../types";
import { Dialog } from "./Dialog";

export function CreateChat() {
  const [conns, setConns] = useState<Connection[] | null>(null);
  const [connId, setConnId] = useState("");
  const [byTelegram, setByTelegram] = useState(false);
  const [value, setValue] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const close = () => { panel.value = null; };
  const conn = conns?.find((c) => c.id === connId);
  const telegram = conn?.kind.startsWith("telegram") ?? false;
  const max = conn?.kind === "max_bot";
  const byId = (telegram || max) && byTelegram;

  useEffect(() => {
    api.connections().then((r) => {
      setConns(r.items);
      if (r.items[0]) setConnId(r.items[0].id);
    }, (e) => setError(e instanceof ApiError ? e : new ApiError(0, "unexpected", String(e))));
  }, []);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const target = createFor.value;
    const s = scope.value;
    try {
      const chat = await api.createChat({
        connection_id: connId,
        ...(byId && max ? { max_user_id: Number(value.trim()) } : byId ? { telegram: value.trim() } : { phone: value.trim() }),
        ...(target?.contactId ? { contact_id: target.contactId } : {}),
        ...(!target?.contactId && s.kind === "contact" ? { crm_contact_id: s.id } : {}),
      });
      applyChat(chat);
      scheduleReload();
      close();
      select(chat.id);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, "unexpected", String(err)));
    } finally {
      setBusy(false);
    }
  };

  const existing = error?.code === "chat_exists" ? String(error.extra.chat_id ?? "") : "";
  return (
    <Dialog title={t("app.create.title")} onClose={close}>
      <form class="form" onSubmit={submit}>
        <label>
          {t("app.create.connection")}
          <select value={connId} onChange={(e) => { setConnId((e.target as HTMLSelectElement).value); setError(null); }} required>
            {(conns ?? []).map((c) => <option value={c.id}>{c.name}</option>)}
          </select>
        </label>
        {(telegram || max) && (
          <label class="switch">
            <input type="checkbox" checked={byTelegram} onChange={(e) => setByTelegram((e.target as HTMLInputElement).checked)} />
            {t(max ? "app.create.by_max" : "app.create.by_telegram")}
          </label>
        )}
        <label>
          {byId ? t(max ? "app.create.max" : "app.create.telegram") : t("app.create.phone")}
          <input name="target" value={value} required autoComplete="off" inputMode={byId ? (max ? "numeric" : "text") : "tel"}
            pattern={byId && max ? "[0-9]{1,19}" : undefined}
            placeholder={byId ? t(max ? "app.create.max_hint" : "app.create.telegram_hint") : t("app.create.phone_hint")}
            onInput={(e) => setValue((e.target as HTMLInputElement).value)} />
        </label>
        {error && (
          <div class="outcome error" role="alert" data-code={error.code}>
            <p>{error.message}</p>
            {existing && (
              <button type="button" class="btn primary" onClick={() => { close(); scheduleReload(); select(existing); }}>{t("app.create.go_to_chat")}</button>
            )}
          </div>
        )}
        <div class="actions">
          <button type="button" class="btn" onClick={close}>{t("app.cancel")}</button>
          <button type="submit" class="btn primary" disabled={busy || !connId}>{t("app.create.submit")}</button>
        </div>
      </form>
    </Dialog>
  );
}
