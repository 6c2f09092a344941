package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/auth"
	"github.com/switchboardhq/switchboard/internal/events"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
	"github.com/switchboardhq/switchboard/internal/store/storetest"
)

// BenchmarkEventView measures what the feed spends on one new chat.updated event shown on
// benchSockets sockets: the access decisions, the reads and the rendering, in a workspace with a
// few connections holding secrets. ns/socket is one socket's share.
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
	views := make([]events.View, benchSockets)
	for i := range views {
		if views[i], err = s.eventView(ctx, caller); err != nil {
			b.Fatal(err)
		}
	}
	e := hub.Event{WorkspaceID: ws.ID, Type: hub.EventChatUpdated, ChatID: in.Chat.ID, Data: data}
	for b.Loop() {
		e.Seq++ // a new event each time: nothing read for the last one is reused
		for _, view := range views {
			if _, ok, err := view(ctx, e); !ok || err != nil {
				b.Fatalf("event not shown: %v %v", ok, err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchSockets), "ns/socket")
}

// benchSockets is how many windows the benchmark's event goes to.
const benchSockets = 200
