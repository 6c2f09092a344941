// The chat window's texts come from the shared catalogue (internal/i18n/locales), bundled with
// only the app.* and error.* keys. Each language's texts are a chunk of their own, fetched when
// the window first needs that language: the bundle every window loads carries none of them (they
// were 56 of its 139 KB), and a window speaks one language at a time (the first load,
// docs/performance.md). Dates and numbers follow the same language through Intl.
import { signal } from "@preact/signals";
import { shortDateOptions, timeOptions } from "./formats";

export type Lang = "en" | "ru" | "es";
type Texts = Record<string, string>;

// langOf maps a CRM or browser language to one the product speaks (F34).
export function langOf(value: string | undefined | null): Lang {
  const l = (value ?? "").toLowerCase().split(/[-_]/)[0];
  return l === "ru" || l === "es" ? l : "en";
}

// lang is the language the window speaks; it changes only through setLang, once that language's
// texts are in.
export const lang = signal<Lang>(langOf(typeof navigator === "undefined" ? "en" : navigator.language));

const chunks: Record<Lang, () => Promise<{ default: Texts }>> = {
  en: () => import("i18n:catalogue/en"),
  ru: () => import("i18n:catalogue/ru"),
  es: () => import("i18n:catalogue/es"),
};
const texts: Partial<Record<Lang, Texts>> = {};
const loading = new Map<Lang, Promise<void>>();

// loadLang fetches l's texts once (again after a failure).
export function loadLang(l: Lang): Promise<void> {
  let p = loading.get(l);
  if (!p) {
    p = chunks[l]().then((m) => { texts[l] = m.default; });
    p.catch(() => loading.delete(l));
    loading.set(l, p);
  }
  return p;
}

let switches = 0;

// setLang switches the window to l once l's texts are in, so nothing is ever drawn with a key
// instead of a text; until then it keeps speaking the language it had. Of two switches under
// way, the later one wins. It rejects, leaving the language as it was, when the texts cannot
// be fetched.
export async function setLang(l: Lang): Promise<void> {
  const n = ++switches;
  await loadLang(l);
  if (n === switches) lang.value = l;
}

// t returns the text of key in the current language with {name} placeholders filled in. A key
// missing from the catalogue (which the catalogue test would have caught) or asked for before
// the language's texts are in shows as itself.
export function t(key: string, vars?: Record<string, string | number>): string {
  const text = texts[lang.value]?.[key] ?? key;
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? isolate(String(vars[name])) : m));
}

// bidiControls are the explicit direction marks that reach past their own text: an override
// such as U+202E in a customer's name would turn the rest of "{name} is unblocked." around.
const bidiControls = /[\u202A-\u202E\u2066-\u2069]/;

// isolate wraps a filled-in value that holds such marks in first-strong isolate … pop directional
// isolate (U+2068 … U+2069), which ends whatever the value opened at its own end; other values
// are put in as they are.
function isolate(value: string): string {
  return bidiControls.test(value) ? "\u2068" + value + "\u2069" : value;
}

// has reports whether the catalogue has key (every language has the same keys: the catalogue test).
export function has(key: string): boolean {
  return key in (texts[lang.value] ?? {});
}

const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
function fmt<T extends Intl.DateTimeFormat | Intl.NumberFormat>(id: string, make: () => T): T {
  const key = lang.value + id;
  let f = cache.get(key);
  if (!f) cache.set(key, (f = make()));
  return f as T;
}

// time: "14:05"; day: "25 November"; dayYear with the year; short date for list rows.
export function formatTime(d: Date): string {
  return fmt("t", () => new Intl.DateTimeFormat(lang.value, timeOptions)).format(d);
}

export function formatDay(d: Date, now = new Date()): string {
  const sameYear = d.getFullYear() === now.getFullYear();
  return fmt(sameYear ? "d" : "dy", () => new Intl.DateTimeFormat(lang.value,
    sameYear ? { day: "numeric", month: "long" } : { day: "numeric", month: "long", year: "numeric" })).format(d);
}

// formatWhen is the list row's time: today → time, otherwise a short date.
export function formatWhen(d: Date, now = new Date()): string {
  if (d.toDateString() === now.toDateString()) return formatTime(d);
  return fmt("s", () => new Intl.DateTimeFormat(lang.value, shortDateOptions)).format(d);
}

export function formatMoney(amount: number, currency: string): string {
  try {
    return fmt("m" + currency, () => new Intl.NumberFormat(lang.value, { style: "currency", currency })).format(amount);
  } catch {
    return formatNumber(amount) + " " + currency;
  }
}

export function formatNumber(n: number): string {
  return fmt("n", () => new Intl.NumberFormat(lang.value)).format(n);
}

export function formatSize(bytes: number): string {
  const units = ["B", "KB", "MB", "GB"];
  let i = 0;
  let v = bytes;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${fmt("z", () => new Intl.NumberFormat(lang.value, { maximumFractionDigits: 1 })).format(v)} ${t("app.unit." + units[i])}`;
}

// formatDuration: seconds → "m:ss" (or "h:mm:ss").
export function formatDuration(total: number): string {
  const s = Math.max(0, Math.round(total));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${sec}` : `${m}:${sec}`;
}
