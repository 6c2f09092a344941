package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

func init() {
	// One transaction for a batch of webhooks: a webhook whose message fails loses its own
	// messages and events only; duplicates are found within the batch and against what was
	// stored before; a webhook marked Finish is processed with its messages; no event of a
	// rolled-back webhook is announced, and the events announced are those logged, as logged.
	register("InboundBatchSavepointPerWebhook", func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s, 1)
		var mu sync.Mutex
		var announced int64
		var handed []hub.Event
		s.SetEventNotifier(func(_ string, seq int64, evs []hub.Event) {
			mu.Lock()
			announced = max(announced, seq)
			handed = append(handed, evs...)
			mu.Unlock()
		})
		before, err := s.SaveInbound(ctx, f.inbound("79160000001", "Анна", "wamid.old", "вчера"))
		must(t, err)
		head0, err := s.EventHead(ctx, f.ws.ID)
		must(t, err)
		ids := f.webhooks(t, s, 4)
		bad := f.inbound("79160000003", "Борис", "wamid.b2", "не сохранится")
		bad.WorkspaceID = "no-such-workspace" // fails after the contact and chat are written
		saved, err := s.SaveInboundBatch(ctx, time.Now(), []store.InboundWebhook{
			{WebhookID: ids[0], Finish: true, Messages: []store.Inbound{
				f.inbound("79160000001", "Анна", "wamid.a1", "один"), f.inbound("79160000001", "Анна", "wamid.a2", "два")}},
			{WebhookID: ids[1], Messages: []store.Inbound{
				f.inbound("79160000001", "Анна", "wamid.a1", "один"), f.inbound("79160000001", "Анна", "wamid.old", "вчера"),
				f.inbound("79160000002", "Вера", "wamid.c1", "три")}},
			{WebhookID: ids[2], Finish: true, Messages: []store.Inbound{
				f.inbound("79160000003", "Борис", "wamid.b1", "пропадёт"), bad}},
			// After a rolled-back webhook the batch goes on.
			{WebhookID: ids[3], Finish: true, Messages: []store.Inbound{f.inbound("79160000004", "Глеб", "wamid.d1", "четыре")}},
		})
		must(t, err)
		eq(t, "webhook 1", saved[0].Err, nil)
		eq(t, "webhook 1 results", len(saved[0].Results), 2)
		eq(t, "webhook 2", saved[1].Err, nil)
		eq(t, "in-batch duplicate", saved[1].Results[0].Duplicate, true)
		eq(t, "in-batch duplicate's id", saved[1].Results[0].Message.ID, saved[0].Results[0].Message.ID)
		eq(t, "earlier duplicate", saved[1].Results[1].Duplicate, true)
		eq(t, "earlier duplicate's id", saved[1].Results[1].Message.ID, before.Message.ID)
		eq(t, "new customer", saved[1].Results[2].NewContact, true)
		if saved[2].Err == nil {
			t.Fatal("webhook 3 stored a message of a workspace that does not exist")
		}
		eq(t, "webhook 4", saved[3].Err, nil)
		if _, err := s.ChatByExternal(ctx, f.conn.ID, "79160000004"); err != nil {
			t.Fatalf("webhook 4's chat: %v", err)
		}

		ms, err := s.Messages(ctx, f.ws.ID, before.Chat.ID, "", 50)
		must(t, err)
		eq(t, "Анна's messages", len(ms), 3)
		chat, err := s.Chat(ctx, f.ws.ID, before.Chat.ID)
		must(t, err)
		eq(t, "Анна's unanswered", chat.UnansweredCount, 3)
		eq(t, "Анна's last message", chat.LastMessage.ID, saved[0].Results[1].Message.ID)
		if _, err := s.ChatByExternal(ctx, f.conn.ID, "79160000003"); err != store.ErrNotFound {
			t.Fatalf("webhook 3's chat: %v, want rolled back", err)
		}
		if _, err := s.ContactByIdentity(ctx, f.ws.ID, "79160000003", 0); err != store.ErrNotFound {
			t.Fatalf("webhook 3's contact: %v, want rolled back", err)
		}
		// Two events per new message (message.created, chat.updated), no gap where webhook 3's were.
		head, err := s.EventHead(ctx, f.ws.ID)
		must(t, err)
		eq(t, "events", head, head0+8)
		evs, err := s.EventsSince(ctx, f.ws.ID, head0, 100)
		must(t, err)
		eq(t, "events logged", len(evs), 8)
		mu.Lock()
		eq(t, "announced head", announced, head)
		sameEvents(t, handed[len(handed)-len(evs):], evs)
		mu.Unlock()

		pending, err := s.PendingWebhooks(ctx, 10)
		must(t, err)
		eq(t, "pending webhooks", len(pending), 2)
		for _, w := range pending {
			if w.ID == ids[0] || w.ID == ids[3] {
				t.Fatalf("webhook %s is not marked processed", w.ID)
			}
		}
	})
}

