package cli

import (
	"io/fs"
	"net/http"
	"net/url"
	"strings"

	"github.com/switchboardhq/switchboard/internal/config"
	"github.com/switchboardhq/switchboard/web"
)

// webMounts serves the bundled front ends: the chat window at /app/, the cabinet at /cabinet/.
// One not built (plain `go build` without `make build`) answers the placeholder page, which says
// how to build it.
func webMounts(cfg config.Config) []func(*http.ServeMux) {
	return []func(*http.ServeMux){func(mux *http.ServeMux) {
		for _, name := range []string{"app", "cabinet"} {
			prefix := "/" + name + "/"
			if web.Built(name) {
				mux.Handle(prefix, web.App(web.Front(name), prefix))
			} else {
				mux.Handle(prefix, http.HandlerFunc(placeholder))
			}
		}
		mux.Handle("GET /{$}", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch {
			case cfg.Sandbox:
				// To the public address, not just the path: the sandbox CRM frames the chat
				// window at the public address, and a page opened under another name of this
				// host (localhost for 127.0.0.1) may not frame it (frame-src 'self').
				http.Redirect(w, r, cfg.PublicURL+"/sandbox/", http.StatusFound)
			case web.Built("cabinet"):
				http.Redirect(w, r, "/cabinet/", http.StatusFound)
			default:
				placeholder(w, r)
			}
		}))
	}}
}

func placeholder(w http.ResponseWriter, r *http.Request) {
	page, err := fs.ReadFile(web.Dist(), "placeholder.html")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusServiceUnavailable)
	w.Write(page)
}

// atPublicAddress sends a browser that opened a sandbox page under another name of this host
// (localhost for 127.0.0.1, the README's address) to the same page at the public address: the
// sandbox CRM frames the chat window at the public address, which a page of another origin may
// not frame (frame-src 'self'), so a deep link opened under localhost showed a blank window.
// Only navigations move (Sec-Fetch-Mode: navigate): the hub's own calls to the sandbox's APIs and
// any script keep the address they used.
func atPublicAddress(cfg config.Config, next http.Handler) http.Handler {
	public, err := url.Parse(cfg.PublicURL)
	if !cfg.Sandbox || err != nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && r.Host != public.Host && strings.HasPrefix(r.URL.Path, "/sandbox/") &&
			r.Header.Get("Sec-Fetch-Mode") == "navigate" {
			http.Redirect(w, r, cfg.PublicURL+r.URL.RequestURI(), http.StatusFound)
			return
		}
		next.ServeHTTP(w, r)
	})
}
