package boot_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/switchboardhq/switchboard/internal/cabinet"
	"github.com/switchboardhq/switchboard/internal/config"
	"github.com/switchboardhq/switchboard/internal/connections"
	"github.com/switchboardhq/switchboard/internal/httpapi"
	"github.com/switchboardhq/switchboard/internal/pipeline"
	"github.com/switchboardhq/switchboard/internal/sandbox/boot"
	"github.com/switchboardhq/switchboard/internal/store/storetest"
)

func sandboxConfig(t *testing.T) config.Config {
	return config.Config{Sandbox: true, PublicURL: "http://127.0.0.1:8080", DataDir: t.TempDir(),
		SecretKey: strings.Repeat("ab", 32)}
}

// New points the integrations at the stand-ins unless the configuration names others.
func TestNewDefaultsTheIntegrationsToTheStandIns(t *testing.T) {
	st := storetest.OpenSQLite(t)
	cfg := sandboxConfig(t)
	sb, err := boot.New(&cfg, st)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.AmoCRMClientID == "" || cfg.AmoCRMClientSecret == "" || cfg.AmojoChannelID == "" || cfg.AmojoSecret == "" {
		t.Fatalf("credentials not defaulted: %+v", cfg)
	}
	if cfg.AmojoURL != "http://127.0.0.1:8080/sandbox/amojo" || cfg.AmoCRMAuthorizeURL != sb.CRMBaseURL()+"/oauth" ||
		sb.CRMBaseURL() != "http://127.0.0.1:8080/sandbox/amocrm" {
		t.Fatalf("addresses: amojo %q, authorize %q, CRM %q", cfg.AmojoURL, cfg.AmoCRMAuthorizeURL, sb.CRMBaseURL())
	}
	given := sandboxConfig(t)
	given.AmoCRMClientID, given.AmoCRMClientSecret, given.AmojoChannelID, given.AmojoURL = "id", "secret", "chan", "https://amojo.example"
	if _, err := boot.New(&given, st); err != nil {
		t.Fatal(err)
	}
	if given.AmoCRMClientID != "id" || given.AmoCRMClientSecret != "secret" || given.AmojoChannelID != "chan" ||
		given.AmojoURL != "https://amojo.example" {
		t.Fatalf("named settings replaced: %+v", given)
	}
}

// Wire mounts the sandbox's pages with their own policy and points the cabinet's new
// connections at the stand-ins; a hub without the sandbox (a nil hook) is left as it was.
func TestWireMountsTheSandboxAndNilDoesNothing(t *testing.T) {
	st := storetest.OpenSQLite(t)
	cfg := sandboxConfig(t)
	parts := func() boot.Parts {
		return boot.Parts{Store: st, API: &httpapi.Server{DB: st, Store: st}, Adapters: &pipeline.Adapters{},
			Cabinet: &cabinet.API{Store: st, Connections: &connections.Service{Store: st, PublicURL: cfg.PublicURL}}}
	}
	var none *boot.Sandbox
	p := parts()
	if err := none.Wire(p); err != nil || none.Boot(context.Background()) != nil || none.CRMBaseURL() != "" {
		t.Fatal("a nil sandbox did something")
	}
	if len(p.API.Extra) != 0 || p.API.Pages != nil || p.Cabinet.ProviderConsole != "" || p.Cabinet.Connections.Setup != nil {
		t.Fatal("a nil sandbox wired something")
	}

	sb, err := boot.New(&cfg, st)
	if err != nil {
		t.Fatal(err)
	}
	p = parts()
	if err := sb.Wire(p); err != nil {
		t.Fatal(err)
	}
	if p.Cabinet.ProviderConsole == "" || p.Cabinet.Connections.Setup == nil || p.Adapters.Catalog == nil ||
		p.Cabinet.Connections.WABABaseURL != cfg.PublicURL+"/sandbox/graph/v21.0" || p.Cabinet.Connections.Added == nil {
		t.Fatalf("cabinet not pointed at the stand-ins: %+v %+v", p.Cabinet, p.Cabinet.Connections)
	}
	h := p.API.Handler()
	for _, path := range []string{"/sandbox/", "/sandbox/console/", "/sandbox/customers/"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Code != 200 || !strings.Contains(rec.Header().Get("Content-Security-Policy"), "frame-ancestors 'self'") {
			t.Errorf("%s: %d, CSP %q", path, rec.Code, rec.Header().Get("Content-Security-Policy"))
		}
	}
}
