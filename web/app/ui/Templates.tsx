// Pick a template of the chat's connection (F14): a search box and language buttons over the
// WABA templates and the workspace's quick replies, the employee's language first. A WABA
// template asks for its {{1}}… parameters, shows the result and is sent; a quick reply goes into
// the composer, to be edited before sending. Arrows move through the list, Enter picks, Esc
// (handled by App) closes.
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { api, ApiError } from "../api";
import { send } from "../actions";
import { lang, t } from "../i18n";
import { panel } from "../state";
import { fill, languages, pickable, primaryLang } from "../template";
import type { Chat, Template } from "../types";
import { Dialog } from "./Dialog";

// wabaOnly: the chat's WABA window is closed (the composer knows, to the second), so only WABA
// templates may go; quick replies are free text.
export function Templates({ chat, wabaOnly, onSent, onInsert }: { chat: Chat; wabaOnly: boolean; onSent: () => void; onInsert: (text: string) => void }) {
  const [items, setItems] = useState<Template[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [picked, setPicked] = useState<Template | null>(null);
  const [query, setQuery] = useState("");
  const [language, setLanguage] = useState("");
  const [active, setActive] = useState(0);
  const list = useRef<HTMLUListElement>(null);
  // close leaves alone a panel opened meanwhile (the send may finish after another click).
  const close = () => { if (panel.value === "templates") panel.value = null; };

  useEffect(() => {
    api.templates(chat.connection.id).then((r) => setItems(r.items), (e) => setError(e instanceof ApiError ? e.message : String(e)));
  }, [chat.connection.id]);

  const usable = useMemo(() => (items ?? []).filter((tpl) => !wabaOnly || tpl.kind === "waba"), [items, wabaOnly]);
  const shown = useMemo(() => pickable(usable, { query, language }, lang.value), [usable, query, language]);
  const langs = useMemo(() => languages(usable, lang.value), [usable]);
  const current = Math.min(active, shown.length - 1);

  useEffect(() => {
    list.current?.querySelector(`[data-index="${current}"]`)?.scrollIntoView({ block: "nearest" });
  }, [current]);

  const pick = (tpl: Template | undefined) => {
    if (!tpl) return;
    if (tpl.kind === "quick_reply") {
      onInsert(tpl.body);
      close();
    } else setPicked(tpl);
  };

  const onKey = (e: KeyboardEvent) => {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      const step = e.key === "ArrowDown" ? 1 : -1;
      setActive(Math.max(0, Math.min(shown.length - 1, current + step)));
    } else if (e.key === "Enter" && !e.isComposing) {
      e.preventDefault();
      pick(shown[current]);
    }
  };

  if (picked) {
    return (
      <Dialog title={t("app.templates.title")} onClose={close}>
        <ParamsForm chat={chat} tpl={picked} onBack={() => setPicked(null)} onSent={() => { onSent(); close(); }} />
      </Dialog>
    );
  }
  const optionId = (i: number) => `template-${i}`;
  return (
    <Dialog title={t("app.templates.title")} onClose={close}>
      <div class="template-filters">
        <input type="search" class="template-search" value={query} placeholder={t("app.templates.search")} aria-label={t("app.templates.search")}
          aria-controls="template-list" aria-activedescendant={shown.length ? optionId(current) : undefined}
          onInput={(e) => { setQuery((e.target as HTMLInputElement).value); setActive(0); }} onKeyDown={onKey} />
        {langs.length > 1 && (
          <div class="template-langs" role="group" aria-label={t("app.templates.language")}>
            {["", ...langs].map((l) => (
              <button type="button" class={`btn small ${language === l ? "primary" : ""}`} aria-pressed={language === l}
                title={l ? languageName(l) : undefined} onClick={() => { setLanguage(l); setActive(0); }}>
                {l ? l.toUpperCase() : t("app.templates.all_languages")}
              </button>
            ))}
          </div>
        )}
      </div>
      {items === null && !error && <p class="muted">{t("app.loading")}</p>}
      {items !== null && usable.length === 0 && <p class="muted">{t("app.templates.none")}</p>}
      {usable.length > 0 && shown.length === 0 && <p class="muted">{t("app.search.nothing")}</p>}
      <ul class="templates" id="template-list" role="listbox" aria-label={t("app.templates.title")} ref={list}>
        {shown.map((tpl, i) => (
          <li id={optionId(i)} role="option" aria-selected={i === current} data-index={i}
            class={`template ${i === current ? "active" : ""}`} onMouseEnter={() => setActive(i)} onClick={() => pick(tpl)}>
            <span class="template-top">
              <strong class="template-name">{tpl.name}</strong>
              <LanguageTag code={tpl.language} />
              <span class="tag">{t("app.templates.kind." + tpl.kind)}</span>
            </span>
            <span class="muted small template-body">{tpl.body}</span>
          </li>
        ))}
      </ul>
      {shown.some((tpl) => tpl.kind === "quick_reply") && <p class="muted small">{t("app.templates.quick_hint")}</p>}
      {error && <p class="error" role="alert">{error}</p>}
    </Dialog>
  );
}

// ParamsForm fills a WABA template's parameters, shows the message as it will go, and sends it.
function ParamsForm({ chat, tpl, onBack, onSent }: { chat: Chat; tpl: Template; onBack: () => void; onSent: () => void }) {
  const [params, setParams] = useState<string[]>(() => new Array(tpl.params).fill(""));
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const form = useRef<HTMLFormElement>(null);
  // The keyboard goes on from the list to the first blank (or Send, when there is none).
  useEffect(() => form.current?.querySelector<HTMLElement>("input, button[type=submit]")?.focus(), []);
  const submit = async (e: Event) => {
    e.preventDefault();
    setSending(true);
    setError(null);
    try {
      await send(chat.id, { template: { id: tpl.id, params } });
      onSent();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setSending(false);
    }
  };
  return (
    <form onSubmit={submit} class="form" ref={form}>
      <p class="template-top"><strong class="template-name">{tpl.name}</strong><LanguageTag code={tpl.language} /></p>
      {params.map((v, i) => (
        <label>
          {t("app.templates.param", { n: i + 1 })}
          <input required value={v} onInput={(e) => {
            const value = (e.target as HTMLInputElement).value;
            setParams((prev) => prev.map((p, j) => (j === i ? value : p)));
          }} />
        </label>
      ))}
      <p class="template-preview">{fill(tpl.body, params)}</p>
      {error && <p class="error" role="alert">{error}</p>}
      <div class="actions">
        <button type="button" class="btn" onClick={onBack}>{t("app.back")}</button>
        <button type="submit" class="btn primary" disabled={sending}>{t("app.send")}</button>
      </div>
    </form>
  );
}

// LanguageTag shows a template's language code, its name in a tooltip; a quick reply for any
// language says so.
function LanguageTag({ code }: { code: string }) {
  if (!code) return <span class="tag lang-tag">{t("app.templates.any_language")}</span>;
  return <span class="tag lang-tag" title={languageName(primaryLang(code))}>{code.replace("_", "-").toUpperCase()}</span>;
}

function languageName(code: string): string {
  try {
    return new Intl.DisplayNames([lang.value], { type: "language" }).of(code) ?? code;
  } catch {
    return code;
  }
}
