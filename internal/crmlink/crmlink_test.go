package crmlink

import (
	"context"
	"errors"
	"testing"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
	"github.com/switchboardhq/switchboard/internal/store/storetest"
	"github.com/switchboardhq/switchboard/internal/testwait"
)

// crm answers LinkContact with ids or an error, and records the responsible user it was given.
type crm struct {
	ids         []int64
	err         error
	responsible chan int64
}

func (c *crm) LinkContact(_ context.Context, _ hub.Workspace, _ hub.Contact, responsible int64) ([]int64, error) {
	c.responsible <- responsible
	return c.ids, c.err
}

func TestLinker(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		ws, err := st.CreateWorkspace(ctx, hub.Workspace{Name: "W", CRMKind: "amocrm", CRMAccountID: 1})
		if err != nil {
			t.Fatal(err)
		}
		var conn hub.Connection
		c, err := st.CreateContact(ctx, hub.Contact{WorkspaceID: ws.ID, Name: "Иван", WAID: "79161234567", Phones: []string{"+79161234567"}})
		if err != nil {
			t.Fatal(err)
		}

		conn, err = st.CreateConnection(ctx, hub.Connection{WorkspaceID: ws.ID, Kind: hub.KindWABA, Name: "WA", ExternalID: "pn1", DefaultResponsibleUserID: 77})
		if err != nil {
			t.Fatal(err)
		}
		chat, _, err := st.CreateChat(ctx, hub.Chat{WorkspaceID: ws.ID, ConnectionID: conn.ID, Kind: "private", ContactID: c.ID, ExternalChatID: "79161234567", Title: "Иван"})
		if err != nil {
			t.Fatal(err)
		}

		down := &crm{err: errors.New("CRM unreachable"), responsible: make(chan int64, 1)}
		l := New(down, st, 4)
		go l.Run(ctx)
		l.Enqueue(ws, conn, c)
		testwait.Recv(t, down.responsible, "the link to reach the CRM")
		// Jobs run one after another: once a second one reaches the CRM, the first has finished.
		l.Enqueue(ws, conn, c)
		testwait.Recv(t, down.responsible, "a second link to reach the CRM")
		if got, _ := st.Contact(ctx, ws.ID, c.ID); len(got.CRMContactIDs) != 0 {
			t.Fatalf("linked although the CRM failed: %v", got.CRMContactIDs)
		}

		up := &crm{ids: []int64{501}, responsible: make(chan int64, 1)}
		l2 := New(up, st, 4)
		head, _ := st.EventHead(ctx, ws.ID)
		if err := l2.Link(ctx, ws, conn, c); err != nil {
			t.Fatal(err)
		}
		if r := <-up.responsible; r != 77 {
			t.Fatalf("new CRM contacts go to the connection's default responsible user, got %d", r)
		}
		got, err := st.Contact(ctx, ws.ID, c.ID)
		if err != nil || len(got.CRMContactIDs) != 1 || got.CRMContactIDs[0] != 501 {
			t.Fatalf("links %v, %v", got.CRMContactIDs, err)
		}
		// contact.updated, then the chat again for those who may see it only now (issue 11 #15).
		evs, err := st.EventsSince(ctx, ws.ID, head, 10)
		if err != nil || len(evs) != 2 || evs[0].Type != hub.EventContactUpdated || evs[1].Type != hub.EventChatUpdated || evs[1].ChatID != chat.ID {
			t.Fatalf("events after linking: %+v, %v; want contact.updated and chat.updated of %s", evs, err, chat.ID)
		}
		// Already linked: not queued, and the CRM is not asked again (Link answers before it
		// returns, so an ask would be in the channel now).
		l2.Enqueue(ws, conn, got)
		if len(l2.queue) != 0 {
			t.Fatal("a linked contact was queued to be linked again")
		}
		if err := l2.Link(ctx, ws, conn, got); err != nil {
			t.Fatal(err)
		}
		select {
		case <-up.responsible:
			t.Fatal("a linked contact was linked again")
		default:
		}
	})
}

// With the mirror into amoCRM's own chats on, amoCRM makes a new customer's contact with its
// incoming lead: the linker neither asks the CRM nor links anything for that workspace.
func TestLinkerLeavesMirroredWorkspacesToTheMirror(t *testing.T) {
	st := storetest.OpenSQLite(t)
	ctx := context.Background()
	ws, err := st.CreateWorkspace(ctx, hub.Workspace{Name: "W", CRMKind: "amocrm", CRMAccountID: 1})
	if err != nil {
		t.Fatal(err)
	}
	c, err := st.CreateContact(ctx, hub.Contact{WorkspaceID: ws.ID, Name: "Rosa", WAID: "34611222333", Phones: []string{"+34611222333"}})
	if err != nil {
		t.Fatal(err)
	}
	asked := &crm{ids: []int64{501}, responsible: make(chan int64, 1)}
	l := New(asked, st, 4)
	l.Skip = func(_ context.Context, id string) bool { return id == ws.ID }
	if err := l.Link(ctx, ws, hub.Connection{WorkspaceID: ws.ID}, c); err != nil {
		t.Fatal(err)
	}
	select {
	case <-asked.responsible:
		t.Fatal("the CRM was asked to make a contact for a mirrored workspace")
	default:
	}
	if got, _ := st.Contact(ctx, ws.ID, c.ID); len(got.CRMContactIDs) != 0 {
		t.Fatalf("linked %v", got.CRMContactIDs)
	}
}
