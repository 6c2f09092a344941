package storetest

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

func init() {
	register("EventNotifierHearsCommitsOnly", func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s, 1)
		var mu sync.Mutex
		heard := map[string]int64{}
		var handed []hub.Event
		s.SetEventNotifier(func(ws string, seq int64, evs []hub.Event) {
			mu.Lock()
			defer mu.Unlock()
			heard[ws] = seq
			handed = append(handed, evs...)
		})
		_, err := s.SaveInbound(ctx, f.inbound("79990000001", "Ann", "k1", "hi"))
		must(t, err)
		head, err := s.EventHead(ctx, f.ws.ID)
		must(t, err)
		if head == 0 {
			t.Fatal("inbound message appended no event")
		}
		mu.Lock()
		eq(t, "announced head", heard[f.ws.ID], head)
		// The events come with their notice exactly as the log holds them, so the fan-out need
		// not read them back.
		logged, err := s.EventsSince(ctx, f.ws.ID, 0, 100)
		must(t, err)
		sameEvents(t, handed, logged)
		mu.Unlock()

		// A failing change appends nothing visible and announces nothing.
		s.SetEventNotifier(func(ws string, seq int64, _ []hub.Event) { t.Errorf("announced %s/%d for a failed change", ws, seq) })
		if _, err := s.AppendEvent(ctx, "no-such-workspace", "chat.updated", "", "", map[string]string{}); err == nil {
			t.Fatal("event for an unknown workspace was accepted")
		}
		s.SetEventNotifier(nil)
		_, err = s.AppendEvent(ctx, f.ws.ID, "chat.updated", "c", "", map[string]string{})
		must(t, err)
	})
	register("EventTicketIsSingleUseAndExpires", func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		now := time.Now()
		must(t, s.CreateEventTicket(ctx, "t-1", "ws", "emp", now.Add(30*time.Second)))
		ws, emp, err := s.UseEventTicket(ctx, "t-1", now)
		must(t, err)
		eq(t, "workspace", ws, "ws")
		eq(t, "employee", emp, "emp")
		if _, _, err := s.UseEventTicket(ctx, "t-1", now); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("second use: %v, want ErrNotFound", err)
		}
		must(t, s.CreateEventTicket(ctx, "t-2", "ws", "emp", now.Add(30*time.Second)))
		if _, _, err := s.UseEventTicket(ctx, "t-2", now.Add(31*time.Second)); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("expired ticket: %v, want ErrNotFound", err)
		}
		if _, _, err := s.UseEventTicket(ctx, "never-issued", now); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("unknown ticket: %v, want ErrNotFound", err)
		}
	})
}

// sameEvents fails unless got holds the events of want, field by field and in order.
func sameEvents(t *testing.T, got, want []hub.Event) {
	t.Helper()
	eq(t, "events announced", len(got), len(want))
	for i := range want {
		g, w := got[i], want[i]
		if g.WorkspaceID != w.WorkspaceID || g.Seq != w.Seq || g.Type != w.Type || g.ChatID != w.ChatID ||
			g.ContactID != w.ContactID || string(g.Data) != string(w.Data) || !g.CreatedAt.Equal(w.CreatedAt) {
			t.Fatalf("event %d announced as %+v, logged as %+v", i, g, w)
		}
	}
}
