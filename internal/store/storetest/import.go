package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

func init() {
	register("ImportMessagesDerivesChatState", func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s, 1)
		emp := employee(t, s, f, 1, hub.RoleManager)
		c, err := s.CreateContact(ctx, hub.Contact{WorkspaceID: f.ws.ID, Name: "Иван", WAID: "79161234567"})
		must(t, err)
		chat, _, err := s.CreateChat(ctx, hub.Chat{WorkspaceID: f.ws.ID, ConnectionID: f.conn.ID, Kind: hub.ChatPrivate,
			ContactID: c.ID, ExternalChatID: "79161234567"})
		must(t, err)
		t0 := time.Now().Add(-48 * time.Hour).Truncate(time.Millisecond)
		q := store.NewID()
		msgs := []hub.Message{
			{ID: q, Direction: hub.DirIn, Type: hub.TypeText, Text: "Есть стеллажи?", Status: hub.StatusReceived, ProviderKey: "imp.1", CreatedAt: t0},
			{Direction: hub.DirOut, Type: hub.TypeText, Text: "Да, есть", Status: hub.StatusRead, AuthorID: emp.ID,
				AuthorName: "Дмитрий", ProviderKey: "imp.2", ReplyToID: q, CreatedAt: t0.Add(time.Minute)},
			{Direction: hub.DirIn, Type: hub.TypeText, Text: "Сколько стоят?", Status: hub.StatusReceived, ProviderKey: "imp.3", CreatedAt: t0.Add(2 * time.Minute)},
			{Direction: hub.DirIn, Type: hub.TypeImage, Status: hub.StatusReceived, ProviderKey: "imp.4", CreatedAt: t0.Add(3 * time.Minute),
				Attachments: []hub.Attachment{{Name: "склад.png", MIME: "image/png", StorageKey: "k1", Size: 10}}},
		}
		got, err := s.ImportMessages(ctx, f.ws.ID, chat.ID, msgs)
		must(t, err)
		eq(t, "unanswered after the last reply", got.UnansweredCount, 2)
		eq(t, "last message", got.LastMessage.ProviderKey, "imp.4")
		eq(t, "window from the last inbound", got.LastInboundAt.Equal(t0.Add(3*time.Minute)), true)
		eq(t, "activity", got.LastActivityAt.Equal(t0.Add(3*time.Minute)), true)
		again, err := s.ImportMessages(ctx, f.ws.ID, chat.ID, msgs[:2])
		must(t, err)
		eq(t, "repeat import is a no-op", again.UnansweredCount, 2)
		history, err := s.Messages(ctx, f.ws.ID, chat.ID, "", 10)
		must(t, err)
		eq(t, "messages", len(history), 4)
		eq(t, "reply kept", history[2].ReplyToID, q)
		eq(t, "author kept", history[2].AuthorName, "Дмитрий")
		eq(t, "status kept", history[2].Status, hub.StatusRead)
		contact, err := s.Contact(ctx, f.ws.ID, c.ID)
		must(t, err)
		eq(t, "contact unanswered", contact.UnansweredChats, 1)
		_, err = s.ImportMessages(ctx, "other", chat.ID, msgs)
		eq(t, "foreign workspace", err, store.ErrNotFound)
	})
}
