// Writing to the customer: Enter sends, Shift+Enter breaks the line; emoji, files (button, drag
// and drop, paste), voice, templates. Outside the WABA window only templates go, and the
// composer says why; a blocked chat or a connection outside the subscription disables it with
// the reason. The draft is saved on the server as it is typed (B5).
import { useEffect, useRef, useState } from "preact/hooks";
import { api, ApiError } from "../api";
import { send, typing, uuid } from "../actions";
import { formatSize, t } from "../i18n";
import { connections, histories, online, panel, refusal } from "../state";
import type { Chat, Upload } from "../types";
import { EmojiButton } from "./EmojiButton";
import { placeholder } from "../template";
import { summary } from "./summary";
import { Templates } from "./Templates";
import { VoiceRecorder } from "./VoiceRecorder";
import { useDraft } from "./useDraft";
import { Icon } from "./Icon";

// Pending is an uploaded file waiting to be sent, with a local preview of an image.
type Pending = Upload & { thumb?: string };

// blockReason says why nothing can be sent, or null.
function blockReason(chat: Chat): string | null {
  if (chat.blocked) return t("error.chat_blocked");
  if (chat.stopped) return t("error.bot_stopped");
  if (connections.value.get(chat.connection.id)?.disabled) return t("error.connection_disabled");
  if (connections.value.get(chat.connection.id)?.in_subscription === false) return t("error.connection_not_in_subscription");
  return null;
}

function windowClosed(chat: Chat): boolean {
  return chat.window !== null && (!chat.window.open || (chat.window.expires_at !== null && Date.parse(chat.window.expires_at) <= Date.now()));
}

