package httpapi

import (
	"net/http"
	"net/url"
	"strings"
)

// crmOriginSuffixes are the CRM domains whose pages may call POST /api/v1/sessions.
var crmOriginSuffixes = []string{".amocrm.ru", ".amocrm.com", ".kommo.com"}

// allowedOrigin reports whether a page at origin may call the session endpoint: an amoCRM or
// Kommo account over HTTPS, or the hub's own origin (the sandbox CRM lives there).
func (s *Server) allowedOrigin(origin string) bool {
	if origin == "" {
		return false
	}
	if own, err := url.Parse(s.PublicURL); err == nil && own.Host != "" && origin == own.Scheme+"://"+own.Host {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil || u.Scheme != "https" || u.Path != "" || u.Port() != "" {
		return false
	}
	for _, suf := range crmOriginSuffixes {
		if strings.HasSuffix(u.Host, suf) && len(u.Host) > len(suf) {
			return true
		}
	}
	return false
}

// crmCORS answers the preflight for X-Auth-Token and marks allowed responses; requests from
// other origins get no CORS headers, so browsers there cannot read the answer.
func (s *Server) crmCORS(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Vary", "Origin")
		origin := r.Header.Get("Origin")
		if s.allowedOrigin(origin) {
			h := w.Header()
			h.Set("Access-Control-Allow-Origin", origin)
			h.Set("Access-Control-Allow-Methods", "POST, OPTIONS")
			h.Set("Access-Control-Allow-Headers", "X-Auth-Token, Content-Type, Accept-Language")
			h.Set("Access-Control-Max-Age", "600")
		}
		if r.Method == http.MethodOptions {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}
