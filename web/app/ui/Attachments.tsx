// Media inside a bubble (F17): images (click to enlarge), stickers, video and audio players, voice
// with its duration, and file cards that preview images, PDF and text.
import { formatDuration, formatSize, t } from "../i18n";
import { preview as showPreview } from "./Preview";
import type { Attachment, Message } from "../types";
import { Icon } from "./Icon";

export function Attachments({ m }: { m: Message }) {
  return <>{m.attachments.map((a) => <One a={a} type={m.type} />)}</>;
}

function previewable(mime: string): boolean {
  return mime.startsWith("image/") || mime === "application/pdf" || mime.startsWith("text/");
}

function One({ a, type }: { a: Attachment; type: string }) {
  if (a.error) {
    return (
      <div class="file failed" role="note">
        <span class="file-icon"><Icon name="file" size={22} /></span>
        <span class="file-body">
          <span>{a.name || t("app.type." + type)}</span>
          <span class="muted small">{a.error.message}</span>
        </span>
      </div>
    );
  }
  const ratio = a.width && a.height ? { aspectRatio: `${a.width} / ${a.height}` } : undefined;
  if ((type === "image" || type === "sticker") && a.mime.startsWith("image/")) {
    return (
      <button type="button" class={`media ${type}`} onClick={() => showPreview(a)} title={t("app.media.enlarge")}>
        <img src={a.thumbnail_url || a.url} alt={a.name} loading="lazy" style={ratio} />
      </button>
    );
  }
  if (type === "video" || a.mime.startsWith("video/")) {
    return <video class="media" src={a.url} controls preload="metadata" style={ratio} />;
  }
  if (type === "voice" || type === "audio" || a.mime.startsWith("audio/")) {
    return (
      <div class={`audio ${type}`}>
        {type === "voice" && <Icon name="mic" size={14} />}
        <audio src={a.url} controls preload="metadata" />
        {a.duration !== undefined && <span class="muted small">{formatDuration(a.duration)}</span>}
      </div>
    );
  }
  return (
    <div class="file">
      <span class="file-icon"><Icon name="file" size={22} /></span>
      <span class="file-body">
        <a href={a.url} download={a.name} target="_blank" rel="noopener">{a.name}</a>
        <span class="muted small">{formatSize(a.size)}</span>
      </span>
      {previewable(a.mime) && <button type="button" class="btn small" onClick={() => showPreview(a)}>{t("app.media.preview")}</button>}
    </div>
  );
}
