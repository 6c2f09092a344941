package customers_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/sandbox/customers"
	"github.com/switchboardhq/switchboard/internal/sandbox/graph"
	"github.com/switchboardhq/switchboard/internal/sandbox/messengers"
	"github.com/switchboardhq/switchboard/internal/sandbox/standin"
	"github.com/switchboardhq/switchboard/internal/store/storetest"
)

// The simulator offers every connection to the stand-ins the database holds, also one it was
// never told of (added in the cabinet through another instance), and no real provider's.
func TestSimulatorOffersTheDatabasesStandInConnections(t *testing.T) {
	st := storetest.OpenSQLite(t)
	ctx := context.Background()
	ws, err := st.CreateWorkspace(ctx, hub.Workspace{Name: "Fresh", CRMKind: "amocrm", CRMAccountID: 27182818})
	if err != nil {
		t.Fatal(err)
	}
	conn := func(name, pnid, base string) hub.Connection {
		c, err := st.CreateConnection(ctx, hub.Connection{WorkspaceID: ws.ID, Kind: hub.KindWABA, Name: name, ExternalID: pnid,
			Settings: map[string]string{"base_url": base}, Secrets: map[string]string{"access_token": "t"}})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	elsewhere := conn("Made on the other instance", "111", "http://127.0.0.1:9/"+graph.Prefix[1:])
	conn("Real Meta", "222", "https://graph.facebook.com/v21.0")

	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	defer srv.Close()
	sim := customers.New(messengers.New(standin.NewMemory(), func() string { return srv.URL }))
	sim.Store = st
	sim.Mount(mux)
	res, err := http.Get(srv.URL + "/sandbox/customers/connections")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var got struct {
		Items []struct{ ID, Name string }
	}
	if err := json.NewDecoder(res.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	if len(got.Items) != 1 || got.Items[0].ID != elsewhere.ID {
		t.Fatalf("offered %+v, want only %q", got.Items, elsewhere.Name)
	}
}
