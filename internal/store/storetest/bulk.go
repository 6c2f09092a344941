package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

func init() {
	register("BulkInsertIsReadLikeEverythingElse", func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s, 1)
		at := time.Now().UTC().Truncate(time.Millisecond)
		contact := hub.Contact{ID: store.NewID(), Name: "Пётр Сидоров", WAID: "79161234567", Phones: []string{"+79161234567"},
			CRMContactIDs: []int64{77}, UnansweredChats: 1, LastActivityAt: at, CreatedAt: at, UpdatedAt: at}
		chat := hub.Chat{ID: store.NewID(), WorkspaceID: f.ws.ID, ConnectionID: f.conn.ID, Kind: hub.ChatPrivate,
			ContactID: contact.ID, ExternalChatID: contact.WAID, UnansweredCount: 1, LastActivityAt: at, LastInboundAt: at, CreatedAt: at}
		var msgs []hub.Message
		for i := range 3 {
			when := at.Add(time.Duration(i-2) * time.Minute)
			msgs = append(msgs, hub.Message{ID: store.NewID(), WorkspaceID: f.ws.ID, ChatID: chat.ID, ConnectionID: f.conn.ID,
				Direction: hub.DirIn, Type: hub.TypeText, Text: "привет", Status: hub.StatusReceived, CreatedAt: when, UpdatedAt: when})
		}
		chat.LastMessage = &msgs[2]
		must(t, s.BulkInsert(ctx, store.Bulk{WorkspaceID: f.ws.ID,
			CRMContacts: []store.CRMEntity{{ID: 77, Name: "Пётр", ResponsibleUserID: 5, FetchedAt: at}},
			Contacts:    []hub.Contact{contact}, Chats: []hub.Chat{chat}, Messages: msgs}))

		got, err := s.Contact(ctx, f.ws.ID, contact.ID)
		must(t, err)
		eq(t, "name", got.Name, contact.Name)
		eq(t, "crm links", len(got.CRMContactIDs), 1)
		gotChat, err := s.Chat(ctx, f.ws.ID, chat.ID)
		must(t, err)
		eq(t, "last message", gotChat.LastMessage.ID, msgs[2].ID)
		page, err := s.Messages(ctx, f.ws.ID, chat.ID, "", 2)
		must(t, err)
		eq(t, "page size", len(page), 2)
		eq(t, "newest first", page[0].ID, msgs[2].ID)
		for _, q := range []string{"сидоров", "1234567"} {
			ids, err := s.SearchContacts(ctx, f.ws.ID, q, 10)
			must(t, err)
			eq(t, "search "+q, len(ids), 1)
		}
		crm, err := s.CRMContact(ctx, f.ws.ID, 77)
		must(t, err)
		eq(t, "crm responsible", crm.ResponsibleUserID, int64(5))
		must(t, s.Analyze(ctx))
		head, err := s.EventHead(ctx, f.ws.ID)
		must(t, err)
		eq(t, "events logged", head, int64(0))
	})
}
