package messengers_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/switchboardhq/switchboard/internal/channel/telegram"
	"github.com/switchboardhq/switchboard/internal/channel/waba"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/sandbox/messengers"
	"github.com/switchboardhq/switchboard/internal/sandbox/standin"
	"github.com/switchboardhq/switchboard/internal/store/storetest"
)

// Setup creates the three sandbox connections once; a restart (on another port) finds them,
// keeps their secrets, and moves their base URLs to the new address.
func TestSetupIsIdempotent(t *testing.T) {
	st := storetest.OpenSQLite(t)
	ctx := context.Background()
	ws, err := st.CreateWorkspace(ctx, hub.Workspace{Name: "Demo", CRMKind: "amocrm", CRMAccountID: 31415926, Country: "RU"})
	if err != nil {
		t.Fatal(err)
	}
	first, err := messengers.New(standin.NewMemory(), func() string { return "http://127.0.0.1:1111" }).Setup(ctx, st, ws)
	if err != nil {
		t.Fatal(err)
	}
	again, err := messengers.New(standin.NewMemory(), func() string { return "http://127.0.0.1:2222" }).Setup(ctx, st, ws)
	if err != nil {
		t.Fatal(err)
	}
	all, err := st.Connections(ctx, ws.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != 4 || len(again) != 4 || len(all) != 4 {
		t.Fatalf("connections: %d, %d, stored %d", len(first), len(again), len(all))
	}
	kinds := map[string]int{}
	for i := range first {
		if first[i].ID != again[i].ID || first[i].Secrets[waba.SecretAppSecret] != again[i].Secrets[waba.SecretAppSecret] ||
			first[i].Secrets[telegram.SecretBotToken] != again[i].Secrets[telegram.SecretBotToken] {
			t.Errorf("connection %d changed on restart", i)
		}
		if got := again[i].Settings["base_url"]; got[:22] != "http://127.0.0.1:2222/" {
			t.Errorf("base URL after restart: %s", got)
		}
		kinds[again[i].Kind]++
	}
	if kinds[hub.KindWABA] != 2 || kinds[hub.KindTelegramBot] != 1 || kinds[hub.KindMaxBot] != 1 ||
		first[0].InSubscription == first[1].InSubscription || !first[3].InSubscription {
		t.Errorf("want two WABA numbers (one outside the subscription), a Telegram bot and a MAX bot in it: %v", kinds)
	}
	stored, err := st.Connection(ctx, ws.ID, again[0].ID)
	if err != nil || stored.Settings["base_url"] != again[0].Settings["base_url"] {
		t.Errorf("base URL not saved: %v %v", stored.Settings, err)
	}
}

// A second instance on the same database, at another address, leaves the connections pointing
// at the first while it is up (its stand-ins hold the conversations).
func TestSecondInstanceKeepsTheFirstsBaseURLs(t *testing.T) {
	st := storetest.OpenSQLite(t)
	ctx := context.Background()
	ws, err := st.CreateWorkspace(ctx, hub.Workspace{Name: "Demo", CRMKind: "amocrm", CRMAccountID: 31415926, Country: "RU"})
	if err != nil {
		t.Fatal(err)
	}
	first := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/readyz" {
			http.NotFound(w, r)
		}
	}))
	defer first.Close()
	if _, err := messengers.New(standin.NewMemory(), func() string { return first.URL }).Setup(ctx, st, ws); err != nil {
		t.Fatal(err)
	}
	second, err := messengers.New(standin.NewMemory(), func() string { return "http://127.0.0.1:2222" }).Setup(ctx, st, ws)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range second {
		if !strings.HasPrefix(c.Settings["base_url"], first.URL+"/") {
			t.Errorf("%s: base URL %s, want the first instance's", c.Name, c.Settings["base_url"])
		}
	}
}
