// The contact's profile (F22): avatar, name, phones, Telegram username and id, MAX id and
// link, e-mail.
import { useEffect, useState } from "preact/hooks";
import { api, ApiError } from "../api";
import { t } from "../i18n";
import { panel } from "../state";
import type { Contact } from "../types";
import { Avatar } from "./Avatar";
import { Dialog } from "./Dialog";
import { Icon } from "./Icon";

export function Profile({ contactId }: { contactId: string }) {
  const [c, setC] = useState<Contact | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.contact(contactId).then(setC, (e) => setError(e instanceof ApiError ? e.message : String(e)));
  }, [contactId]);
  return (
    <Dialog title={t("app.profile.title")} onClose={() => { panel.value = null; }} side>
      {error && <p class="error" role="alert">{error}</p>}
      {!c && !error && <p class="muted">{t("app.loading")}</p>}
      {c && (
        <div class="profile">
          <Avatar name={c.name} url={c.avatar_url} size={72} />
          <h3 class="profile-name">{c.name || t("app.contact.unnamed")}{c.blocked && <span class="lock"> <Icon name="lock" size={14} label={t("app.blocked")} /></span>}</h3>
          <dl>
            {c.phones.length > 0 && <Field label={t("app.profile.phone")}>{c.phones.map((p) => <div><a href={"tel:" + p}>{p}</a></div>)}</Field>}
            {c.telegram_username && <Field label={t("app.profile.telegram_username")}>@{c.telegram_username}</Field>}
            {c.telegram_user_id !== null && c.telegram_user_id !== undefined && <Field label={t("app.profile.telegram_id")}>{String(c.telegram_user_id)}</Field>}
            {c.max_user_id !== null && c.max_user_id !== undefined && <Field label={t("app.profile.max_id")}>{String(c.max_user_id)}</Field>}
            {c.max_username && <Field label={t("app.profile.max_link")}><a href={"https://max.ru/" + encodeURIComponent(c.max_username)} target="_blank" rel="noopener">max.ru/{c.max_username}</a></Field>}
            {c.email && <Field label={t("app.profile.email")}><a href={"mailto:" + c.email}>{c.email}</a></Field>}
          </dl>
        </div>
      )}
    </Dialog>
  );
}

function Field({ label, children }: { label: string; children: preact.ComponentChildren }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}
