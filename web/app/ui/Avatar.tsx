import { Icon } from "./Icon";
// A round picture, or the initials on a colour derived from the name.
export function Avatar({ name, url, group, size = 32 }: { name: string; url?: string | null; group?: boolean; size?: number }) {
  const style = { width: size + "px", height: size + "px", fontSize: Math.round(size * 0.4) + "px" };
  if (url) return <img class="avatar" src={url} alt="" style={style} loading="lazy" />;
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) % 360;
  // Initials from words that start with a letter; a bare phone number gets the person icon.
  const initials = name.split(/\s+/).filter((w) => /^\p{L}/u.test(w)).slice(0, 2).map((w) => w[0]!.toUpperCase()).join("");
  return (
    <span class={`avatar ${group ? "group" : ""}`} aria-hidden="true" style={{ ...style, background: `hsl(${h} 45% 88%)`, color: `hsl(${h} 45% 30%)` }}>
      {group || !initials ? <Icon name={group ? "group" : "user"} size={Math.round(size * 0.55)} /> : initials}
    </span>
  );
}
