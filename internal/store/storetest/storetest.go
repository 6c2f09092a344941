// Package storetest is the conformance suite every store engine must pass. Run it from a test
// of the engine with an opener that returns a fresh, migrated, empty store.
package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

// Opener returns a fresh, migrated, empty store that is closed when the test ends.
type Opener func(t *testing.T) *store.Store

// Run runs every conformance test against stores from open.
func Run(t *testing.T, open Opener) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			c.fn(t, open(t))
		})
	}
}

type testCase struct {
	name string
	fn   func(t *testing.T, s *store.Store)
}

// cases is filled by the init functions of the files beside this one, one area each.
var cases []testCase

func register(name string, fn func(t *testing.T, s *store.Store)) {
	cases = append(cases, testCase{name, fn})
}

// fixture is a workspace with one WABA connection, for tests that need somewhere to write.
type fixture struct {
	ws   hub.Workspace
	conn hub.Connection
}

func newFixture(t *testing.T, s *store.Store, accountID int64) fixture {
	t.Helper()
	ctx := context.Background()
	ws, err := s.CreateWorkspace(ctx, hub.Workspace{Name: "Acme", CRMKind: "amocrm", CRMAccountID: accountID,
		Subscription: hub.Subscription{Active: true, Paid: true}})
	must(t, err)
	conn, err := s.CreateConnection(ctx, hub.Connection{WorkspaceID: ws.ID, Kind: hub.KindWABA, Name: "Sales",
		ExternalID: "pn-" + ws.ID, InSubscription: true, Secrets: map[string]string{"token": "t0k3n"}})
	must(t, err)
	return fixture{ws, conn}
}

// inbound builds a text message from a WhatsApp customer.
func (f fixture) inbound(waID, name, key, text string) store.Inbound {
	return store.Inbound{WorkspaceID: f.ws.ID, ConnectionID: f.conn.ID, ChatKind: hub.ChatPrivate,
		ExternalChatID: waID, From: hub.Contact{Name: name, WAID: waID, Phones: []string{"+" + waID}},
		Message: hub.Message{Type: hub.TypeText, Text: text, ProviderKey: key, CreatedAt: time.Now()}}
}

// webhooks stores n raw webhooks (empty bodies) of the fixture's connection and returns their ids:
// the rows a batch's results are marked on.
func (f fixture) webhooks(t *testing.T, s *store.Store, n int) []string {
	t.Helper()
	ids := make([]string, n)
	for i := range ids {
		var err error
		ids[i], err = s.SaveWebhook(context.Background(), store.RawWebhook{WorkspaceID: f.ws.ID, ConnectionID: f.conn.ID, Source: "waba", Body: []byte("{}")})
		must(t, err)
	}
	return ids
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func eq[T comparable](t *testing.T, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Fatalf("%s = %v, want %v", what, got, want)
	}
}
