// Templates as the composer uses them: placeholders filled in, and the picker's order and filters.
import type { Template } from "./types";

// fill puts a template's parameters into its {{1}}, {{2}}… placeholders; an empty one stays as is.
export function fill(body: string, params: string[]): string {
  return body.replace(/\{\{(\d+)\}\}/g, (m, n: string) => params[Number(n) - 1] || m);
}

// placeholder finds a {{n}} blank in text at or after from, for the composer to select it.
export function placeholder(text: string, from = 0): { start: number; end: number } | null {
  const re = /\{\{\s*\d+\s*\}\}/g;
  re.lastIndex = from;
  const m = re.exec(text);
  return m ? { start: m.index, end: m.index + m[0].length } : null;
}

// primaryLang is a template's language without its region ("en_US" → "en"); "" for a quick
// reply meant for any language.
export function primaryLang(code: string): string {
  return code.toLowerCase().split(/[-_]/)[0];
}

const fold = (s: string) => s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();

// Filter is what the picker's search box and language buttons ask for: language "" is all.
export interface Filter {
  query: string;
  language: string;
}

// pickable is the templates matching f (the query in the name or text, accents and case aside;
// a quick reply for any language matches every language), the employee's language (lang)
// first, then those for any language, then the rest, by name within each.
export function pickable(items: Template[], f: Filter, lang: string): Template[] {
  const words = fold(f.query).split(/\s+/).filter(Boolean);
  const rank = (tpl: Template) => {
    const l = primaryLang(tpl.language);
    return l === lang ? 0 : l === "" ? 1 : 2;
  };
  return items
    .filter((tpl) => {
      const l = primaryLang(tpl.language);
      if (f.language && l && l !== f.language) return false;
      const hay = fold(tpl.name + " " + tpl.body);
      return words.every((w) => hay.includes(w));
    })
    .sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name) || a.language.localeCompare(b.language));
}

// languages lists the languages of items for the picker's buttons, the employee's first.
export function languages(items: Template[], lang: string): string[] {
  const set = new Set(items.map((tpl) => primaryLang(tpl.language)).filter(Boolean));
  return [...set].sort((a, b) => Number(b === lang) - Number(a === lang) || a.localeCompare(b));
}
