// The WABA 24-hour window (F18): the time left in green, red once it has run out.
import { useEffect, useState } from "preact/hooks";
import { formatDuration, t } from "../i18n";
import type { Window } from "../types";

export function WindowTimer({ window: w }: { window: Window }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, []);
  const left = w.expires_at ? Date.parse(w.expires_at) - now : 0;
  const open = w.open && left > 0;
  const cls = open ? "window open" : "window closed";
  return (
    <span class={cls} title={t(open ? "app.window.open_hint" : "app.window.closed_hint")}>
      {open ? t("app.window.left", { time: formatDuration(left / 1000) }) : t("app.window.closed")}
    </span>
  );
}
