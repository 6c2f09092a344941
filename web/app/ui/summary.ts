import { t } from "../i18n";
import { session } from "../state";
import type { Message } from "../types";

// who is the name in front of a list preview: "You" for the employee's own messages only, a
// colleague's name for theirs, the sender in a group; nobody for the customer's own chat.
function who(m: Message): string {
  if (!m.author) return "";
  if (m.direction === "out" && m.author.employee_id === session.value?.employee.id) return t("app.you") + ": ";
  return m.author.name ? m.author.name + ": " : "";
}

// summary is the one-line summary of a message for the list.
export function summary(m: Message): string {
  const by = who(m);
  if (m.text) return by + m.text;
  if (m.attachments.length > 0 && m.type === "file") return by + m.attachments[0].name;
  return by + t("app.type." + m.type);
}
