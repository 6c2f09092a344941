package messaging_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/apierr"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/messaging"
	"github.com/switchboardhq/switchboard/internal/store"
	"github.com/switchboardhq/switchboard/internal/store/storetest"
)

// setup is a workspace with one WhatsApp customer who wrote a minute ago (window open), an
// admin and a manager who may see nobody's contacts.
func setup(t *testing.T, st *store.Store, now time.Time) (admin, manager hub.Employee, ws hub.Workspace, chat hub.Chat) {
	t.Helper()
	ctx := context.Background()
	ws, err := st.CreateWorkspace(ctx, hub.Workspace{Name: "W", CRMKind: "amocrm", CRMAccountID: 7, Country: "RU",
		Subscription: hub.Subscription{Active: true, Paid: true, TemplatesPaid: true}})
	must(t, err)
	conn, err := st.CreateConnection(ctx, hub.Connection{WorkspaceID: ws.ID, Kind: hub.KindWABA, Name: "WA",
		ExternalID: "pn-1", InSubscription: true})
	must(t, err)
	r, err := st.SaveInbound(ctx, store.Inbound{WorkspaceID: ws.ID, ConnectionID: conn.ID, ChatKind: hub.ChatPrivate,
		ExternalChatID: "79161234567", From: hub.Contact{Name: "Иван", WAID: "79161234567", Phones: []string{"+79161234567"}},
		Message: hub.Message{Type: hub.TypeText, Text: "hi", ProviderKey: "wamid.1", CreatedAt: now.Add(-time.Minute)}})
	must(t, err)
	for _, e := range []struct {
		id   int64
		role string
		view string
		out  *hub.Employee
	}{{1, hub.RoleAdmin, hub.RightAll, &admin}, {2, hub.RoleManager, hub.RightNone, &manager}} {
		*e.out, _, err = st.ProvisionEmployee(ctx, hub.Employee{WorkspaceID: ws.ID, CRMUserID: e.id, Name: "E", Role: e.role, Lang: "en"})
		must(t, err)
		must(t, st.SaveCRMUser(ctx, ws.ID, store.CRMUser{ID: e.id, Name: "E", IsAdmin: e.role == hub.RoleAdmin, IsActive: true,
			ContactsView: e.view, LeadsView: e.view, FetchedAt: now}))
	}
	return admin, manager, ws, r.Chat
}

// TestSendWithoutHTTP is the path a reply typed outside the chat window takes: an actor, a
// chat, a text and a client id go through the same refusals and the same outbox.
func TestSendWithoutHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		now := time.Now()
		admin, manager, ws, chat := setup(t, st, now)
		wake := make(chan struct{}, 1)
		svc := &messaging.Service{Store: st, Wake: wake, Now: func() time.Time { return now }}
		who, err := svc.ActorOf(ctx, ws, admin)
		must(t, err)

		m, created, err := svc.Send(ctx, who, chat.ID, messaging.Outgoing{ClientID: "c-1", Text: "Hello"})
		must(t, err)
		if !created || m.Status != hub.StatusQueued || m.AuthorID != admin.ID || m.Text != "Hello" {
			t.Fatalf("sent %+v created=%v", m, created)
		}
		select {
		case <-wake:
		default:
			t.Fatal("the sender was not woken")
		}
		again, created, err := svc.Send(ctx, who, chat.ID, messaging.Outgoing{ClientID: "c-1", Text: "Hello"})
		if err != nil || created || again.ID != m.ID {
			t.Fatalf("same client id: %+v created=%v err=%v", again, created, err)
		}

		stranger, err := svc.ActorOf(ctx, ws, manager)
		must(t, err)
		if _, _, err := svc.Send(ctx, stranger, chat.ID, messaging.Outgoing{ClientID: "c-2", Text: "x"}); !errors.Is(err, apierr.NotFound) {
			t.Fatalf("a chat the actor may not see: %v", err)
		}
		if _, err := svc.SetBlocked(ctx, stranger, chat.ContactID, true); !errors.Is(err, apierr.Forbidden) {
			t.Fatalf("a manager blocked: %v", err)
		}
		if _, err := svc.SetBlocked(ctx, who, chat.ContactID, true); err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.Send(ctx, who, chat.ID, messaging.Outgoing{ClientID: "c-3", Text: "x"}); !errors.Is(err, apierr.ChatBlocked) {
			t.Fatalf("a blocked contact: %v", err)
		}
		if _, err := st.MessageByClientID(ctx, ws.ID, chat.ID, "c-3"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("a refused message was stored: %v", err)
		}
	})
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// A connection an admin switched off refuses sends and new chats with connection_disabled (409),
// storing nothing; switched on again, the same send goes.
func TestDisabledConnectionRefuses(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		now := time.Now()
		admin, _, ws, chat := setup(t, st, now)
		svc := &messaging.Service{Store: st, Wake: make(chan struct{}, 1), Now: func() time.Time { return now }}
		who, err := svc.ActorOf(ctx, ws, admin)
		must(t, err)
		head, err := st.EventHead(ctx, ws.ID)
		must(t, err)
		must(t, st.SetConnectionDisabled(ctx, ws.ID, chat.ConnectionID, now))
		if evs, err := st.EventsSince(ctx, ws.ID, head, 10); err != nil || len(evs) != 1 || evs[0].Type != hub.EventConnectionUpdated {
			t.Fatalf("open windows are not told: %+v %v", evs, err)
		}

		_, _, err = svc.Send(ctx, who, chat.ID, messaging.Outgoing{ClientID: "d-1", Text: "Hello"})
		if !errors.Is(err, apierr.ConnectionDisabled) || apierr.ConnectionDisabled.Status != 409 {
			t.Fatalf("send on a disabled connection: %v", err)
		}
		if _, err := st.MessageByClientID(ctx, ws.ID, chat.ID, "d-1"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("a refused message was stored: %v", err)
		}
		if _, _, err := svc.CreateChat(ctx, who, messaging.NewChat{ConnectionID: chat.ConnectionID, Phone: "+7 916 765-43-21"}); !errors.Is(err, apierr.ConnectionDisabled) {
			t.Fatalf("create chat on a disabled connection: %v", err)
		}

		must(t, st.SetConnectionDisabled(ctx, ws.ID, chat.ConnectionID, time.Time{}))
		if _, created, err := svc.Send(ctx, who, chat.ID, messaging.Outgoing{ClientID: "d-1", Text: "Hello"}); err != nil || !created {
			t.Fatalf("switched on again: created=%v err=%v", created, err)
		}
	})
}
