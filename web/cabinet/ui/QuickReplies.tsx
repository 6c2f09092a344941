// The workspace's quick replies: short texts every employee can insert; {{1}} marks a blank. Each
// may be for one language (the chat window lists an employee's language first) or for any.
import { useState } from "preact/hooks";
import { t } from "../../app/i18n";
import { cabinet } from "../api";
import { run } from "../state";
import type { QuickReplyLanguage, Template } from "../types";
import { useLoad } from "./useLoad";

export function QuickReplies() {
  const [list, reload] = useLoad(cabinet.quickReplies);
  const [editing, setEditing] = useState<Template | "new" | null>(null);
  return (
    <div>
      <div class="cab-actions">
        <button type="button" class="btn primary" onClick={() => setEditing("new")}>{t("cabinet.quick.add")}</button>
      </div>
      <p class="muted small">{t("cabinet.quick.help")}</p>
      {editing && <Editor key={editing === "new" ? "new" : editing.id} item={editing === "new" ? null : editing}
        onDone={() => { setEditing(null); reload(); }} onCancel={() => setEditing(null)} />}
      {list && list.items.length === 0 && <p class="muted">{t("cabinet.quick.empty")}</p>}
      <ul class="cab-list">
        {list?.items.map((q) => (
          <li class="cab-card quick">
            <div class="conn-head"><strong>{q.name}</strong>
              <span class="quick-lang">{q.language ? languageName(q.language) : t("cabinet.quick.any_language")}</span><span class="grow" />
              <button type="button" class="btn small" onClick={() => setEditing(q)}>{t("cabinet.edit")}</button>
              <button type="button" class="btn small" onClick={async () => {
                if ((await run(() => cabinet.deleteQuickReply(q.id))) !== undefined) reload();
              }}>{t("cabinet.delete")}</button>
            </div>
            <p class="quick-body">{q.body}</p>
          </li>
        ))}
      </ul>
    </div>
  );
}

function Editor({ item, onDone, onCancel }: { item: Template | null; onDone: () => void; onCancel: () => void }) {
  const [name, setName] = useState(item?.name ?? "");
  const [body, setBody] = useState(item?.body ?? "");
  const [language, setLanguage] = useState<QuickReplyLanguage>((item?.language ?? "") as QuickReplyLanguage);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (await run(() => cabinet.saveQuickReply(item?.id ?? null, { name, body, language }))) onDone();
  };
  return (
    <form class="cab-card cab-form" onSubmit={submit}>
      <label class="cab-field"><span>{t("cabinet.quick.name")}</span>
        <input value={name} required onInput={(e) => setName(e.currentTarget.value)} /></label>
      <label class="cab-field"><span>{t("cabinet.quick.language")}</span>
        <select value={language} onChange={(e) => setLanguage(e.currentTarget.value as QuickReplyLanguage)}>
          <option value="">{t("cabinet.quick.any_language")}</option>
          {LANGUAGES.map((l) => <option value={l}>{languageName(l)}</option>)}
        </select></label>
      <label class="cab-field"><span>{t("cabinet.quick.body")}</span>
        <textarea rows={4} value={body} required onInput={(e) => setBody(e.currentTarget.value)} /></label>
      <div class="cab-actions">
        <button class="btn primary">{t("cabinet.save")}</button>
        <button type="button" class="btn" onClick={onCancel}>{t("cabinet.cancel")}</button>
      </div>
    </form>
  );
}

// LANGUAGES are those the product speaks, so those of the employees who will see the reply first.
const LANGUAGES: QuickReplyLanguage[] = ["ru", "en", "es"];

function languageName(code: string): string {
  return t("cabinet.quick.language_" + code);
}
