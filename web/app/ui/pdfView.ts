// PDF pages drawn with pdf.js into canvases, in the window itself: the file endpoint answers with
// `Content-Security-Policy: sandbox`, under which the browser's own PDF viewer is blocked. This
// module (and pdf.js with it) is loaded only when a PDF preview opens; its worker is served by the
// hub from the bundle's assets.
import { GlobalWorkerOptions, getDocument } from "pdfjs-dist";

GlobalWorkerOptions.workerSrc = __PDF_WORKER__;

// renderPDF draws up to maxPages pages of the PDF at url into box, each as fit to its width,
// and returns the document's page count.
export async function renderPDF(url: string, box: HTMLElement, maxPages = 20): Promise<number> {
  const doc = await getDocument({ url }).promise;
  const dpr = window.devicePixelRatio || 1;
  for (let i = 1; i <= Math.min(doc.numPages, maxPages); i++) {
    const page = await doc.getPage(i);
    const fit = Math.min(2, (box.clientWidth || 800) / page.getViewport({ scale: 1 }).width);
    const viewport = page.getViewport({ scale: fit * dpr });
    const canvas = document.createElement("canvas");
    canvas.className = "pdf-page";
    canvas.width = Math.floor(viewport.width);
    canvas.height = Math.floor(viewport.height);
    canvas.style.width = Math.floor(viewport.width / dpr) + "px";
    box.appendChild(canvas);
    await page.render({ canvas, canvasContext: canvas.getContext("2d")!, viewport }).promise;
    canvas.dataset.rendered = "true";
  }
  return doc.numPages;
}
