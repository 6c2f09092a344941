package storetest

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/store"
)

func init() {
	register("EventNotifierHearsCommitsOnly", func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s, 1)
		var mu sync.Mutex
		heard := map[string]int64{}
		s.SetEventNotifier(func(ws string, seq int64) {
			mu.Lock()
			defer mu.Unlock()
			heard[ws] = seq
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
		mu.Unlock()

		// A failing change appends nothing visible and announces nothing.
		s.SetEventNotifier(func(ws string, seq int64) { t.Errorf("announced %s/%d for a failed change", ws, seq) })
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
