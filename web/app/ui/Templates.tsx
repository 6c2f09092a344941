// Pick a template of the chat's connection (WABA templates and the hub's quick replies, F14),
// fill its {{1}}… parameters, see the result, send.
import { useEffect, useState } from "preact/hooks";
import { api, ApiError } from "../api";
import { send } from "../actions";
import { t } from "../i18n";
import { panel } from "../state";
import { fill } from "../template";
import type { Chat, Template } from "../types";
import { Dialog } from "./Dialog";

export function Templates({ chat, onSent }: { chat: Chat; onSent: () => void }) {
  const [items, setItems] = useState<Template[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [picked, setPicked] = useState<Template | null>(null);
  const [params, setParams] = useState<string[]>([]);
  const [sending, setSending] = useState(false);
  // close leaves alone a panel opened meanwhile (the send may finish after another click).
  const close = () => { if (panel.value === "templates") panel.value = null; };

  useEffect(() => {
    api.templates(chat.connection.id).then((r) => setItems(r.items), (e) => setError(e instanceof ApiError ? e.message : String(e)));
  }, [chat.connection.id]);

  const closed = chat.window !== null && !chat.window.open;
  const usable = (items ?? []).filter((tpl) => !closed || tpl.kind === "waba");
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!picked) return;
    setSending(true);
    setError(null);
    try {
      await send(chat.id, { template: { id: picked.id, params } });
      onSent();
      close();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setSending(false);
    }
  };

  return (
    <Dialog title={t("app.templates.title")} onClose={close}>
      {items === null && !error && <p class="muted">{t("app.loading")}</p>}
      {items !== null && usable.length === 0 && <p class="muted">{t("app.templates.none")}</p>}
      {!picked && (
        <ul class="templates">
          {usable.map((tpl) => (
            <li>
              <button type="button" class="template" onClick={() => { setPicked(tpl); setParams(new Array(tpl.params).fill("")); }}>
                <strong>{tpl.name}</strong> <span class="tag">{t("app.templates.kind." + tpl.kind)}</span>
                <span class="muted small block">{tpl.body}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {picked && (
        <form onSubmit={submit} class="form">
          <p><strong>{picked.name}</strong></p>
          {params.map((v, i) => (
            <label>
              {t("app.templates.param", { n: i + 1 })}
              <input required value={v} onInput={(e) => {
                const value = (e.target as HTMLInputElement).value;
                setParams((prev) => prev.map((p, j) => (j === i ? value : p)));
              }} />
            </label>
          ))}
          <p class="template-preview">{fill(picked.body, params)}</p>
          <div class="actions">
            <button type="button" class="btn" onClick={() => setPicked(null)}>{t("app.back")}</button>
            <button type="submit" class="btn primary" disabled={sending}>{t("app.send")}</button>
          </div>
        </form>
      )}
      {error && <p class="error" role="alert">{error}</p>}
    </Dialog>
  );
}