func init() {
	// A batch of known senders in known chats is written with a few statements for the whole
	// batch: each message's message.created, each chat's chat.updated once, after its last
	// message of the run, as the run leaves it; a replay or a new sender is stored where it
	// stands, and what it created serves the messages after it.
	register("InboundBatchWrittenTogether", func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s, 1)
		a0, err := s.SaveInbound(ctx, f.inbound("79160000001", "Анна", "wamid.a0", "вчера"))
		must(t, err)
		b0, err := s.SaveInbound(ctx, f.inbound("79160000002", "Борис", "wamid.b0", "вчера"))
		must(t, err)
		head0, err := s.EventHead(ctx, f.ws.ID)
		must(t, err)
		ids := f.webhooks(t, s, 3)
		saved, err := s.SaveInboundBatch(ctx, time.Now(), []store.InboundWebhook{
			{WebhookID: ids[0], Finish: true, Messages: []store.Inbound{
				f.inbound("79160000001", "Анна", "wamid.a1", "один"), f.inbound("79160000002", "Борис", "wamid.b1", "два")}},
			{WebhookID: ids[1], Finish: true, Messages: []store.Inbound{
				f.inbound("79160000001", "Анна", "wamid.a2", "три"), f.inbound("79160000001", "Анна", "wamid.a1", "один")}},
			{WebhookID: ids[2], Messages: []store.Inbound{
				f.inbound("79160000003", "Вера", "wamid.c1", "четыре"), f.inbound("79160000003", "Вера", "wamid.c2", "пять")}},
		})
		must(t, err)
		for _, sv := range saved {
			eq(t, "webhook error", sv.Err, nil)
			eq(t, "webhook results", len(sv.Results), 2)
		}
		a1, b1, a2, replay := saved[0].Results[0], saved[0].Results[1], saved[1].Results[0], saved[1].Results[1]
		c1, c2 := saved[2].Results[0], saved[2].Results[1]
		eq(t, "replay", replay.Duplicate, true)
		eq(t, "replay's id", replay.Message.ID, a1.Message.ID)
		eq(t, "new customer", c1.NewContact, true)
		eq(t, "second message of the new customer", c2.Duplicate || c2.NewContact, false)
		eq(t, "Анна's chat", a2.Chat.ID, a0.Chat.ID)
		eq(t, "Анна's contact", a1.Contact.ID, a0.Contact.ID)
		eq(t, "Анна's phone", len(a1.Contact.Phones), 1)
		eq(t, "Вера's chat", c2.Chat.ID, c1.Chat.ID)

		chat, err := s.Chat(ctx, f.ws.ID, a0.Chat.ID)
		must(t, err)
		eq(t, "Анна's unanswered", chat.UnansweredCount, 3)
		eq(t, "Анна's last message", chat.LastMessage.ID, a2.Message.ID)
		if chat.LastActivityAt.Before(a2.Message.CreatedAt) {
			t.Fatalf("Анна's chat active at %v, before her last message %v", chat.LastActivityAt, a2.Message.CreatedAt)
		}
		ms, err := s.Messages(ctx, f.ws.ID, a0.Chat.ID, "", 50)
		must(t, err)
		eq(t, "Анна's messages", len(ms), 3)
		ms, err = s.Messages(ctx, f.ws.ID, c1.Chat.ID, "", 50)
		must(t, err)
		eq(t, "Вера's messages", len(ms), 2)
		eq(t, "Вера's newest", ms[0].ID, c2.Message.ID)
		contact, err := s.Contact(ctx, f.ws.ID, b0.Contact.ID)
		must(t, err)
		eq(t, "Борис's unanswered chats", contact.UnansweredChats, 1)
		eq(t, "Борис's activity", contact.LastActivityAt.Equal(b1.Message.CreatedAt), true)

		// The first run (a1, b1, a2) ends before the replay; Вера's first message is stored
		// alone, her second in a run of its own.
		evs, err := s.EventsSince(ctx, f.ws.ID, head0, 100)
		must(t, err)
		type ev struct{ typ, chat string }
		want := []ev{{hub.EventMessageCreated, a0.Chat.ID}, {hub.EventMessageCreated, b0.Chat.ID}, {hub.EventChatUpdated, b0.Chat.ID},
			{hub.EventMessageCreated, a0.Chat.ID}, {hub.EventChatUpdated, a0.Chat.ID},
			{hub.EventMessageCreated, c1.Chat.ID}, {hub.EventChatUpdated, c1.Chat.ID},
			{hub.EventMessageCreated, c1.Chat.ID}, {hub.EventChatUpdated, c1.Chat.ID}}
		eq(t, "events", len(evs), len(want))
		for i, e := range evs {
			eq(t, fmt.Sprintf("event %d seq", i), e.Seq, head0+int64(i)+1)
			eq(t, fmt.Sprintf("event %d", i), ev{e.Type, e.ChatID}, want[i])
		}
		var updated hub.Chat
		must(t, json.Unmarshal(evs[4].Data, &updated))
		eq(t, "Анна's chat.updated, unanswered", updated.UnansweredCount, 3)
		eq(t, "Анна's chat.updated, last message", updated.LastMessage.ID, a2.Message.ID)
		var created hub.Message
		must(t, json.Unmarshal(evs[3].Data, &created))
		eq(t, "message.created", created.ID, a2.Message.ID)
		eq(t, "message.created text", created.Text, "три")
		head, err := s.EventHead(ctx, f.ws.ID)
		must(t, err)
		eq(t, "head", head, head0+int64(len(want)))

		pending, err := s.PendingWebhooks(ctx, 10)
		must(t, err)
		eq(t, "pending webhooks", len(pending), 1)
		eq(t, "pending webhook", pending[0].ID, ids[2])
	})
}
