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
