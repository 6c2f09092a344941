// Optional desktop notifications (B8): asked for only when the employee turns them on, shown only
// while the window is hidden.
import { signal } from "@preact/signals";
import { t } from "./i18n";
import { allChats } from "./state";
import type { Message } from "./types";

const key = "switchboard.notify";
export const notifyOn = signal(typeof localStorage !== "undefined" && localStorage.getItem(key) === "1" && typeof Notification !== "undefined" && Notification.permission === "granted");

export async function toggleNotify() {
  if (notifyOn.value) {
    notifyOn.value = false;
    localStorage.setItem(key, "0");
    return;
  }
  if (typeof Notification === "undefined") return;
  const p = Notification.permission === "granted" ? "granted" : await Notification.requestPermission();
  notifyOn.value = p === "granted";
  localStorage.setItem(key, notifyOn.value ? "1" : "0");
}

export function notify(m: Message) {
  if (!notifyOn.value || document.visibilityState === "visible") return;
  const chat = allChats.value.get(m.chat_id);
  new Notification(chat?.title ?? t("app.notify.title"), { body: m.text || t("app.type." + m.type), tag: m.chat_id });
}
