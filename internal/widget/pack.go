// Package widget builds the amoCRM / Kommo widget archive from web/amocrm-widget: the hub's
// public URL baked into manifest.json and script.js, the i18n files made from the catalogue's
// widget.* texts, and the logos the CRM requires, drawn here.
package widget

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/switchboardhq/switchboard/internal/i18n"
	"github.com/switchboardhq/switchboard/web"
)

// placeholder marks where the hub's public URL goes in the sources.
const placeholder = "__SWITCHBOARD_PUBLIC_URL__"

// Files returns the archive's files by path, for publicURL (an http(s) URL without a trailing
// slash).
func Files(publicURL string) (map[string][]byte, error) {
	u, err := url.Parse(publicURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.ContainsAny(publicURL, `"'\<>`) {
		return nil, fmt.Errorf("widget: public URL %q: want an http(s) URL", publicURL)
	}
	publicURL = strings.TrimSuffix(publicURL, "/")
	out := map[string][]byte{}
	err = fs.WalkDir(web.WidgetSource(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(web.WidgetSource(), path)
		if err != nil {
			return err
		}
		out[path] = bytes.ReplaceAll(b, []byte(placeholder), []byte(publicURL))
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, lang := range i18n.Languages {
		b, err := json.MarshalIndent(catalogue(lang), "", "  ")
		if err != nil {
			return nil, err
		}
		out["i18n/"+lang+".json"] = b
	}
	for name, size := range Logos {
		b, err := Logo(size.W, size.H)
		if err != nil {
			return nil, err
		}
		out["images/"+name] = b
	}
	return out, nil
}

// catalogue nests the catalogue's widget.* texts as amoCRM's i18n files have them:
// "widget.name" becomes {"widget": {"name": …}}.
func catalogue(lang string) map[string]any {
	root := map[string]any{}
	for _, key := range i18n.Keys("en") {
		if !strings.HasPrefix(key, "widget.") {
			continue
		}
		node := root
		parts := strings.Split(key, ".")
		for _, p := range parts[:len(parts)-1] {
			next, ok := node[p].(map[string]any)
			if !ok {
				next = map[string]any{}
				node[p] = next
			}
			node = next
		}
		node[parts[len(parts)-1]] = i18n.T(lang, key)
	}
	return root
}

// Pack writes the archive (files at the zip's root) for publicURL to w.
func Pack(w io.Writer, publicURL string) error {
	files, err := Files(publicURL)
	if err != nil {
		return err
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	zw := zip.NewWriter(w)
	for _, n := range names {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: n, Method: zip.Deflate, Modified: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			return err
		}
		if _, err := f.Write(files[n]); err != nil {
			return err
		}
	}
	return zw.Close()
}
