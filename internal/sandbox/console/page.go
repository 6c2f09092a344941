package console

import (
	_ "embed"
	"html/template"
	"net/http"
	"strings"

	"github.com/switchboardhq/switchboard/internal/i18n"
)

// The page works through the JSON routes above with console.js (a file: the sandbox's
// Content-Security-Policy runs no inline script); its texts come from the catalogue
// (sandbox.console.*) in the browser's language.
var page = template.Must(template.New("console").Parse(`<!doctype html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><title>{{call .T "sandbox.console.title"}}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:14px/1.45 "PT Sans",Arial,sans-serif;background:#f5f6f8;color:#313942;margin:0}
main{max-width:760px;margin:24px auto;padding:0 16px}section{background:#fff;border:1px solid #e4e7eb;border-radius:6px;padding:14px 16px;margin-bottom:14px}
h1{font-size:20px}h2{font-size:15px;margin:0 0 8px}button{font:inherit;padding:5px 12px;border:1px solid #1375ab;background:#1375ab;color:#fff;border-radius:3px;cursor:pointer}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 12px}dt{color:#8591a5}dd{margin:0;font-family:monospace;word-break:break-all}
label{display:block;margin:6px 0}input{width:100%;box-sizing:border-box;padding:5px 8px;border:1px solid #d5dae0;border-radius:3px;font-family:monospace}
.err{color:#d2332f}.ok{color:#2e8540}[hidden]{display:none}</style></head>
<body><main><h1>{{call .T "sandbox.console.title"}}</h1><p>{{call .T "sandbox.console.intro"}}</p>
<section id="waba"><h2>{{call .T "sandbox.console.waba"}}</h2><p>{{call .T "sandbox.console.waba_text"}}</p>
<button type="button" id="new-number">{{call .T "sandbox.console.new_number"}}</button>
<dl id="number" hidden><dt>Phone number ID</dt><dd data-f="phone_number_id"></dd><dt>WhatsApp Business Account ID</dt><dd data-f="waba_id"></dd>
<dt>{{call .T "sandbox.console.display_phone"}}</dt><dd data-f="display_phone"></dd><dt>Access token</dt><dd data-f="access_token"></dd><dt>App secret</dt><dd data-f="app_secret"></dd></dl>
<form id="hook" hidden data-verified="{{call .T "sandbox.console.verified"}}"><h2>{{call .T "sandbox.console.webhook"}}</h2>
<label>{{call .T "sandbox.console.callback_url"}}<input name="callback_url" required></label>
<label>{{call .T "sandbox.console.verify_token"}}<input name="verify_token" required></label>
<button>{{call .T "sandbox.console.verify_save"}}</button> <span id="hook-result"></span>
<p><button type="button" id="reset-secret">{{call .T "sandbox.console.reset_secret"}}</button> <code id="new-secret"></code></p></form></section>
<section id="telegram"><h2>{{call .T "sandbox.console.botfather"}}</h2><p>{{call .T "sandbox.console.botfather_text"}}</p>
<button type="button" id="new-bot">{{call .T "sandbox.console.new_bot"}}</button>
<dl id="bot" hidden><dt>{{call .T "sandbox.console.bot"}}</dt><dd data-f="username"></dd><dt>{{call .T "sandbox.console.token"}}</dt><dd data-f="token"></dd></dl></section>
<section id="max"><h2>{{call .T "sandbox.console.masterbot"}}</h2><p>{{call .T "sandbox.console.masterbot_text"}}</p>
<button type="button" id="new-max-bot">{{call .T "sandbox.console.new_max_bot"}}</button>
<dl id="max-bot" hidden><dt>{{call .T "sandbox.console.bot"}}</dt><dd data-f="username"></dd><dt>{{call .T "sandbox.console.token"}}</dt><dd data-f="token"></dd></dl></section>
</main><script src="/sandbox/console/console.js"></script></body></html>`))

//go:embed console.js
var script []byte

func (c *Console) script(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(script)
}

func (c *Console) page(w http.ResponseWriter, r *http.Request) {
	lang := i18n.Lang(r.URL.Query().Get("lang"))
	if r.URL.Query().Get("lang") == "" {
		l, _, _ := strings.Cut(r.Header.Get("Accept-Language"), ",")
		lang = i18n.Lang(l)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	_ = page.Execute(w, map[string]any{"Lang": lang, "T": func(k string) string { return i18n.T(lang, k) }})
}
