// Package widget builds the amoCRM / Kommo widget archive from web/amocrm-widget: the hub's
// public URL baked into manifest.json and script.js, the release version in the manifest, the
// i18n files made from the catalogue's widget.* texts (and Portuguese for Kommo), and the logos
// the CRM requires, drawn here. A private integration's archive leaves out what amoCRM allows
// public integrations only (the left menu and its page); its users open all chats full screen
// from the card's widget block instead.
package widget

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/switchboardhq/switchboard/internal/i18n"
	"github.com/switchboardhq/switchboard/internal/release"
	"github.com/switchboardhq/switchboard/web"
)

// placeholder marks where the hub's public URL goes in the sources.
const placeholder = "__SWITCHBOARD_PUBLIC_URL__"

// Kind is the kind of integration the admin registered in the CRM.
type Kind string

const (
	// Public: a marketplace integration, which may have a left-menu item and its page.
	Public Kind = "public"
	// Private: an account's own integration; amoCRM refuses an archive with left_menu or
	// widget_page from one.
	Private Kind = "private"
)

// publicOnly are the manifest's locations amoCRM allows public integrations only.
var publicOnly = []string{"widget_page"}

// ErrNotHTTPS refuses an archive for a hub the CRM's pages could not load the widget from.
var ErrNotHTTPS = errors.New("widget: the CRM's pages are served over HTTPS and load a widget's script only from an https:// address; set the hub's public URL to one")

// CheckURL accepts the public URL an archive for upload may carry: https://, or http:// on this
// machine (browsers trust a loopback address from an HTTPS page, for trying a hub locally).
func CheckURL(publicURL string) error {
	u, err := url.Parse(publicURL)
	if err != nil || u.Host == "" {
		return fmt.Errorf("widget: public URL %q: want an http(s) URL", publicURL)
	}
	if u.Scheme == "https" {
		return nil
	}
	host := u.Hostname()
	if ip := net.ParseIP(host); u.Scheme == "http" && (host == "localhost" || ip != nil && ip.IsLoopback()) {
		return nil
	}
	return ErrNotHTTPS
}

// Files returns the archive's files by path, for publicURL (an http(s) URL without a trailing
// slash) and the integration's kind.
func Files(publicURL string, kind Kind) (map[string][]byte, error) {
	out, err := Sources(publicURL, kind)
	if err != nil {
		return nil, err
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

// Sources returns the archive's files without the logos (Files adds them): drawing them takes
// a tenth of a second, which a page loading the widget's script need not wait for.
func Sources(publicURL string, kind Kind) (map[string][]byte, error) {
	if kind != Public && kind != Private {
		return nil, fmt.Errorf("widget: kind %q: want public or private", kind)
	}
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
	if out["manifest.json"], err = manifest(out["manifest.json"], kind); err != nil {
		return nil, err
	}
	for _, lang := range i18n.WidgetLanguages {
		b, err := json.MarshalIndent(catalogue(lang), "", "  ")
		if err != nil {
			return nil, err
		}
		out["i18n/"+lang+".json"] = b
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
		node[parts[len(parts)-1]] = i18n.WidgetT(lang, key)
	}
	return root
}

// manifest sets the release version and the languages in manifest.json and, for a private
// integration, leaves out what only public ones may have.
func manifest(raw []byte, kind Kind) ([]byte, error) {
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("widget: manifest.json: %w", err)
	}
	w, _ := m["widget"].(map[string]any)
	if w == nil {
		return nil, errors.New("widget: manifest.json has no widget object")
	}
	w["version"] = release.Version()
	w["locale"] = i18n.WidgetLanguages
	if kind == Private {
		delete(m, "left_menu")
		var locs []any
		for _, l := range m["locations"].([]any) {
			if !slices.Contains(publicOnly, l.(string)) {
				locs = append(locs, l)
			}
		}
		m["locations"] = locs
	}
	return json.MarshalIndent(m, "", "  ")
}

// Pack writes the archive (files at the zip's root) for publicURL and kind to w, refusing a
// public URL the CRM could not load the widget from (CheckURL).
func Pack(w io.Writer, publicURL string, kind Kind) error {
	if err := CheckURL(publicURL); err != nil {
		return err
	}
	files, err := Files(publicURL, kind)
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
