// The history of one chat, virtualized (B7): only the rows near the viewport are in the DOM;
// the rest are spacers sized from measured (or estimated) heights. Scrolling near the top loads
// older pages, keeping what is on screen still; new messages follow when the view is at the bottom.
import { useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";
import { loadHistory } from "../actions";
import { formatDay, t } from "../i18n";
import { histories } from "../state";
import type { Chat, Message } from "../types";
import { Bubble } from "./Bubble";

type Row = { key: string; day: Date } | { key: string; m: Message };

const overscan = 800;
const estimate = (r: Row) => ("day" in r ? 36 : 64);

function buildRows(items: Message[]): Row[] {
  const rows: Row[] = [];
  let lastDay = "";
  for (const m of items) {
    const d = new Date(m.created_at);
    const day = d.toDateString();
    if (day !== lastDay) {
      rows.push({ key: "d" + day, day: d });
      lastDay = day;
    }
    rows.push({ key: m.client_id || m.id, m });
  }
  return rows;
}

export function Messages({ chat, onReply }: { chat: Chat; onReply: (id: string) => void }) {
  const h = histories.value.get(chat.id);
  const items = h?.items ?? [];
  const rows = useMemo(() => buildRows(items), [items]);
  const byId = useMemo(() => new Map(items.map((m) => [m.id, m])), [items]);
  const scroller = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLDivElement>(null);
  const heights = useRef(new Map<string, number>());
  const stick = useRef(true);
  const firstKey = useRef<{ key: string; offset: number } | null>(null);
  const [view, setView] = useState({ top: 0, height: 800 });
  const [, setTick] = useState(0);

  const offsets = new Array<number>(rows.length + 1);
  offsets[0] = 0;
  for (let i = 0; i < rows.length; i++) offsets[i + 1] = offsets[i] + (heights.current.get(rows[i].key) ?? estimate(rows[i]));
  const total = offsets[rows.length];
  const find = (y: number) => {
    let lo = 0;
    let hi = rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (offsets[mid + 1] <= y) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const start = find(view.top - overscan);
  const end = Math.min(rows.length, find(view.top + view.height + overscan) + 1);

  useLayoutEffect(() => {
    const el = scroller.current;
    const box = content.current;
    if (!el || !box) return;
    // Measure what is rendered; rows above the first visible one shift the view if they change.
    let changed = false;
    let above = 0;
    const anchor = find(el.scrollTop);
    for (const child of Array.from(box.children) as HTMLElement[]) {
      const key = child.dataset.key;
      if (!key) continue;
      const hNow = child.offsetHeight;
      const before = heights.current.get(key);
      if (before !== hNow) {
        heights.current.set(key, hNow);
        changed = true;
        const idx = Number(child.dataset.idx);
        if (idx < anchor) above += hNow - (before ?? estimate(rows[idx]));
      }
    }
    // Older messages put in front: keep the same message under the eye. The anchor is the
    // oldest message row (a day separator above it can stay the same while messages arrive).
    const k = rows.findIndex((r) => "m" in r);
    const prev = firstKey.current;
    if (prev && k >= 0 && rows[k].key !== prev.key && !stick.current) {
      const j = rows.findIndex((r) => r.key === prev.key);
      if (j > 0) above += offsets[j] - prev.offset;
    }
    firstKey.current = k >= 0 ? { key: rows[k].key, offset: offsets[k] } : null;
    if (stick.current) el.scrollTop = el.scrollHeight;
    else if (above !== 0) el.scrollTop += above;
    if (changed) setTick((n) => n + 1);
    // Near the top (or a history shorter than the view, which cannot scroll): fetch older pages
    // without waiting for another scroll event, which a view already at the top never sends.
    else if (h && !h.done && !h.loading && !h.error && (el.scrollTop < 600 || el.scrollHeight <= el.clientHeight)) loadHistory(chat.id, true);
  });

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el || !content.current) return;
    const ro = new ResizeObserver(() => {
      setView({ top: el.scrollTop, height: el.clientHeight });
      setTick((n) => n + 1);
    });
    ro.observe(el);
    ro.observe(content.current);
    return () => ro.disconnect();
  }, []);

  const onScroll = () => {
    const el = scroller.current!;
    stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
    setView({ top: el.scrollTop, height: el.clientHeight });
    if (el.scrollTop < 600 && h && !h.done && !h.loading) loadHistory(chat.id, true);
  };

  return (
    <div class="history" ref={scroller} onScroll={onScroll} role="log" aria-live="polite" aria-busy={h?.loading ?? true}>
      {h?.loading && items.length > 0 && <p class="muted center small">{t("app.loading")}</p>}
      {h?.done && items.length > 0 && <p class="muted center small">{t("app.history.start")}</p>}
      <div style={{ height: offsets[start] + "px" }} />
      <div ref={content}>
        {rows.slice(start, end).map((r, i) => (
          <div key={r.key} data-key={r.key} data-idx={start + i}>
            {"day" in r ? <div class="day"><span>{formatDay(r.day)}</span></div>
              : <Bubble m={r.m} chat={chat} quoted={r.m.reply_to ? byId.get(r.m.reply_to) ?? null : null} onReply={onReply} />}
          </div>
        ))}
      </div>
      <div style={{ height: total - offsets[end] + "px" }} />
      {h && !h.loading && items.length === 0 && !h.error && <p class="muted center pad">{t("app.history.empty")}</p>}
      {h?.error && <p class="error center pad" role="alert">{h.error}</p>}
    </div>
  );
}
