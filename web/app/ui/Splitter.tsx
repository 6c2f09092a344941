// The handle between the chat list and the open chat (frames of 700 px and more): drag it, or
// focus it and use ←/→ (Home/End for the narrowest and widest list). Each employee's width is
// remembered in this browser; the stylesheet keeps it between the list's minimum and half the
// frame, so the composer never gets narrower than half the frame.
import { signal } from "@preact/signals";
import { t } from "../i18n";

// listWidth is the list's width as the employee set it, in px; null leaves the default third.
export const listWidth = signal<number | null>(null);

export const MIN_LIST = 240;
const MAX_LIST = 600;
const STEP = 16;

const storageKey = (employeeId: string) => "switchboard.listWidth." + employeeId;

// loadListWidth reads the employee's remembered width (none, or unreadable: the default).
export function loadListWidth(employeeId: string) {
  let v = NaN;
  try {
    v = Number(localStorage.getItem(storageKey(employeeId)));
  } catch {
    // storage blocked (a third-party frame with strict settings): the default width
  }
  listWidth.value = Number.isFinite(v) && v >= MIN_LIST ? v : null;
}

// maxList is the widest the list may be in a frame of width frame: half of it, at most MAX_LIST.
export function maxList(frame: number): number {
  return Math.max(MIN_LIST, Math.min(MAX_LIST, Math.floor(frame / 2)));
}

export function clampList(width: number, frame: number): number {
  return Math.round(Math.min(maxList(frame), Math.max(MIN_LIST, width)));
}

export function Splitter({ employeeId }: { employeeId: string }) {
  const frame = () => document.getElementById("root")?.clientWidth ?? window.innerWidth;
  const current = () => (document.querySelector(".app > .side") as HTMLElement | null)?.getBoundingClientRect().width ?? MIN_LIST;
  const set = (w: number, save: boolean) => {
    listWidth.value = clampList(w, frame());
    if (!save) return;
    try {
      localStorage.setItem(storageKey(employeeId), String(listWidth.value));
    } catch {
      // not remembered, but the width applies for this visit
    }
  };
  const onPointerDown = (e: PointerEvent) => {
    if (e.button !== 0) return;
    e.preventDefault();
    const el = e.currentTarget as HTMLElement;
    el.setPointerCapture(e.pointerId);
    const startX = e.clientX;
    const start = current();
    el.classList.add("dragging");
    const move = (ev: PointerEvent) => set(start + ev.clientX - startX, false);
    const up = (ev: PointerEvent) => {
      set(start + ev.clientX - startX, true);
      el.classList.remove("dragging");
      el.removeEventListener("pointermove", move);
      el.removeEventListener("pointerup", up);
      el.removeEventListener("pointercancel", up);
    };
    el.addEventListener("pointermove", move);
    el.addEventListener("pointerup", up);
    el.addEventListener("pointercancel", up);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    const w = current();
    const to = e.key === "ArrowLeft" ? w - STEP : e.key === "ArrowRight" ? w + STEP : e.key === "Home" ? MIN_LIST : e.key === "End" ? maxList(frame()) : null;
    if (to === null) return;
    e.preventDefault();
    set(to, true);
  };
  const now = listWidth.value ?? Math.round(current());
  return (
    <div class="splitter" role="separator" aria-orientation="vertical" tabIndex={0} aria-label={t("app.split.resize")} title={t("app.split.resize")}
      aria-valuemin={MIN_LIST} aria-valuemax={maxList(frame())} aria-valuenow={now}
      onPointerDown={onPointerDown} onKeyDown={onKeyDown} />
  );
}
