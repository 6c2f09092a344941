package amocrm

import (
	"html/template"
	"net/http"

	"github.com/switchboardhq/switchboard/internal/i18n"
)

var consentPage = template.Must(template.New("consent").Parse(`<!doctype html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><title>{{call .T "sandbox.consent_title"}}</title>
<style>body{font:15px system-ui,sans-serif;background:#eef2f6;margin:0}
main{max-width:30em;margin:4em auto;background:#fff;padding:2em;border-radius:8px;box-shadow:0 2px 8px #0002}
button{font:inherit;padding:.6em 1.4em;background:#1b7fe3;color:#fff;border:0;border-radius:4px;cursor:pointer}
label{display:block;margin:.5em 0}</style></head>
<body><main><h1>{{call .T "sandbox.consent_title"}}</h1><p>{{call .T "sandbox.consent_text"}}</p>
<form method="post"><input type="hidden" name="client_id" value="{{.ClientID}}"><input type="hidden" name="state" value="{{.State}}">{{if .FromWidget}}<input type="hidden" name="from_widget" value="1">{{end}}
{{range .Accounts}}<label><input type="radio" name="account" value="{{.Code}}" {{if eq .Code $.Selected}}checked{{end}}> {{.Name}} ({{.Subdomain}})</label>{{end}}
<p><button type="submit">{{call .T "sandbox.consent_allow"}}</button></p></form></main></body></html>`))

// authorizePage is the CRM's consent page (amoCRM's www.amocrm.ru/oauth): the administrator
// picks the account and allows the integration; ?account= preselects one; ?from_widget=1 is an
// install begun in the CRM's own marketplace (the shell's install button).
func (s *Server) authorizePage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("client_id") != s.opt.ClientID {
		problem(w, http.StatusBadRequest, "unknown client_id", "")
		return
	}
	lang := i18n.Lang(q.Get("lang"))
	s.lock()
	accounts := []*account{s.st.Accounts["fresh"], s.st.Accounts["demo"]}
	s.unlock()
	selected := q.Get("account")
	if selected == "" {
		selected = "fresh"
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	consentPage.Execute(w, map[string]any{"Lang": lang, "ClientID": s.opt.ClientID, "State": q.Get("state"), "FromWidget": q.Get("from_widget") != "",
		"Accounts": accounts, "Selected": selected, "T": func(k string) string { return i18n.T(lang, k) }})
}
