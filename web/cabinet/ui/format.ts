import { formatDay, formatTime } from "../../app/i18n";

// when formats an RFC 3339 time as "25 November, 14:05".
export function when(iso: string | null | undefined): string {
  if (!iso) return "—";
  const d = new Date(iso);
  return `${formatDay(d)}, ${formatTime(d)}`;
}
