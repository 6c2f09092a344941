// Split into its own chunk by the dynamic import in EmojiButton.
import { Picker } from "emoji-picker-element";
import ru from "emoji-picker-element/i18n/ru_RU";
import es from "emoji-picker-element/i18n/es";
import type { Lang } from "../i18n";

export function createPicker(lang: Lang, onPick: (emoji: string) => void): HTMLElement {
  const dataSource = new URL(__EMOJI_DATA__ + lang + ".json", document.baseURI).href;
  const picker = new Picker({ locale: lang, dataSource, i18n: lang === "ru" ? ru : lang === "es" ? es : undefined });
  picker.addEventListener("emoji-click", (e) => {
    const unicode = e.detail.unicode;
    if (unicode) onPick(unicode);
  });
  return picker;
}
