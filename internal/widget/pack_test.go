package widget

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"image/png"
	"io"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/switchboardhq/switchboard/internal/release"
)

// unzip packs an archive and reads it back, by path.
func unzip(t *testing.T, publicURL string, kind Kind) map[string][]byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Pack(&buf, publicURL, kind); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	return files
}

func TestPack(t *testing.T) {
	files := unzip(t, "https://hub.example.com/", Public)
	for _, want := range []string{"manifest.json", "script.js", "i18n/ru.json", "i18n/en.json", "i18n/es.json", "i18n/pt.json",
		"images/logo_min.png", "images/logo_medium.png", "images/logo_main.png", "images/logo_small.png", "images/menu.svg"} {
		if _, ok := files[want]; !ok {
			t.Errorf("archive lacks %s", want)
		}
	}
	for name, b := range files {
		if bytes.Contains(b, []byte(placeholder)) {
			t.Errorf("%s still has the URL placeholder", name)
		}
	}
	if !bytes.Contains(files["script.js"], []byte(`var HUB = 'https://hub.example.com';`)) {
		t.Error("script.js does not carry the public URL")
	}
	var m struct {
		Widget struct {
			Name    string   `json:"name"`
			Locale  []string `json:"locale"`
			Version string   `json:"version"`
		} `json:"widget"`
		Locations []string                     `json:"locations"`
		LeftMenu  map[string]map[string]string `json:"left_menu"`
	}
	if err := json.Unmarshal(files["manifest.json"], &m); err != nil {
		t.Fatalf("manifest.json: %v", err)
	}
	for _, loc := range []string{"lcard-1", "ccard-1", "cucard-1", "widget_page", "settings"} {
		if !slices.Contains(m.Locations, loc) {
			t.Errorf("manifest lacks location %s", loc)
		}
	}
	if m.Widget.Version != release.Version() || !slices.Equal(m.Widget.Locale, []string{"en", "ru", "es", "pt"}) {
		t.Errorf("manifest version %q (want the release's %s), locales %v", m.Widget.Version, release.Version(), m.Widget.Locale)
	}
	var ru, en, es, pt map[string]map[string]string
	for lang, dst := range map[string]*map[string]map[string]string{"ru": &ru, "en": &en, "es": &es, "pt": &pt} {
		if err := json.Unmarshal(files["i18n/"+lang+".json"], dst); err != nil {
			t.Fatalf("i18n/%s.json: %v", lang, err)
		}
	}
	if !reflect.DeepEqual(keys(ru), keys(en)) || !reflect.DeepEqual(keys(es), keys(en)) || !reflect.DeepEqual(keys(pt), keys(en)) {
		t.Error("i18n files differ in keys")
	}
	// Every i18n key the manifest and script.js use exists.
	used := []string{strings.TrimPrefix(m.Widget.Name, "widget."), strings.TrimPrefix(m.LeftMenu["chats"]["title"], "widget.")}
	for _, k := range []string{"open_card", "open_full", "close", "session_failed", "settings_text", "settings_link", "name"} {
		if !bytes.Contains(files["script.js"], []byte("text('"+k+"')")) {
			t.Errorf("script.js does not use %s (test out of date?)", k)
		}
		used = append(used, k)
	}
	for _, k := range used {
		if en["widget"][k] == "" || ru["widget"][k] == "" || es["widget"][k] == "" || pt["widget"][k] == "" {
			t.Errorf("widget.%s has no text in some language", k)
		}
	}
	if ru["widget"]["menu"] == en["widget"]["menu"] && ru["widget"]["open_card"] == en["widget"]["open_card"] {
		t.Error("ru texts are the English ones")
	}
}

// A private integration's archive has no left menu or widget page (amoCRM refuses them from
// one), keeping the cards and settings, whose block opens all chats full screen.
func TestPackPrivate(t *testing.T) {
	files := unzip(t, "https://hub.example.com", Private)
	var m map[string]any
	if err := json.Unmarshal(files["manifest.json"], &m); err != nil {
		t.Fatal(err)
	}
	if _, ok := m["left_menu"]; ok {
		t.Error("a private archive has left_menu")
	}
	locs := fmt.Sprint(m["locations"])
	if strings.Contains(locs, "widget_page") || !strings.Contains(locs, "lcard-1") || !strings.Contains(locs, "settings") {
		t.Errorf("private locations %s", locs)
	}
	if !bytes.Contains(files["script.js"], []byte("text('open_full')")) {
		t.Error("script.js lost the full-screen button")
	}
}

// An archive for upload carries an address the CRM's HTTPS pages can load: https://, or a
// loopback http:// for trying a hub locally; anything else is refused.
func TestPackRefusesPlainHTTP(t *testing.T) {
	for _, u := range []string{"http://hub.example.com", "http://10.0.0.5:8080"} {
		if err := Pack(io.Discard, u, Private); !errors.Is(err, ErrNotHTTPS) {
			t.Errorf("%s: %v", u, err)
		}
	}
	for _, u := range []string{"https://hub.example.com", "http://localhost:8080", "http://127.0.0.1:8080"} {
		if err := Pack(io.Discard, u, Public); err != nil {
			t.Errorf("%s: %v", u, err)
		}
	}
	if err := Pack(io.Discard, "https://hub.example.com", "marketplace"); err == nil {
		t.Error("an unknown kind was packed")
	}
}

func keys(m map[string]map[string]string) []string {
	var out []string
	for k, v := range m {
		for k2 := range v {
			out = append(out, k+"."+k2)
		}
	}
	slices.Sort(out)
	return out
}

func TestLogos(t *testing.T) {
	files, err := Files("http://localhost:8080", Public)
	if err != nil {
		t.Fatal(err)
	}
	for name, size := range Logos {
		b := files["images/"+name]
		if len(b) == 0 || len(b) > 300<<10 {
			t.Fatalf("%s: %d bytes (amoCRM allows up to 300 KB)", name, len(b))
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got := img.Bounds().Size(); got.X != size.W || got.Y != size.H {
			t.Errorf("%s is %v, want %dx%d", name, got, size.W, size.H)
		}
		// The centre is the bubble (white), the edge middle the brand blue, a corner transparent.
		c := img.Bounds().Size()
		if r, g, b, _ := img.At(c.X/2, c.Y/2-c.Y/6).RGBA(); r>>8 < 0xf0 || g>>8 < 0xf0 || b>>8 < 0xf0 {
			t.Errorf("%s: centre is not the white bubble", name)
		}
		if r, _, b, _ := img.At(2, c.Y/2).RGBA(); r>>8 > 0x40 || b>>8 < 0xd0 {
			t.Errorf("%s: edge is not the brand blue", name)
		}
		if _, _, _, a := img.At(0, 0).RGBA(); a != 0 {
			t.Errorf("%s: corner is not transparent", name)
		}
	}
}

func TestBadPublicURL(t *testing.T) {
	for _, u := range []string{"", "ftp://x", "localhost:8080", `https://x/"+alert(1)+"`} {
		if err := Pack(io.Discard, u, Private); err == nil {
			t.Errorf("packed for %q", u)
		}
	}
}
