package httpapi

import (
	"net/http"
	"strings"
)

// The Content-Security-Policies, by what a path serves. Scripts only from the hub's own files
// (no inline script, no eval), no plugins, no <base> rewriting, so a name or message that ever
// slipped through as markup still could not run. Inline styles stay allowed: Preact sets style
// attributes and the emoji picker styles its shadow root with a <style> element; it reads its
// data from the hub (connect-src 'self') and draws emoji on a canvas.
const (
	pagePolicy = "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; " +
		"style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' blob:; " +
		"connect-src 'self'; font-src 'self' data:; form-action 'self'; "
	// The chat window lives in the CRM's page (amoCRM, Kommo) and the sandbox CRM shell.
	appPolicy = pagePolicy + "frame-ancestors 'self' https://*.amocrm.ru https://*.amocrm.com https://*.kommo.com"
	// The cabinet only opens in a tab of its own.
	cabinetPolicy = pagePolicy + "frame-ancestors 'none'"
	// Everything else is data (JSON, files, webhooks' answers): nothing in it may load or run.
	dataPolicy = "default-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)

// PagePolicy is the Content-Security-Policy of pages of the hub's own with the given framing
// rules (frame-src, frame-ancestors), for surfaces mounted in Server.Pages.
func PagePolicy(framing string) string { return pagePolicy + framing }

// securityHeaders sets, before the handler runs (so one with a stricter need, such as a file
// download, can replace them), nosniff on every response and the policy of the path's surface.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Content-Security-Policy", s.policyFor(r.URL.Path))
		if p := r.URL.Path; strings.HasPrefix(p, "/cabinet/") || strings.HasPrefix(p, "/api/cabinet/") {
			h.Set("X-Frame-Options", "DENY") // for browsers without frame-ancestors
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) policyFor(path string) string {
	switch {
	case under(path, "/app"):
		return appPolicy
	case under(path, "/cabinet"):
		return cabinetPolicy
	}
	for prefix, policy := range s.Pages {
		if under(path, prefix) {
			return policy
		}
	}
	return dataPolicy
}

// under reports whether path is prefix ("/app") or below it.
func under(path, prefix string) bool { return path == prefix || strings.HasPrefix(path, prefix+"/") }
