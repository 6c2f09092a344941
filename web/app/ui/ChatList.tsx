// The chat list: search and "+" (full page only), contacts that expand to their chats, group
// chats for admins, unanswered marks, a lock on blocked chats; ↑/↓ move between chats.
import { useEffect, useRef } from "preact/hooks";
import { loadList, select, setExpanded, setQuery } from "../actions";
import { formatWhen, t } from "../i18n";
import {
  createFor, entryId, shownEntries, expanded, isAdmin, isCard, listCursor, listError, listLoading, panel, query, selectedId,
} from "../state";
import { openCabinet } from "../cabinet";
import type { Chat, Entry } from "../types";
import { notifyOn, toggleNotify } from "../notify";
import { Avatar } from "./Avatar";
import { summary } from "./summary";
import { Icon } from "./Icon";
import { ChannelIcon, ChannelIcons } from "./ChannelIcon";

export function ChatList() {
  const listRef = useRef<HTMLDivElement>(null);
  const order = visibleChatIds(shownEntries.value, expanded.value);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
      const target = e.target as HTMLElement;
      if (target.closest("textarea, input, [role=dialog]") || e.altKey || e.ctrlKey || e.metaKey) return;
      const i = order.indexOf(selectedId.value ?? "");
      const next = order[e.key === "ArrowDown" ? Math.min(order.length - 1, i + 1) : Math.max(0, i - 1)];
      if (next) {
        e.preventDefault();
        select(next);
        listRef.current?.querySelector<HTMLElement>(`[data-chat="${next}"]`)?.focus();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [order.join(",")]);

  const onScroll = (e: Event) => {
    const el = e.currentTarget as HTMLElement;
    if (el.scrollTop + el.clientHeight > el.scrollHeight - 200) loadList(false);
  };
  const q = query.value.trim();
  return (
    <div class="list-wrap">
      {!isCard.value && (
        <div class="search">
          <input type="search" value={query.value} placeholder={t("app.search.placeholder")} title={t("app.search.hint")} aria-label={t("app.search.hint")}
            onInput={(e) => setQuery((e.target as HTMLInputElement).value)} />
          <button type="button" class="icon-btn plus" title={t("app.create.title")} aria-label={t("app.create.title")}
            onClick={() => { createFor.value = null; panel.value = "create"; }}>+</button>
          {typeof Notification !== "undefined" && (
            <button type="button" class="icon-btn" aria-pressed={notifyOn.value} title={t(notifyOn.value ? "app.notify.on" : "app.notify.off")}
              aria-label={t(notifyOn.value ? "app.notify.on" : "app.notify.off")} onClick={toggleNotify}><Icon name={notifyOn.value ? "bell" : "bellOff"} /></button>
          )}
          {isAdmin.value && (
            <button type="button" class="icon-btn" data-testid="open-cabinet" title={t("app.cabinet.open")} aria-label={t("app.cabinet.open")}
              onClick={openCabinet}><Icon name="gear" /></button>
          )}
        </div>
      )}
      {q.length > 0 && q.length < 4 && <p class="hint">{t("error.query_too_short")}</p>}
      <div class="list" ref={listRef} onScroll={onScroll} role="list" aria-busy={listLoading.value}>
        {shownEntries.value.map((e) => <EntryRow key={entryId(e)} entry={e} />)}
        {!listLoading.value && shownEntries.value.length === 0 && !listError.value && (
          <p class="muted pad">{q.length >= 4 ? t("app.search.nothing") : t("app.list.empty")}</p>
        )}
        {isCard.value && !listLoading.value && !listError.value && (
          <button type="button" class="link pad" onClick={() => { createFor.value = null; panel.value = "create"; }}>{t("app.create.for_contact")}</button>
        )}
        {listError.value && <p class="error pad" role="alert">{listError.value}</p>}
        {listLoading.value && <p class="muted pad">{t("app.loading")}</p>}
        {listCursor.value && !listLoading.value && (
          <button type="button" class="link pad" onClick={() => loadList(false)}>{t("app.list.more")}</button>
        )}
      </div>
    </div>
  );
}

// visibleChatIds is the ↑/↓ order: each contact's chats (when expanded, else its open chat),
// groups as they come.
function visibleChatIds(list: Entry[], open: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const e of list) {
    if (e.type === "group") out.push(e.chat.id);
    else if (open.has(entryId(e)) && e.chats.length > 1) out.push(...e.chats.map((c) => c.id));
    else out.push(e.open_chat_id || e.chats[0]?.id);
  }
  return out.filter(Boolean);
}

