package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

func init() {
	// A message stored late (after an outage, or replayed) opens its chat at the message's own
	// time, so lists never put an old conversation above newer ones for when it was stored.
	register("ChatOpenedByAnOldMessageIsAsOldAsIt", func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s, 1)
		at := time.Date(2020, 3, 4, 5, 6, 7, 0, time.UTC)
		in := f.inbound("79160000009", "Олег", "wamid.old", "давнее")
		in.Message.CreatedAt = at
		r, err := s.SaveInbound(ctx, in)
		must(t, err)
		chat, err := s.Chat(ctx, f.ws.ID, r.Chat.ID)
		must(t, err)
		eq(t, "chat activity", chat.LastActivityAt.UnixMilli(), at.UnixMilli())
	})
	register("HistoryPagesBackwardsWithParts", func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s, 1)
		base := time.Now().Add(-time.Hour)
		var chatID string
		for i := 0; i < 7; i++ {
			in := f.inbound("79160000001", "Анна", fmt.Sprintf("wamid.%d", i), fmt.Sprintf("m%d", i))
			in.Message.CreatedAt = base.Add(time.Duration(i) * time.Minute)
			if i == 3 {
				in.Message.Type = hub.TypeOrder
				in.Message.Payload.Order = &hub.Order{Total: "25.50", Currency: "EUR", Items: []hub.OrderItem{
					{SKU: "tea-1", Name: "Té verde", Quantity: 2, Price: "7.75", Currency: "EUR"},
					{SKU: "cup-2", Name: "Taza", Quantity: 1, Price: "10.00", Currency: "EUR"}}}
			}
			if i == 4 {
				in.Message.Type = hub.TypeImage
				in.Message.Attachments = []hub.Attachment{{Name: "photo.jpg", MIME: "image/jpeg", ProviderMediaID: "media-1"}}
			}
			r, err := s.SaveInbound(ctx, in)
			must(t, err)
			chatID = r.Chat.ID
		}
		page1, err := s.Messages(ctx, f.ws.ID, chatID, "", 3)
		must(t, err)
		eq(t, "page 1 size", len(page1), 3)
		eq(t, "newest first", page1[0].Text, "m6")
		eq(t, "image attachment", len(page1[2].Attachments), 1)
		page2, err := s.Messages(ctx, f.ws.ID, chatID, page1[2].ID, 3)
		must(t, err)
		eq(t, "page 2 starts after", page2[0].Text, "m3")
		eq(t, "order lines", len(page2[0].Payload.Order.Items), 2)
		eq(t, "decimal price kept", page2[0].Payload.Order.Items[0].Price, "7.75")
		eq(t, "order total", page2[0].Payload.Order.Total, "25.50")
		page3, err := s.Messages(ctx, f.ws.ID, chatID, page2[2].ID, 3)
		must(t, err)
		eq(t, "last page", len(page3), 1)
		eq(t, "oldest", page3[0].Text, "m0")

		a := page1[2].Attachments[0]
		must(t, s.SetAttachmentStored(ctx, f.ws.ID, a.ID, "media/ab/cd", 1234, "image/jpeg"))
		m, err := s.Message(ctx, f.ws.ID, page1[2].ID)
		must(t, err)
		eq(t, "stored key", m.Attachments[0].StorageKey, "media/ab/cd")
		chat, err := s.Chat(ctx, f.ws.ID, chatID)
		must(t, err)
		eq(t, "last message denormalized", chat.LastMessage.Text, "m6")
		eq(t, "unanswered counts inbound", chat.UnansweredCount, 7)
		eq(t, "window from last inbound", chat.LastInboundAt.Equal(page1[0].CreatedAt), true)
	})
	register("ReplyContextAndReactions", func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s, 1)
		first, err := s.SaveInbound(ctx, f.inbound("79160000002", "Иван", "wamid.q", "вопрос"))
		must(t, err)
		in := f.inbound("79160000002", "Иван", "wamid.r", "уточнение")
		in.ReplyToKey = "wamid.q"
		second, err := s.SaveInbound(ctx, in)
		must(t, err)
		eq(t, "reply_to resolved", second.Message.ReplyToID, first.Message.ID)
		m, err := s.ApplyReaction(ctx, f.conn.ID, "wamid.q", "79160000002", "👍")
		must(t, err)
		eq(t, "reaction", len(m.Payload.Reactions), 1)
		m, err = s.ApplyReaction(ctx, f.conn.ID, "wamid.q", "79160000002", "❤️")
		must(t, err)
		eq(t, "one reaction per sender", len(m.Payload.Reactions), 1)
		eq(t, "replaced", m.Payload.Reactions[0].Emoji, "❤️")
		m, err = s.ApplyReaction(ctx, f.conn.ID, "wamid.q", "79160000002", "")
		must(t, err)
		eq(t, "removed", len(m.Payload.Reactions), 0)
		_, err = s.ApplyReaction(ctx, f.conn.ID, "wamid.none", "x", "👍")
		eq(t, "unknown message", err, store.ErrNotFound)
	})
	register("ChatsCreateOnceAndClearUnanswered", func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s, 1)
		c, err := s.CreateContact(ctx, hub.Contact{WorkspaceID: f.ws.ID, Name: "Lucía", WAID: "34600111222"})
		must(t, err)
		chat, created, err := s.CreateChat(ctx, hub.Chat{WorkspaceID: f.ws.ID, ConnectionID: f.conn.ID,
			Kind: hub.ChatPrivate, ContactID: c.ID, ExternalChatID: "34600111222"})
		must(t, err)
		eq(t, "created", created, true)
		again, created, err := s.CreateChat(ctx, hub.Chat{WorkspaceID: f.ws.ID, ConnectionID: f.conn.ID,
			Kind: hub.ChatPrivate, ContactID: c.ID, ExternalChatID: "34600111222"})
		must(t, err)
		eq(t, "not created twice", created, false)
		eq(t, "same chat", again.ID, chat.ID)
		byExt, err := s.ChatByExternal(ctx, f.conn.ID, "34600111222")
		must(t, err)
		eq(t, "by external id", byExt.ID, chat.ID)
		eq(t, "window closed for a new chat", byExt.LastInboundAt.IsZero(), true)

		_, err = s.SaveInbound(ctx, f.inbound("34600111222", "Lucía", "wamid.l1", "hola"))
		must(t, err)
		contact, err := s.Contact(ctx, f.ws.ID, c.ID)
		must(t, err)
		eq(t, "contact unanswered chats", contact.UnansweredChats, 1)
		cleared, err := s.ClearUnanswered(ctx, f.ws.ID, chat.ID)
		must(t, err)
		eq(t, "cleared", cleared.UnansweredCount, 0)
		contact, err = s.Contact(ctx, f.ws.ID, c.ID)
		must(t, err)
		eq(t, "contact recount", contact.UnansweredChats, 0)
		chats, err := s.ChatsOfContact(ctx, f.ws.ID, c.ID)
		must(t, err)
		eq(t, "chats of contact", len(chats), 1)
		chats, err = s.ChatsOfConnection(ctx, f.ws.ID, f.conn.ID)
		must(t, err)
		eq(t, "chats of connection", len(chats), 1)
		chats, err = s.ChatsOfConnection(ctx, "other", f.conn.ID)
		must(t, err)
		eq(t, "chats of a foreign connection", len(chats), 0)
	})
	register("GroupChatInbound", func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s, 1)
		in := store.Inbound{WorkspaceID: f.ws.ID, ConnectionID: f.conn.ID, ChatKind: hub.ChatGroup,
			ExternalChatID: "-100123", ChatTitle: "Оптовики", From: hub.Contact{Name: "Sergey", TelegramUserID: 55},
			Message: hub.Message{Type: hub.TypeText, Text: "всем привет", ProviderKey: "-100123:1"}}
		r, err := s.SaveInbound(ctx, in)
		must(t, err)
		eq(t, "group kind", r.Chat.Kind, hub.ChatGroup)
		eq(t, "group has no contact", r.Chat.ContactID, "")
		eq(t, "title", r.Chat.Title, "Оптовики")
		eq(t, "sender named", r.Message.AuthorName, "Sergey")
	})
}
