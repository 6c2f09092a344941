package web

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"sync"

	"github.com/switchboardhq/switchboard/internal/i18n"
)

// App serves one bundled front end (root is dist/<name>/) under prefix ("/app/"). Every path that
// is not a file answers index.html, so the single-page app owns its URLs. Files under assets/ carry a
// content hash in their names and are cached for a year; index.html is revalidated each time.
// An address with ?lang= gets index.<lang>.html instead, when there is one.
// Where the build left a .gz twin and the browser accepts gzip, the twin is sent.
//
// Embedded files have no modification time, so each answer carries an ETag made from the file's
// content, and a revalidation that matches gets 304.
func App(root fs.FS, prefix string) http.Handler {
	var etags sync.Map // file name → quoted ETag
	etag := func(name string) string {
		if v, ok := etags.Load(name); ok {
			return v.(string)
		}
		b, err := fs.ReadFile(root, name)
		if err != nil {
			return ""
		}
		sum := sha256.Sum256(b)
		tag := `"` + hex.EncodeToString(sum[:12]) + `"`
		etags.Store(name, tag)
		return tag
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		name := strings.TrimPrefix(path.Clean("/"+strings.TrimPrefix(r.URL.Path, prefix)), "/")
		if name == "" || !isFile(root, name) {
			name = "index.html"
		}
		// An address naming the language (the CRM's, ?lang=) gets the page that announces that
		// language's texts, where the build made one (web/build.mjs).
		if l := r.URL.Query().Get("lang"); name == "index.html" && l != "" && isFile(root, "index."+i18n.Lang(l)+".html") {
			name = "index." + i18n.Lang(l) + ".html"
		}
		// The security headers (nosniff, the Content-Security-Policy) are the hub's middleware's.
		h := w.Header()
		if strings.HasPrefix(name, "assets/") {
			h.Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			h.Set("Cache-Control", "no-cache")
		}
		h.Add("Vary", "Accept-Encoding")
		if ct := mime.TypeByExtension(path.Ext(name)); ct != "" {
			h.Set("Content-Type", ct)
		}
		if acceptsGzip(r) && isFile(root, name+".gz") {
			h.Set("Content-Encoding", "gzip")
			name += ".gz"
		}
		if tag := etag(name); tag != "" {
			h.Set("ETag", tag)
		}
		http.ServeFileFS(w, r, root, name)
	})
}

func isFile(root fs.FS, name string) bool {
	st, err := fs.Stat(root, name)
	return err == nil && !st.IsDir()
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(enc), "gzip") && strings.ReplaceAll(q, " ", "") != "q=0" {
			return true
		}
	}
	return false
}
