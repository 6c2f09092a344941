// A modal dialog: focus moves into it, Esc (handled by App) or the × closes it.
import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { t } from "../i18n";

export function Dialog({ title, onClose, children, side }: { title: string; onClose: () => void; children: ComponentChildren; side?: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const prev = document.activeElement as HTMLElement | null;
    ref.current?.querySelector<HTMLElement>("input, select, textarea, button:not(.dialog-x)")?.focus();
    // Closing gives focus back to where it was, unless what closed it moved it on deliberately
    // (a picked quick reply puts the cursor in the composer).
    return () => {
      const now = document.activeElement;
      if (!now || now === document.body || ref.current?.contains(now)) prev?.focus();
    };
  }, []);
  return (
    <div class={side ? "panel-wrap" : "dialog-wrap"} onMouseDown={(e) => { if (e.target === e.currentTarget) onClose(); }}>
      <div class={side ? "panel" : "dialog"} role="dialog" aria-modal="true" aria-label={title} ref={ref}>
        <header class="dialog-head">
          <h2>{title}</h2>
          <button type="button" class="icon-btn dialog-x" aria-label={t("app.close")} title={t("app.close")} onClick={onClose}>×</button>
        </header>
        {children}
      </div>
    </div>
  );
}
