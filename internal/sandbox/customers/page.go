package customers

import (
	"embed"
	"net/http"
)

//go:embed assets
var assets embed.FS

func (s *Simulator) page(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-cache")
	http.ServeFileFS(w, r, assets, "assets/index.html")
}

func (s *Simulator) script(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-cache")
	http.ServeFileFS(w, r, assets, "assets/app.js")
}
