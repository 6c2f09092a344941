// useDraft keeps the composer's text per chat on the server (B5): read when the chat opens (the
// chat's GET carries the caller's draft), written a moment after typing stops and when the chat
// closes.
import { useEffect, useRef, useState } from "preact/hooks";
import { api } from "../api";

export function useDraft(chatId: string): [string, (v: string) => void] {
  const [text, setText] = useState("");
  const saved = useRef("");
  const latest = useRef("");
  const timer = useRef(0);
  const typed = useRef(false);

  useEffect(() => {
    let live = true;
    api.chat(chatId).then((c) => {
      if (live && !typed.current && c.draft) {
        saved.current = latest.current = c.draft;
        setText(c.draft);
      }
    }, () => {});
    return () => {
      live = false;
      clearTimeout(timer.current);
      if (latest.current !== saved.current) api.draft(chatId, latest.current).catch(() => {});
    };
  }, [chatId]);

  const update = (v: string) => {
    typed.current = true;
    latest.current = v;
    setText(v);
    clearTimeout(timer.current);
    timer.current = window.setTimeout(() => {
      const value = latest.current;
      api.draft(chatId, value).then(() => { saved.current = value; }, () => {});
    }, 800);
  };
  return [text, update];
}
