package cli

import (
	"net/http"

	"github.com/switchboardhq/switchboard/internal/config"
	"github.com/switchboardhq/switchboard/web"
)

// webMounts serves the bundled front end at / (or the placeholder that says how to build it).
func webMounts(cfg config.Config) []func(*http.ServeMux) {
	return []func(*http.ServeMux){func(mux *http.ServeMux) {
		files := http.FileServerFS(web.Dist())
		mux.Handle("/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !web.Built() {
				http.ServeFileFS(w, r, web.Dist(), "placeholder.html")
				return
			}
			files.ServeHTTP(w, r)
		}))
	}}
}