function EntryRow({ entry }: { entry: Entry }) {
  if (entry.type === "group") {
    return <ChatRow chat={entry.chat} title={entry.chat.title} group />;
  }
  const id = entryId(entry);
  const isOpen = expanded.value.has(id);
  const chats = entry.chats;
  // The same count as each chat row's badge: unanswered messages, summed over the chats.
  const unanswered = chats.reduce((n, c) => n + (c.unanswered && !c.blocked ? c.unanswered_count || 1 : 0), 0);
  const blocked = entry.contact.blocked;
  const mainChat = chats.find((c) => c.id === entry.open_chat_id) ?? chats[0];
  const active = chats.some((c) => c.id === selectedId.value);
  return (
    <div class={`entry ${blocked ? "blocked" : ""}`} role="listitem">
      <div class={`row contact ${active && !isOpen ? "active" : ""}`}>
        <button type="button" class="row-main" data-chat={!isOpen || chats.length < 2 ? mainChat?.id : undefined}
          onClick={() => { select(mainChat?.id); }}>
          <span class="avatar-wrap">
            <Avatar name={entry.contact.name} url={entry.contact.avatar_url} />
            <ChannelIcons kinds={chats.map((c) => c.connection.kind)} />
          </span>
          <span class="row-body">
            <span class="row-top">
              <span class="name">{entry.contact.name || mainChat?.title || t("app.contact.unnamed")}</span>
              {blocked && <span class="lock"><Icon name="lock" size={12} label={t("app.blocked")} /></span>}
              {mainChat && <span class="when">{formatWhen(new Date(mainChat.last_activity_at))}</span>}
            </span>
            <span class="row-bottom">
              {chats.some(failedLast) && <FailedMark />}
              <span class="preview">{mainChat?.last_message ? summary(mainChat.last_message) : ""}</span>
              {unanswered > 0 && <span class="badge" title={t("app.unanswered")} aria-label={t("app.unanswered_n", { n: unanswered })}>{unanswered}</span>}
            </span>
          </span>
        </button>
        {chats.length > 1 && (
          <button type="button" class="icon-btn expand" aria-expanded={isOpen} title={t(isOpen ? "app.list.collapse" : "app.list.expand")}
            aria-label={t(isOpen ? "app.list.collapse" : "app.list.expand")} onClick={() => setExpanded(id, !isOpen)}>
            {isOpen ? "▾" : "▸"}<span class="count">{chats.length}</span>
          </button>
        )}
      </div>
      {isOpen && chats.length > 1 && (
        <div class="chats">
          {chats.map((c) => <ChatRow key={c.id} chat={c} title={c.connection.name} />)}
          <button type="button" class="link create-under" onClick={() => {
            createFor.value = { contactId: entry.contact.id };
            panel.value = "create";
          }}>{t("app.create.for_contact")}</button>
        </div>
      )}
    </div>
  );
}

// failedLast: the chat's last message is one of ours that was not sent.
const failedLast = (c: Chat) => c.last_message?.direction === "out" && c.last_message.status === "failed";

function FailedMark() {
  return <span class="row-failed" role="img" title={t("app.status.failed_row")} aria-label={t("app.status.failed_row")}>!</span>;
}

function ChatRow({ chat, title, group }: { chat: Chat; title: string; group?: boolean }) {
  const active = chat.id === selectedId.value;
  return (
    <div class={`row chat ${group ? "group" : ""} ${active ? "active" : ""} ${chat.blocked ? "blocked" : ""}`} role={group ? "listitem" : undefined}>
      <button type="button" class="row-main" data-chat={chat.id} aria-current={active} onClick={() => select(chat.id)}>
        {group ? <span class="avatar-wrap"><Avatar name={title} group /><ChannelIcons kinds={[chat.connection.kind]} /></span>
          : <ChannelIcon kind={chat.connection.kind} size={16} />}
        <span class="row-body">
          <span class="row-top">
            <span class="name">{title}</span>
            {chat.blocked && <span class="lock"><Icon name="lock" size={12} label={t("app.blocked")} /></span>}
            <span class="when">{formatWhen(new Date(chat.last_activity_at))}</span>
          </span>
          <span class="row-bottom">
            {failedLast(chat) && <FailedMark />}
            <span class="preview">{chat.last_message ? summary(chat.last_message) : ""}</span>
            {chat.unanswered && !chat.blocked && (
              <span class="badge" title={t("app.unanswered")} aria-label={t("app.unanswered_n", { n: chat.unanswered_count || 1 })}>{chat.unanswered_count || 1}</span>
            )}
          </span>
        </span>
      </button>
    </div>
  );
}
