package web

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

func testApp() http.Handler {
	var gz strings.Builder
	w := gzip.NewWriter(&gz)
	w.Write([]byte("console.log(1)"))
	w.Close()
	return App(fstest.MapFS{
		"index.html":             {Data: []byte("<!doctype html><title>app</title>")},
		"index.ru.html":          {Data: []byte("<!doctype html><title>app</title><!-- ru -->")},
		"index.en.html":          {Data: []byte("<!doctype html><title>app</title><!-- en -->")},
		"assets/main-AB12.js":    {Data: []byte("console.log(1)")},
		"assets/main-AB12.js.gz": {Data: []byte(gz.String())},
	}, "/app/")
}

func get(h http.Handler, path, encoding string) *http.Response {
	r := httptest.NewRequest("GET", path, nil)
	if encoding != "" {
		r.Header.Set("Accept-Encoding", encoding)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Result()
}

// The security headers are the hub's middleware's (internal/httpapi, TestSecurityHeaders).
func TestAppServesIndexForEveryRoute(t *testing.T) {
	for _, path := range []string{"/app/", "/app/?mode=card&crm_lead_id=1", "/app/some/route"} {
		res := get(testApp(), path, "")
		body, _ := io.ReadAll(res.Body)
		if res.StatusCode != 200 || !strings.Contains(string(body), "<title>app</title>") {
			t.Fatalf("%s: %d %q", path, res.StatusCode, body)
		}
		if cc := res.Header.Get("Cache-Control"); cc != "no-cache" {
			t.Errorf("%s: index Cache-Control %q", path, cc)
		}
	}
}

// An address naming a language gets the page announcing that language's texts (F34's mapping:
// a language the product does not speak is English's); without one, or with nothing to match,
// the plain page.
func TestAppServesTheLanguagesPage(t *testing.T) {
	for path, want := range map[string]string{
		"/app/?mode=page&lang=ru":          "<!-- ru -->",
		"/app/?mode=card&lang=ru-RU":       "<!-- ru -->",
		"/app/?lang=pt":                    "<!-- en -->",
		"/app/?lang=es":                    "", // no page for it here: the plain one
		"/app/?lang=../../index":           "<!-- en -->",
		"/app/?mode=page":                  "",
		"/app/assets/main-AB12.js?lang=ru": "console.log",
	} {
		res := get(testApp(), path, "")
		body, _ := io.ReadAll(res.Body)
		if res.StatusCode != 200 || (want == "" && string(body) != "<!doctype html><title>app</title>") || !strings.Contains(string(body), want) {
			t.Errorf("%s: %d %q, want %q", path, res.StatusCode, body, want)
		}
	}
}

func TestAppSendsGzipTwinOfHashedAssetsWithLongCache(t *testing.T) {
	res := get(testApp(), "/app/assets/main-AB12.js", "br, gzip")
	if res.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding %q", res.Header.Get("Content-Encoding"))
	}
	if ct := res.Header.Get("Content-Type"); !strings.Contains(ct, "javascript") {
		t.Errorf("Content-Type %q", ct)
	}
	if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") || !strings.Contains(cc, "max-age=31536000") {
		t.Errorf("Cache-Control %q", cc)
	}
	zr, err := gzip.NewReader(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(zr)
	if string(body) != "console.log(1)" {
		t.Errorf("body %q", body)
	}

	plain := get(testApp(), "/app/assets/main-AB12.js", "identity, gzip;q=0")
	body, _ = io.ReadAll(plain.Body)
	if plain.Header.Get("Content-Encoding") != "" || string(body) != "console.log(1)" {
		t.Errorf("without gzip: %q %q", plain.Header.Get("Content-Encoding"), body)
	}
}

func TestAppRefusesWrites(t *testing.T) {
	w := httptest.NewRecorder()
	testApp().ServeHTTP(w, httptest.NewRequest("POST", "/app/", nil))
	if w.Code != http.StatusMethodNotAllowed {
		t.Fatalf("POST: %d", w.Code)
	}
}

func TestAppRevalidatesWithETag(t *testing.T) {
	h := testApp()
	first := get(h, "/app/", "")
	tag := first.Header.Get("ETag")
	if tag == "" {
		t.Fatal("no ETag on index.html")
	}
	r := httptest.NewRequest("GET", "/app/", nil)
	r.Header.Set("If-None-Match", tag)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != http.StatusNotModified {
		t.Fatalf("revalidation with the same ETag: %d, want 304", w.Code)
	}
	if gz := get(h, "/app/assets/main-AB12.js", "gzip").Header.Get("ETag"); gz == get(h, "/app/assets/main-AB12.js", "").Header.Get("ETag") {
		t.Errorf("the gzip and plain answers share the ETag %s", gz)
	}
}
