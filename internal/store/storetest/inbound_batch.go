package storetest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/store"
)

func init() {
	// One transaction for a batch of webhooks: a webhook whose message fails loses its own
	// messages and events only; duplicates are found within the batch and against what was
	// stored before; a webhook marked Finish is processed with its messages; no event of a
	// rolled-back webhook is announced.
	register("InboundBatchSavepointPerWebhook", func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s, 1)
		var mu sync.Mutex
		var announced int64
		s.SetEventNotifier(func(_ string, seq int64) {
			mu.Lock()
			announced = max(announced, seq)
			mu.Unlock()
		})
		before, err := s.SaveInbound(ctx, f.inbound("79160000001", "Анна", "wamid.old", "вчера"))
		must(t, err)
		head0, err := s.EventHead(ctx, f.ws.ID)
		must(t, err)
		ids := make([]string, 4)
		for i := range ids {
			ids[i], err = s.SaveWebhook(ctx, store.RawWebhook{WorkspaceID: f.ws.ID, ConnectionID: f.conn.ID, Source: "waba", Body: []byte("{}")})
			must(t, err)
		}
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
