// Package start is the sandbox's start page (`/sandbox/`, where `/` sends a sandbox hub's
// visitors): what there is to try, and where.
package start

import (
	"html/template"
	"net/http"
	"strings"

	"github.com/switchboardhq/switchboard/internal/i18n"
)

// places are the sandbox's pages, each with its catalogue key (sandbox.start.<key> and
// sandbox.start.<key>_text).
var places = []struct{ Key, Href string }{
	{"crm", "/sandbox/amocrm/"},
	{"customers", "/sandbox/customers/"},
	{"cabinet", "/cabinet/"},
	{"console", "/sandbox/console/"},
}

var page = template.Must(template.New("start").Parse(`<!doctype html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><title>{{call .T "sandbox.start.title"}}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:15px/1.5 "PT Sans",Arial,sans-serif;background:#f5f6f8;color:#313942;margin:0}
main{max-width:720px;margin:40px auto;padding:0 16px}h1{font-size:24px;margin:0 0 6px}
a.place{display:block;background:#fff;border:1px solid #e4e7eb;border-radius:6px;padding:14px 16px;margin:12px 0;color:inherit;text-decoration:none}
a.place:hover{border-color:#1375ab}a.place b{color:#1375ab;font-size:16px}a.place span{display:block;color:#8591a5}</style></head>
<body><main><h1>{{call .T "sandbox.start.title"}}</h1><p>{{call .T "sandbox.start.intro"}}</p>
{{range .Places}}<a class="place" href="{{.Href}}"><b>{{call $.T (printf "sandbox.start.%s" .Key)}}</b>
<span>{{call $.T (printf "sandbox.start.%s_text" .Key)}}</span></a>{{end}}
</main></body></html>`))

// Mount adds the page.
func Mount(mux *http.ServeMux) {
	mux.HandleFunc("GET /sandbox/{$}", func(w http.ResponseWriter, r *http.Request) {
		lang := r.URL.Query().Get("lang")
		if lang == "" {
			lang, _, _ = strings.Cut(r.Header.Get("Accept-Language"), ",")
		}
		lang = i18n.Lang(lang)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		_ = page.Execute(w, map[string]any{"Lang": lang, "Places": places, "T": func(k string) string { return i18n.T(lang, k) }})
	})
}
