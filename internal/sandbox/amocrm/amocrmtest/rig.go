// Package amocrmtest starts the sandbox CRM and the real amoCRM adapter on one real HTTP server,
// for tests of the adapter and of the surfaces built on it.
package amocrmtest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/switchboardhq/switchboard/internal/crm/amocrm"
	"github.com/switchboardhq/switchboard/internal/hub"
	sandboxamo "github.com/switchboardhq/switchboard/internal/sandbox/amocrm"
	"github.com/switchboardhq/switchboard/internal/store"
)

// Rig is a sandbox CRM and an adapter talking to it over HTTP.
type Rig struct {
	URL     string // the server's base URL: the hub's public URL in this test
	Config  amocrm.Config
	Sandbox *sandboxamo.Server
	Adapter *amocrm.Adapter
	Store   *store.Store
	handler atomic.Value // http.Handler: the hub's own routes, mounted beside the sandbox
}

// Start serves the sandbox CRM on a test server; the hub's routes are added with Serve.
func Start(t testing.TB, st *store.Store) *Rig {
	t.Helper()
	r := &Rig{Store: st}
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	r.URL = srv.URL
	id, secret := sandboxamo.Credentials("test secret key")
	r.Config = amocrm.Config{ClientID: id, ClientSecret: secret, RedirectURI: srv.URL + "/amocrm/oauth",
		HookBaseURL: srv.URL, StandInBaseURL: srv.URL + sandboxamo.Prefix}
	sb, err := sandboxamo.New(sandboxamo.Options{PublicURL: srv.URL, ClientID: id, ClientSecret: secret,
		RedirectURI: r.Config.RedirectURI})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sb.Wait)
	r.Sandbox = sb
	sb.Mount(mux)
	mux.Handle("/", http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if h, ok := r.handler.Load().(http.Handler); ok {
			h.ServeHTTP(w, req)
			return
		}
		http.NotFound(w, req)
	}))
	r.Adapter = r.NewAdapter()
	return r
}

// NewAdapter returns another adapter on the same store and CRM, as a second hub instance has.
func (r *Rig) NewAdapter(opts ...amocrm.Option) *amocrm.Adapter {
	return amocrm.New(r.Config, r.Store, nil, opts...)
}

// Serve routes every request that is not the sandbox CRM's to h (the hub under test).
func (r *Rig) Serve(h http.Handler) { r.handler.Store(h) }

// Install connects the demo account through the adapter (code exchange over HTTP) and syncs it.
func (r *Rig) Install(t testing.TB) hub.Workspace {
	t.Helper()
	code, referer, err := r.Sandbox.IssueCode("demo")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	ws, _, err := r.Adapter.Install(ctx, code, referer)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Adapter.Sync(ctx, ws); err != nil {
		t.Fatal(err)
	}
	return ws
}

// Token is a disposable token for a demo user, as the widget would send it.
func (r *Rig) Token(t testing.TB, userID int64) string {
	t.Helper()
	tok, ok := r.Sandbox.Token("demo", userID)
	if !ok {
		t.Fatalf("no demo user %d", userID)
	}
	return tok
}
