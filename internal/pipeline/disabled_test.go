package pipeline_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
	"github.com/switchboardhq/switchboard/internal/store/storetest"
)

// A connection switched off in the cabinet: a message queued on it for a later retry fails at
// once with connection_disabled (nothing reaches the provider, the connection's health counts
// no failed send), a customer's message is still stored, and switched on again it sends.
func TestDisabledConnectionFailsItsQueue(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		r := newRig(t, st)
		ctx := context.Background()
		r.whatsapp(r.sales, "+34 612 48 93 10", "text", "Hola")
		r.drain()
		chat, _ := r.chatMessages(r.sales, "34612489310")
		m := r.queue(chat, hub.Message{Text: "¿Le llamo mañana?"})
		s := r.sender()
		s.Backoff = func(int) time.Duration { return time.Hour } // a throttled send waits an hour
		r.sb.Graph.Throttle(r.sales.ExternalID, 1)
		s.Drain(ctx)
		if got := r.message(m.ID); got.Status != hub.StatusQueued {
			t.Fatalf("after a throttled attempt: %s", got.Status)
		}

		now := time.Now()
		must(t, st.SetConnectionDisabled(ctx, r.ws.ID, r.sales.ID, now))
		if n := s.Drain(ctx); n != 1 {
			t.Fatalf("the retry an hour away was not made due by switching off: claimed %d", n)
		}
		got := r.message(m.ID)
		if got.Status != hub.StatusFailed || got.ErrorCode != hub.RefuseConnectionDisabled || got.ErrorMessage == "" {
			t.Fatalf("queued message on a disabled connection: %+v", got)
		}
		if box := r.outbox(r.sales); len(box) != 0 {
			t.Fatalf("the provider got %v", box)
		}
		health, err := st.Health(ctx, r.ws.ID, now)
		must(t, err)
		if health[r.sales.ID].SendFailedHour != 0 {
			t.Fatalf("switching off counted as a failing provider: %+v", health[r.sales.ID])
		}

		r.whatsapp(r.sales, "+34 612 48 93 10", "text", "¿Hola?")
		r.drain()
		if _, ms := r.chatMessages(r.sales, "34612489310"); !slices.ContainsFunc(ms, func(m hub.Message) bool { return m.Text == "¿Hola?" }) {
			t.Fatalf("inbound on a disabled connection not stored: %+v", ms)
		}

		must(t, st.SetConnectionDisabled(ctx, r.ws.ID, r.sales.ID, time.Time{}))
		again := r.queue(chat, hub.Message{Text: "Le llamo mañana"})
		s.Drain(ctx)
		if got := r.message(again.ID); got.Status != hub.StatusSent && got.Status != hub.StatusDelivered {
			t.Fatalf("switched on again: %+v", got)
		}
	})
}
