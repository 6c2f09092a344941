package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/auth"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
	"github.com/switchboardhq/switchboard/internal/store/storetest"
)

// BenchmarkEventView measures what one socket spends on one chat.updated event: the access
// decision, the reads and the rendering, in a workspace with a few connections holding secrets.
// The fan-out pays it per event per socket.
func BenchmarkEventView(b *testing.B) {
	ctx := context.Background()
	st := storetest.OpenSQLite(b)
	ws, err := st.CreateWorkspace(ctx, hub.Workspace{Name: "Bench", CRMKind: "amocrm", CRMAccountID: 1,
		Subscription: hub.Subscription{Active: true, Paid: true}})
	if err != nil {
		b.Fatal(err)
	}
	var conn hub.Connection
	for i := range 5 {
		conn, err = st.CreateConnection(ctx, hub.Connection{WorkspaceID: ws.ID, Kind: hub.KindWABA,
			Name: fmt.Sprintf("Line %d", i), ExternalID: fmt.Sprint(1000 + i),
			Secrets: map[string]string{"access_token": "EAAG-bench-token", "app_secret": "bench-secret"}})
		if err != nil {
			b.Fatal(err)
		}
	}
	emp, _, err := st.ProvisionEmployee(ctx, hub.Employee{WorkspaceID: ws.ID, CRMUserID: 1, Name: "Admin",
		Role: hub.RoleAdmin, Lang: "en"})
	if err != nil {
		b.Fatal(err)
	}
	in, err := st.SaveInbound(ctx, store.Inbound{WorkspaceID: ws.ID, ConnectionID: conn.ID, ChatKind: hub.ChatPrivate,
		ExternalChatID: "79990001122", From: hub.Contact{Name: "Olga", WAID: "79990001122", Phones: []string{"+79990001122"}},
		Message: hub.Message{Type: hub.TypeText, Text: "hello", ProviderKey: "wamid.bench", CreatedAt: time.Now()}})
	if err != nil {
		b.Fatal(err)
	}
	s := &Server{DB: st, Store: st, Signer: auth.NewSigner("bench key")}
	s.Handler() // completes the server as serve does (its services)
	caller, err := s.callerOfSession(ctx, auth.Session{WorkspaceID: ws.ID, EmployeeID: emp.ID})
	if err != nil {
		b.Fatal(err)
	}
	data, err := json.Marshal(in.Chat)
	if err != nil {
		b.Fatal(err)
	}
	e := hub.Event{WorkspaceID: ws.ID, Seq: 1, Type: hub.EventChatUpdated, ChatID: in.Chat.ID, Data: data}
	view := s.eventView(caller)
	for b.Loop() {
		if _, ok, err := view(ctx, e); !ok || err != nil {
			b.Fatalf("event not shown: %v %v", ok, err)
		}
	}
}
