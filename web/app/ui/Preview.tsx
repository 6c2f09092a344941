// A full-size view of an attachment: an image, a PDF (the browser's viewer) or a text file.
import { signal } from "@preact/signals";
import { useEffect, useState } from "preact/hooks";
import { t } from "../i18n";
import type { Attachment } from "../types";
import { Dialog } from "./Dialog";

export const previewing = signal<Attachment | null>(null);

export function preview(a: Attachment) {
  previewing.value = a;
}

export function PreviewDialog() {
  const a = previewing.value;
  if (!a) return null;
  const close = () => { previewing.value = null; };
  return (
    <Dialog title={a.name} onClose={close}>
      <div class="preview-body">
        {a.mime.startsWith("image/") && <img src={a.url} alt={a.name} />}
        {a.mime === "application/pdf" && <iframe src={a.url} title={a.name} />}
        {a.mime.startsWith("text/") && <TextFile url={a.url} />}
      </div>
      <a class="btn" href={a.url} download={a.name}>{t("app.media.download")}</a>
    </Dialog>
  );
}

// TextFile shows the first 100 KB of a text file.
function TextFile({ url }: { url: string }) {
  const [text, setText] = useState<string | null>(null);
  useEffect(() => {
    fetch(url, { headers: { Range: "bytes=0-102399" } })
      .then((r) => (r.ok ? r.text() : Promise.reject(r.status)))
      .then(setText, () => setText(t("app.media.unavailable")));
  }, [url]);
  return <pre class="text-file">{text ?? t("app.loading")}</pre>;
}
