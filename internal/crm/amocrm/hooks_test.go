package amocrm_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"testing"

	"github.com/switchboardhq/switchboard/internal/crm/amocrm"
	sandboxamo "github.com/switchboardhq/switchboard/internal/sandbox/amocrm"
	"github.com/switchboardhq/switchboard/internal/sandbox/amocrm/amocrmtest"
	"github.com/switchboardhq/switchboard/internal/store/storetest"
	"github.com/switchboardhq/switchboard/internal/testwait"
)

// A responsible change in the CRM reaches the hub as a form-encoded webhook; the hub re-reads
// the deal from the API and its cache follows.
func TestWebhookRefreshesResponsible(t *testing.T) {
	st := storetest.OpenSQLite(t)
	rig := amocrmtest.Start(t, st)
	hooks := make(chan error, 4)
	rig.Serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		secret := r.URL.Path[len("/amocrm/hooks/"):]
		err := rig.Adapter.HandleHook(r.Context(), secret, r.PostForm)
		hooks <- err
	}))
	ws := rig.Install(t)
	must(t, rig.Sandbox.SetLeadResponsible("demo", 30001, sandboxamo.DemoEN))
	must(t, testwait.Recv(t, hooks, "the webhook"))
	l, err := st.CRMLead(ctx, ws.ID, 30001)
	must(t, err)
	if l.ResponsibleUserID != sandboxamo.DemoEN {
		t.Fatalf("deal's responsible is %d after the webhook", l.ResponsibleUserID)
	}
}

func TestHookSecretAndParsing(t *testing.T) {
	st := storetest.OpenSQLite(t)
	rig := amocrmtest.Start(t, st)
	ws := rig.Install(t)
	form := url.Values{"account[id]": {"31415926"}, "leads[update][0][id]": {"30002"}}
	if err := rig.Adapter.HandleHook(ctx, "wrong", form); !errors.Is(err, amocrm.ErrBadSignature) {
		t.Errorf("wrong secret: %v", err)
	}
	for _, bad := range []url.Values{{}, {"account[id]": {"x"}}, {"account[id]": {"1"}, "leads[update][0][id]": {"-4"}}} {
		if _, _, err := amocrm.ParseHook(bad); !errors.Is(err, amocrm.ErrBadHook) {
			t.Errorf("%v parsed: %v", bad, err)
		}
	}
	_, changes, err := amocrm.ParseHook(url.Values{"account[id]": {"1"}, "leads[update][0][id]": {"5"},
		"leads[responsible][0][id]": {"5"}, "contacts[add][0][id]": {"7"}, "leads[update][0][name]": {"x"}})
	must(t, err)
	if len(changes) != 2 || changes[0] != (amocrm.HookChange{Entity: "contacts", ID: 7}) || changes[1] != (amocrm.HookChange{Entity: "leads", ID: 5}) {
		t.Errorf("changes %+v", changes)
	}
	// A deal the CRM no longer has stays cached with nobody responsible (admins only).
	secret := rig.Adapter.HookURL(ws.CRMAccountID)
	secret = secret[len(secret)-32:]
	must(t, rig.Adapter.HandleHook(ctx, secret, url.Values{"account[id]": {"31415926"}, "leads[delete][0][id]": {"99999"}}))
	gone, err := st.CRMLead(ctx, ws.ID, 99999)
	must(t, err)
	if gone.ResponsibleUserID != 0 {
		t.Errorf("deleted deal %+v", gone)
	}
}

// The disconnect hook, signed as amoCRM signs it, makes the hub forget the account's tokens.
func TestDisconnect(t *testing.T) {
	st := storetest.OpenSQLite(t)
	rig := amocrmtest.Start(t, st)
	ws := rig.Install(t)
	sign := func(account string) string {
		m := hmac.New(sha256.New, []byte(rig.Config.ClientSecret))
		m.Write([]byte(rig.Config.ClientID + "|" + account))
		return hex.EncodeToString(m.Sum(nil))
	}
	forged := url.Values{"account_id": {"31415926"}, "client_uuid": {rig.Config.ClientID}, "signature": {sign("1")}}
	if err := rig.Adapter.HandleDisconnect(ctx, forged); !errors.Is(err, amocrm.ErrBadSignature) {
		t.Fatalf("forged disconnect: %v", err)
	}
	must(t, rig.Adapter.HandleDisconnect(ctx, url.Values{"account_id": {"31415926"}, "client_uuid": {rig.Config.ClientID},
		"signature": {sign("31415926")}}))
	if _, err := rig.Adapter.Account(ctx, ws); !errors.Is(err, amocrm.ErrNotInstalled) {
		t.Fatalf("after disconnect: %v", err)
	}
}
