// The messenger a chat runs on, as a small round mark in the messenger's colour, so one person's
// WhatsApp and Telegram chats are told apart at a glance. A kind without its own mark shows its
// first letter.
import { t } from "../i18n";

const marks: Record<string, { color: string; path: string }> = {
  waba: {
    color: "#25d366",
    path: "M9.2 7.5c.2-.4.4-.4.7-.4h.5c.2 0 .4 0 .6.4l.8 1.9c.1.2.1.4 0 .6l-.5.7c-.1.2-.1.3 0 .5.6 1.1 1.5 2 2.6 2.6.2.1.3.1.5 0l.7-.8c.2-.2.4-.2.6-.1l1.9.9c.2.1.4.2.4.4 0 .5-.1 1.2-.6 1.6-.6.5-1.4.7-2.2.5-2.6-.7-4.7-2.8-5.5-5.4-.2-.8 0-1.6.4-2.3z",
  },
  max_bot: {
    color: "#5b4ef0",
    path: "M6 17V7.5h2.2l3.8 5 3.8-5H18V17h-2.3v-5.9L12 16l-3.7-4.9V17z",
  },
  telegram_bot: {
    color: "#2aabee",
    path: "M5.5 11.5l11-4.5c.5-.2 1 .1.8.8l-1.9 9c-.1.6-.6.7-1.1.4l-3-2.2-1.5 1.4c-.2.2-.3.3-.6.3l.2-3.1 5.6-5.1c.2-.2 0-.3-.3-.1l-6.9 4.4-3-.9c-.6-.2-.6-.6.2-.9z",
  },
};

export function channelName(kind: string): string {
  const key = "app.channel." + kind;
  const name = t(key);
  return name === key ? kind : name;
}

export function ChannelIcon({ kind, size = 14 }: { kind: string; size?: number }) {
  const mark = marks[kind];
  const label = channelName(kind);
  return (
    <svg class={`channel channel-${kind}`} width={size} height={size} viewBox="0 0 24 24" role="img" aria-label={label}>
      <title>{label}</title>
      <circle cx="12" cy="12" r="12" fill={mark?.color ?? "#8591a5"} />
      {mark ? <path d={mark.path} fill="#fff" />
        : <text x="12" y="16.5" text-anchor="middle" font-size="13" font-weight="bold" fill="#fff">{label.slice(0, 1).toUpperCase()}</text>}
    </svg>
  );
}

// ChannelIcons marks each messenger of chats once, in the order the chats come.
export function ChannelIcons({ kinds }: { kinds: string[] }) {
  const seen = [...new Set(kinds)];
  return <span class="channels">{seen.map((k) => <ChannelIcon key={k} kind={k} />)}</span>;
}
