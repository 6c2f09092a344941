// The cabinet's state: who is signed in, the open tab, and the one notice line.
import { signal } from "@preact/signals";
import { ApiError } from "../app/api";
import { t } from "../app/i18n";
import type { Me } from "./types";

export type Tab = "overview" | "connections" | "crmchats" | "quick" | "blacklist" | "employees" | "audit";

export const me = signal<Me | null>(null);
export const booting = signal(true);
export const tab = signal<Tab>("overview");
// notice is the last error (or confirmation) shown above the page.
export const notice = signal<{ kind: "error" | "ok"; text: string } | null>(null);

// describe turns an API error into one line: the server's message, plus the field, the
// provider's reason or the missing part it names.
export function describe(e: unknown): string {
  if (!(e instanceof ApiError)) return t("app.error.unexpected");
  const extra = [e.extra.reason, e.extra.part].filter((x) => typeof x === "string" && x !== "");
  return [e.message, ...extra].join(" ");
}

export function fail(e: unknown) {
  if (e instanceof ApiError && e.status === 401) me.value = null;
  notice.value = { kind: "error", text: describe(e) };
}

// run calls fn, showing its failure as the notice; it resolves to undefined on failure.
export async function run<T>(fn: () => Promise<T>): Promise<T | undefined> {
  try {
    const v = await fn();
    return v;
  } catch (e) {
    fail(e);
    return undefined;
  }
}