export function Composer({ chat, replyTo, onReplyDone }: { chat: Chat; replyTo: string | null; onReplyDone: () => void }) {
  const [text, setText] = useDraft(chat.id);
  const [files, setFiles] = useState<Pending[]>([]);
  const [uploading, setUploading] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [dragging, setDragging] = useState(false);
  const area = useRef<HTMLTextAreaElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const [, setNow] = useState(0);
  // clientIds keeps the client_id of each message the composer tried to send, by what it holds,
  // until the hub accepts it or the text changes: sending again after an error (an answer lost
  // on the way) reuses it, and the hub sends nothing twice.
  const clientIds = useRef(new Map<string, string>());
  const blocked = blockReason(chat);
  const closed = windowClosed(chat);
  const edit = (v: string) => {
    if (v.trim() !== text.trim()) clientIds.current.clear();
    setText(v);
    // The customer sees the employee typing, where the messenger shows it (not outside the
    // WABA window, where only a template can go).
    if (v.trim() && !blocked && !closed) typing(chat.id);
  };

  // Re-render when the window runs out, so the composer switches to templates only.
  useEffect(() => {
    if (!chat.window?.open || !chat.window.expires_at) return;
    const left = Date.parse(chat.window.expires_at) - Date.now();
    if (left <= 0 || left > 2 ** 31 - 1) return;
    const id = setTimeout(() => setNow(Date.now()), left + 50);
    return () => clearTimeout(id);
  }, [chat.window?.expires_at, chat.window?.open]);

  useEffect(() => {
    if (replyTo) area.current?.focus();
  }, [replyTo]);

  // An error line goes once what caused it is gone: back online, unblocked, a new window, the
  // subscription changed.
  useEffect(() => setError(null), [online.value, chat.blocked, chat.window?.open, chat.connection.id, refusal.value]);

  const upload = async (list: FileList | File[]) => {
    setError(null);
    for (const f of Array.from(list)) {
      setUploading((n) => n + 1);
      try {
        const u = await api.upload(f, f.name);
        setFiles((prev) => [...prev, { ...u, thumb: f.type.startsWith("image/") ? URL.createObjectURL(f) : undefined }]);
      } catch (e) {
        setError(e instanceof ApiError ? e.message : String(e));
      } finally {
        setUploading((n) => n - 1);
      }
    }
  };

  const submit = async () => {
    const body = text.trim();
    if ((!body && files.length === 0) || sending || uploading > 0) return;
    setSending(true);
    setError(null);
    try {
      // Messengers carry one file per message: each file goes as a message of its own, the text
      // and the quote with the first. What went out leaves the composer even if a later one fails.
      const parts = files.length ? files.map((f) => [f.id]) : [undefined];
      for (let i = 0; i < parts.length; i++) {
        const first = i === 0;
        const out = { text: first ? body || undefined : undefined, attachments: parts[i], reply_to: first ? replyTo ?? undefined : undefined };
        const key = JSON.stringify(out);
        let id = clientIds.current.get(key);
        if (!id) clientIds.current.set(key, (id = uuid()));
        await send(chat.id, out, id);
        clientIds.current.delete(key);
        if (first) {
          setText("");
          onReplyDone();
        }
        setFiles((prev) => prev.slice(1));
      }
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setSending(false);
      // Back to typing, unless the employee moved on (a dialog opened while the answer came).
      const now = document.activeElement;
      if (!now || now === document.body || area.current?.closest(".composer-row")?.contains(now)) area.current?.focus();
    }
  };

  if (blocked) {
    return <div class="composer disabled" role="status"><Icon name="lock" size={14} /> {blocked}</div>;
  }

  const quoted = replyTo ? histories.value.get(chat.id)?.items.find((m) => m.id === replyTo) : null;
  return (
    <div class={`composer ${dragging ? "dragging" : ""}`}
      onDragOver={(e) => { if (!closed) { e.preventDefault(); setDragging(true); } }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        if (!closed && e.dataTransfer?.files.length) upload(e.dataTransfer.files);
      }}>
      {refusal.value && !closed && <p class="window-note" role="status">{refusal.value}</p>}
      {closed && <p class="window-note" role="status">{t(chat.window?.expires_at ? "error.waba_window_closed" : "app.window.not_written")}</p>}
      {quoted && (
        <div class="replying">
          <span class="quote">{summary(quoted)}</span>
          <button type="button" class="icon-btn" aria-label={t("app.reply.cancel")} title={t("app.reply.cancel")} onClick={onReplyDone}>×</button>
        </div>
      )}
      {(files.length > 0 || uploading > 0) && (
        <div class="pending">
          {files.map((f) => (
            <span class="chip" title={f.name}>
              {f.thumb ? <img class="chip-thumb" src={f.thumb} alt="" /> : <Icon name="file" size={14} />}
              <span class="chip-name">{f.name}</span>
              <span class="muted chip-size">{formatSize(f.size)}</span>
              <button type="button" class="icon-btn" aria-label={t("app.attach.remove", { name: f.name })} onClick={() => setFiles(files.filter((x) => x.id !== f.id))}>×</button>
            </span>
          ))}
          {uploading > 0 && <span class="chip muted">{t("app.attach.uploading")}</span>}
        </div>
      )}
      {error && <p class="error small" role="alert">{error}</p>}
      <div class="composer-row">
        <button type="button" class="icon-btn" title={t("app.templates.title")} aria-label={t("app.templates.title")}
          onClick={() => { panel.value = "templates"; }}><Icon name="bolt" size={18} /></button>
        {!closed && (
          <>
            <button type="button" class="icon-btn" title={t("app.attach.title")} aria-label={t("app.attach.title")} onClick={() => fileInput.current?.click()}><Icon name="clip" size={18} /></button>
            <input ref={fileInput} type="file" multiple hidden onChange={(e) => {
              const el = e.target as HTMLInputElement;
              if (el.files?.length) upload(el.files);
              el.value = "";
            }} />
            <div class="input-box">
              <textarea ref={area} rows={1} value={text} placeholder={t("app.composer.placeholder")} aria-label={t("app.composer.placeholder")}
                onInput={(e) => edit((e.target as HTMLTextAreaElement).value)}
                onPaste={(e) => {
                  const pasted = e.clipboardData?.files;
                  if (pasted && pasted.length > 0) {
                    e.preventDefault();
                    upload(pasted);
                  }
                }}
                onKeyDown={(e) => {
                  if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
                    e.preventDefault();
                    submit();
                  }
                }} />
              <EmojiButton onPick={(emoji) => insertAtCursor(area.current, emoji, edit)} />
            </div>
            {text.trim() || files.length ? (
              <button type="button" class="icon-btn send" disabled={sending || uploading > 0} title={t("app.send")} aria-label={t("app.send")} onClick={submit}><Icon name="send" size={18} /></button>
            ) : (
              <VoiceRecorder onRecorded={async (blob, name) => {
                setError(null);
                try {
                  const u = await api.upload(blob, name);
                  await send(chat.id, { attachments: [u.id] });
                } catch (e) {
                  setError(e instanceof ApiError ? e.message : String(e));
                }
              }} />
            )}
          </>
        )}
        {closed && <span class="muted grow">{t("app.window.templates_only")}</span>}
      </div>
      {panel.value === "templates" && <Templates chat={chat} wabaOnly={closed} onSent={onReplyDone} onInsert={(body) => insertQuickReply(area.current, body, edit)} />}
    </div>
  );
}

// insertQuickReply puts a quick reply's text where the cursor was and selects its first {{n}}
// blank, if any, so typing fills it in; the employee edits it and sends it themselves.
function insertQuickReply(el: HTMLTextAreaElement | null, body: string, set: (v: string) => void) {
  if (!el) return;
  const at = el.selectionStart ?? el.value.length;
  const text = at > 0 && !/\s/.test(el.value[at - 1]) ? " " + body : body; // not glued to a word
  const blank = placeholder(text);
  insertAtCursor(el, text, set, blank);
}

// insertAtCursor writes the text into the field itself, with the cursor and focus, at once:
// the state catches up on the next render, which finds the field already holding that value and
// leaves the cursor alone. (Placing the cursor after the render instead moved it back under a
// key typed in that moment: "😀 да!" went out as "😀да! ".)
function insertAtCursor(el: HTMLTextAreaElement | null, s: string, set: (v: string) => void, select: { start: number; end: number } | null = null) {
  if (!el) return;
  const start = el.selectionStart ?? el.value.length;
  const end = el.selectionEnd ?? start;
  el.value = el.value.slice(0, start) + s + el.value.slice(end);
  el.focus();
  if (select) el.setSelectionRange(start + select.start, start + select.end);
  else el.selectionStart = el.selectionEnd = start + s.length;
  set(el.value);
}
