// Create a chat (F23–F26): connection, then a phone number (and a name for someone new) — or,
// for a Telegram bot, a Telegram id or @username, since a bot cannot find anyone by phone. From
// a contact the form names them and fills in what is known. A MAX bot, likewise, takes a MAX
// user id. Every refusal shows its text;
// chat_exists offers "Go to chat".
import { useEffect, useRef, useState } from "preact/hooks";
import { api, ApiError } from "../api";
import { applyChat, scheduleReload, select } from "../actions";
import { has, t } from "../i18n";
import { createFor, panel, scope, shownEntries } from "../state";
import type { Connection, Contact } from "../types";
import { Dialog } from "./Dialog";

// known is what the form can fill in for a connection kind from the contact.
function known(c: Contact | null, telegram: boolean, max: boolean): string {
  if (!c) return "";
  if (max) return c.max_user_id ? String(c.max_user_id) : "";
  if (telegram) return c.telegram_username ? "@" + c.telegram_username : c.telegram_user_id ? String(c.telegram_user_id) : "";
  return c.phones[0] ?? "";
}

export function CreateChat() {
  const [conns, setConns] = useState<Connection[] | null>(null);
  const [connId, setConnId] = useState("");
  const [byPhone, setByPhone] = useState(false);
  const [value, setValue] = useState("");
  // typed: the employee wrote in the field. A ref, read when the effect below runs: that effect
  // runs after the browser painted, and a fast typist (or autofill) may have typed meanwhile,
  // which the render that scheduled it could not know.
  const typed = useRef(false);
  const [name, setName] = useState("");
  const [contact, setContact] = useState<Contact | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const close = () => { panel.value = null; };
  const conn = conns?.find((c) => c.id === connId);
  const telegram = conn?.kind.startsWith("telegram") ?? false;
  const max = conn?.kind === "max_bot";
  const byId = (telegram || max) && !byPhone;
  const byTelegram = byId && telegram;

  useEffect(() => {
    api.connections().then((r) => {
      setConns(r.items);
      const usable = r.items.find((c) => !c.disabled) ?? r.items[0];
      if (usable) setConnId(usable.id);
    }, (e) => setError(e instanceof ApiError ? e : new ApiError(0, "unexpected", String(e))));
    const id = createFor.value?.contactId;
    const first = shownEntries.value[0];
    if (id) api.contact(id).then(setContact, () => {});
    else if (scope.value.kind === "contact" && first?.type === "contact") setContact(first.contact);
  }, []);

  // What is known goes in until the employee types something of their own.
  useEffect(() => {
    if (!typed.current) setValue(known(contact, byTelegram, byId && max));
  }, [contact, byTelegram, byId, max]);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const target = createFor.value;
    const s = scope.value;
    try {
      const chat = await api.createChat({
        connection_id: connId,
        ...(byId && max ? { max_user_id: Number(value.trim()) } : byTelegram ? { telegram: value.trim() } : { phone: value.trim() }),
        ...(target?.contactId ? { contact_id: target.contactId } : {}),
        ...(!target?.contactId && s.kind === "contact" ? { crm_contact_id: s.id } : {}),
        ...(!contact && name.trim() ? { name: name.trim() } : {}),
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
  const title = contact?.name ? t("app.create.for_name", { name: contact.name }) : t("app.create.title");
  return (
    <Dialog title={title} onClose={close}>
      <form class="form" onSubmit={submit}>
        <label>
          {t("app.create.connection")}
          <select value={connId} onChange={(e) => { setConnId((e.target as HTMLSelectElement).value); setError(null); }} required>
            {(conns ?? []).map((c) => (
              // A broken connection is marked with what the cabinet says of it; a switched-off one
              // cannot be picked (creating a chat on it is refused).
              <option value={c.id} disabled={c.disabled} data-state={c.state}>
                {c.state && c.state !== "working" && has("cabinet.state." + c.state)
                  ? t("app.create.state", { name: c.name, state: t("cabinet.state." + c.state) }) : c.name}
              </option>
            ))}
          </select>
        </label>
        {(telegram || max) && (
          <label class="switch">
            <input type="checkbox" name="by-phone" checked={byPhone} onChange={(e) => setByPhone((e.target as HTMLInputElement).checked)} />
            {t("app.create.by_phone")}
          </label>
        )}
        <label>
          {byId ? t(max ? "app.create.max" : "app.create.telegram") : t("app.create.phone")}
          <input name="target" value={value} required autoComplete="off" inputMode={byId ? (max ? "numeric" : "text") : "tel"}
            pattern={byId && max ? "[0-9]{1,19}" : undefined}
            placeholder={byId ? t(max ? "app.create.max_hint" : "app.create.telegram_hint") : t("app.create.phone_hint")}
            onInput={(e) => { typed.current = true; setValue((e.target as HTMLInputElement).value); }} />
        </label>
        {!contact && !byId && (
          <label>
            {t("app.create.name")}
            <input name="name" value={name} autoComplete="off" maxLength={200} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
          </label>
        )}
        {error && (
          <div class="outcome error" role="alert" data-code={error.code}>
            <p>{error.message}</p>
            {error.code === "contact_not_found" && (telegram || max) && <p class="bot-first">{t("app.create.bot_first")}</p>}
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
