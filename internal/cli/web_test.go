package cli

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/switchboardhq/switchboard/internal/config"
)

// The README's address (localhost) leads to the sandbox at the public address, where the CRM
// page may frame the chat window: under localhost the frame of 127.0.0.1 was refused.
func TestRootLeadsToTheSandboxAtThePublicAddress(t *testing.T) {
	mux := http.NewServeMux()
	for _, mount := range webMounts(config.Config{Sandbox: true, PublicURL: "http://127.0.0.1:8080"}) {
		mount(mux)
	}
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://localhost:8080/", nil))
	if got := rec.Header().Get("Location"); rec.Code != http.StatusFound || got != "http://127.0.0.1:8080/sandbox/" {
		t.Fatalf("GET / answered %d to %q, want 302 to http://127.0.0.1:8080/sandbox/", rec.Code, got)
	}
}

// A sandbox page opened under another name of the host moves to the public address, as the
// root does; the hub's own calls to the sandbox (no navigation) and other hosts' pages stay.
func TestSandboxPagesMoveToThePublicAddress(t *testing.T) {
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) })
	h := atPublicAddress(config.Config{Sandbox: true, PublicURL: "http://127.0.0.1:8080"}, next)
	for _, c := range []struct {
		url, mode string
		code      int
		location  string
	}{
		{"http://localhost:8080/sandbox/amocrm/leads/7?x=1", "navigate", http.StatusFound, "http://127.0.0.1:8080/sandbox/amocrm/leads/7?x=1"},
		{"http://127.0.0.1:8080/sandbox/amocrm/leads/7", "navigate", http.StatusTeapot, ""},
		{"http://localhost:8080/sandbox/graph/v21.0/1/messages", "", http.StatusTeapot, ""},
		{"http://localhost:8080/sandbox/widget/script.js", "no-cors", http.StatusTeapot, ""},
		{"http://localhost:8080/api/v1/chats", "navigate", http.StatusTeapot, ""},
	} {
		req := httptest.NewRequest(http.MethodGet, c.url, nil)
		if c.mode != "" {
			req.Header.Set("Sec-Fetch-Mode", c.mode)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != c.code || rec.Header().Get("Location") != c.location {
			t.Errorf("GET %s (%s): %d to %q, want %d to %q", c.url, c.mode, rec.Code, rec.Header().Get("Location"), c.code, c.location)
		}
	}
	// Outside the sandbox nothing moves.
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "http://localhost:8080/sandbox/x", nil)
	req.Header.Set("Sec-Fetch-Mode", "navigate")
	atPublicAddress(config.Config{PublicURL: "http://127.0.0.1:8080"}, next).ServeHTTP(rec, req)
	if rec.Code != http.StatusTeapot {
		t.Errorf("without the sandbox: %d, want the page itself", rec.Code)
	}
}
