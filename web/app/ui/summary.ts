import { t } from "../i18n";
import type { Message } from "../types";

// summary is the one-line summary of a message for the list.
export function summary(m: Message): string {
  const who = m.direction === "out" ? t("app.you") + ": " : "";
  if (m.text) return who + m.text;
  if (m.attachments.length > 0 && m.type === "file") return who + m.attachments[0].name;
  return who + t("app.type." + m.type);
}
