package e2e

import (
	"compress/gzip"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/i18n"
	"github.com/switchboardhq/switchboard/web"
)

// requireApp skips a test when the binary under test was built without the chat window.
func requireApp(t *testing.T) { requireBundle(t, "app", "the chat window") }

// requireCabinet skips a test when the binary under test was built without the cabinet.
func requireCabinet(t *testing.T) { requireBundle(t, "cabinet", "the cabinet") }

func requireBundle(t *testing.T, bundle, what string) {
	t.Helper()
	if !web.Built(bundle) {
		t.Skip(what + " is not bundled: run `make build` (npm run build) before the browser tests")
	}
}

func TestAppIsServedCompressedAndFramableByTheCRM(t *testing.T) {
	requireApp(t)
	hub := StartHub(t)
	req, _ := http.NewRequest("GET", hub.URL+"/app/?mode=page", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 || res.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("GET /app/: %d, Content-Encoding %q", res.StatusCode, res.Header.Get("Content-Encoding"))
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'self' https://*.amocrm.ru") {
		t.Errorf("CSP %q", csp)
	}
	zr, err := gzip.NewReader(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(zr)
	i := strings.Index(string(page), `src="/app/assets/`)
	if i < 0 {
		t.Fatalf("index.html has no script under /app/assets/: %s", page)
	}
	script := string(page[i+5:])
	script = script[:strings.IndexByte(script, '"')]
	asset, err := http.Get(hub.URL + script)
	if err != nil {
		t.Fatal(err)
	}
	asset.Body.Close()
	if cc := asset.Header.Get("Cache-Control"); asset.StatusCode != 200 || !strings.Contains(cc, "immutable") {
		t.Errorf("GET %s: %d, Cache-Control %q", script, asset.StatusCode, cc)
	}
}

func TestAppOpenedOutsideTheCRMSaysWhereToOpenIt(t *testing.T) {
	requireApp(t)
	hub := StartHub(t)
	b := NewBrowser(t, 1024, 700)
	b.Open(hub.URL + "/app/")
	want := i18n.T("en", "app.error.no_host")
	b.WaitFor("the no-host message", "text('.boot-error') === "+JS(want), 10*time.Second)
	b.Screenshot("app-no-host")
}
