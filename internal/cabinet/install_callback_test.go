package cabinet_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/switchboardhq/switchboard/internal/apidoc"
	"github.com/switchboardhq/switchboard/internal/auth"
	"github.com/switchboardhq/switchboard/internal/cabinet"
	"github.com/switchboardhq/switchboard/internal/crm/amocrm"
	"github.com/switchboardhq/switchboard/internal/httpapi"
	"github.com/switchboardhq/switchboard/internal/sandbox/amocrm/amocrmtest"
	"github.com/switchboardhq/switchboard/internal/store/storetest"
)

// The install callback connects an account whose code the CRM issued (an install begun in the
// CRM), and refuses callbacks nobody began (a state without the cabinet's cookie, or neither
// state nor from_widget) or that name a foreign referer.
func TestInstallCallback(t *testing.T) {
	st := storetest.OpenSQLite(t)
	rig := amocrmtest.Start(t, st)
	srv := &httpapi.Server{DB: st, Store: st, Signer: auth.NewSigner("k"), Sessions: rig.Adapter, CRM: rig.Adapter, PublicURL: rig.URL}
	// A hub without the cabinet: installs begun in the CRM only.
	var noCabinet *cabinet.API
	srv.Extra = append(srv.Extra, func(mux *http.ServeMux) { amocrm.Mount(mux, rig.Adapter, noCabinet) })
	e := &env{t: t, st: st, srv: srv, h: apidoc.Validating(t, srv.Handler())}
	rig.Serve(e.h)
	get := func(q url.Values) response {
		return e.serve(httptest.NewRequest(http.MethodGet, "/amocrm/oauth?"+q.Encode(), nil))
	}

	code, referer, err := rig.Sandbox.IssueCode("fresh")
	must(t, err)
	expect(t, "no state", get(url.Values{"code": {code}, "referer": {referer}}), http.StatusBadRequest, "bad_request")
	expect(t, "forged state", get(url.Values{"code": {code}, "referer": {referer}, "state": {"1.x"}}), http.StatusBadRequest, "bad_request")
	expect(t, "foreign referer", get(url.Values{"code": {code}, "referer": {"evil.example"}, "from_widget": {"1"}}),
		http.StatusBadRequest, "bad_request")
	if r := get(url.Values{"error": {"access_denied"}}); r.Status != http.StatusBadRequest {
		t.Errorf("refused consent: %d", r.Status)
	}
	r := get(url.Values{"code": {code}, "referer": {referer}, "from_widget": {"1"}})
	if r.Status != http.StatusOK || !strings.Contains(string(r.Body), "<h1>") {
		t.Fatalf("install: %d %s", r.Status, r.Body)
	}
	if _, err := st.WorkspaceByCRM(ctx, "amocrm", 27182818); err != nil {
		t.Fatalf("fresh account's workspace: %v", err)
	}
	tok, _ := rig.Sandbox.Token("fresh", 9100001)
	req := httptest.NewRequest(http.MethodPost, "/api/v1/sessions", nil)
	req.Header.Set("X-Auth-Token", tok)
	expect(t, "session in the new workspace", e.serve(req), http.StatusCreated, "")

	hook := httptest.NewRequest(http.MethodPost, "/amocrm/hooks/wrong", strings.NewReader("account[id]=27182818&leads[update][0][id]=55001"))
	hook.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	expect(t, "hook with a wrong secret", e.serve(hook), http.StatusUnauthorized, "unauthorized")
}
