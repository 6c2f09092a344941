// A full-size view of an attachment: an image, a PDF (drawn by pdf.js, loaded on first use) or
// a text file; anything else shows its name, size and type with Download.
import { signal } from "@preact/signals";
import { useEffect, useRef, useState } from "preact/hooks";
import { formatSize, t } from "../i18n";
import type { Attachment } from "../types";
import { Dialog } from "./Dialog";
import { Icon } from "./Icon";

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
        {a.mime === "application/pdf" && <PdfFile url={a.url} />}
        {a.mime.startsWith("text/") && <TextFile url={a.url} />}
      </div>
      <p class="muted small file-meta"><Icon name="file" size={14} /> {formatSize(a.size)} · {a.mime}</p>
      <a class="btn" href={a.url} download={a.name}>{t("app.media.download")}</a>
    </Dialog>
  );
}

// PdfFile draws the PDF's pages in the dialog.
function PdfFile({ url }: { url: string }) {
  const box = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<"loading" | "done" | "failed">("loading");
  useEffect(() => {
    let live = true;
    import("./pdfView").then(({ renderPDF }) => renderPDF(url, box.current!)).then(
      () => { if (live) setState("done"); },
      () => { if (live) setState("failed"); });
    return () => { live = false; };
  }, [url]);
  return (
    <div class="pdf" data-state={state}>
      {state === "loading" && <p class="muted">{t("app.loading")}</p>}
      {state === "failed" && <p class="error">{t("app.media.unavailable")}</p>}
      <div class="pdf-pages" ref={box} />
    </div>
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
