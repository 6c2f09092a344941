// linkify splits a message's text into plain runs and links (web addresses, e-mails, phone
// numbers), so they can be rendered as <a> elements. The text stays text: nothing a customer
// writes is ever taken as HTML.

export type Token = { text: string } | { text: string; href: string; kind: "url" | "email" | "phone" };

const pattern = /((?:https?:\/\/|www\.)[^\s<>"]+)|([\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+)|(\+?\d[\d\s().-]{5,}\d)/gu;

// trimURL drops the punctuation that ends a sentence rather than the address, and a closing
// parenthesis the address did not open.
function trimURL(s: string): string {
  let out = s.replace(/[.,;:!?»”’'"]+$/u, "");
  while (out.endsWith(")") && (out.match(/\(/g)?.length ?? 0) < (out.match(/\)/g)?.length ?? 0)) out = out.slice(0, -1);
  return out;
}

// phoneHref is a tel: link for what looks like a phone number: with a leading + 7–15 digits,
// without one 10–15 (so dates, prices and short codes stay text).
function phoneHref(s: string): string | null {
  const digits = s.replace(/\D/g, "");
  const plus = s.startsWith("+");
  if (digits.length > 15 || digits.length < (plus ? 7 : 10)) return null;
  if (/\d\s{2,}\d/.test(s)) return null;
  return "tel:" + (plus ? "+" : "") + digits;
}

export function linkify(text: string): Token[] {
  const out: Token[] = [];
  let last = 0;
  const push = (s: string) => {
    if (!s) return;
    const prev = out[out.length - 1];
    if (prev && !("href" in prev)) prev.text += s;
    else out.push({ text: s });
  };
  for (const m of text.matchAll(pattern)) {
    const at = m.index ?? 0;
    let token: Token | null = null;
    let raw = m[0];
    if (m[1]) {
      raw = trimURL(m[1]);
      token = { text: raw, href: raw.startsWith("www.") ? "https://" + raw : raw, kind: "url" };
    } else if (m[2]) {
      token = { text: raw, href: "mailto:" + raw, kind: "email" };
    } else if (m[3]) {
      raw = m[3].replace(/[\s().-]+$/, "");
      const href = phoneHref(raw);
      if (href) token = { text: raw, href, kind: "phone" };
    }
    if (!token) continue;
    push(text.slice(last, at));
    out.push(token);
    last = at + raw.length;
  }
  push(text.slice(last));
  return out;
}
