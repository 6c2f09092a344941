// The emoji picker (F13), loaded only when first opened. Its data is served by the hub in the
// picker's language; nothing is fetched from outside.
import { useEffect, useRef, useState } from "preact/hooks";
import { lang, t } from "../i18n";
import { Icon } from "./Icon";

export function EmojiButton({ onPick }: { onPick: (emoji: string) => void }) {
  const [open, setOpen] = useState(false);
  const [failed, setFailed] = useState(false);
  const host = useRef<HTMLDivElement>(null);
  const wrap = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open || !host.current) return;
    let picker: HTMLElement | null = null;
    const el = host.current;
    import("./emojiPicker").then(({ createPicker }) => {
      picker = createPicker(lang.value, (emoji) => {
        onPick(emoji);
        setOpen(false);
      });
      el.appendChild(picker);
    }, () => setFailed(true));
    const close = (e: Event) => {
      if (e instanceof KeyboardEvent ? e.key === "Escape" : !wrap.current?.contains(e.target as Node)) setOpen(false);
    };
    window.addEventListener("mousedown", close);
    window.addEventListener("keydown", close);
    return () => {
      picker?.remove();
      window.removeEventListener("mousedown", close);
      window.removeEventListener("keydown", close);
    };
  }, [open]);

  return (
    <div class="emoji" ref={wrap}>
      <button type="button" class="icon-btn" aria-expanded={open} title={t("app.emoji.title")} aria-label={t("app.emoji.title")} onClick={() => setOpen(!open)}><Icon name="smile" size={18} /></button>
      {open && <div class="emoji-pop" ref={host}>{failed && <p class="error small">{t("app.emoji.failed")}</p>}</div>}
    </div>
  );
}
