package storetest

import (
	"context"
	"sync"
	"testing"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

func init() {
	register("MigrateTwice", func(t *testing.T, s *store.Store) {
		n, err := s.Migrate(context.Background())
		must(t, err)
		eq(t, "migrations applied again", n, 0)
	})
	register("WorkspaceOncePerAccount", func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a, err := s.CreateWorkspace(ctx, hub.Workspace{Name: "A", CRMKind: "amocrm", CRMAccountID: 7})
		must(t, err)
		b, err := s.CreateWorkspace(ctx, hub.Workspace{Name: "B", CRMKind: "amocrm", CRMAccountID: 7})
		must(t, err)
		eq(t, "second install's workspace", b.ID, a.ID)
		eq(t, "name", b.Name, "A")
	})
	register("ProvisionEmployeeOnceUnderConcurrency", func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s, 1)
		var wg sync.WaitGroup
		ids := make([]string, 8)
		created := make([]bool, 8)
		for i := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				e, c, err := s.ProvisionEmployee(ctx, hub.Employee{WorkspaceID: f.ws.ID, CRMUserID: 42,
					Name: "Анна", Role: hub.RoleManager, Lang: "ru"})
				if err != nil {
					t.Error(err)
				}
				ids[i], created[i] = e.ID, c
			}()
		}
		wg.Wait()
		n := 0
		for i := range ids {
			eq(t, "employee id", ids[i], ids[0])
			if created[i] {
				n++
			}
		}
		eq(t, "creations", n, 1)
		all, err := s.Employees(ctx, f.ws.ID)
		must(t, err)
		eq(t, "employees", len(all), 1)
	})
	register("InboundReplayIsIdempotent", func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s, 1)
		r1, err := s.SaveInbound(ctx, f.inbound("79161234567", "Пётр", "wamid.1", "Привет"))
		must(t, err)
		r2, err := s.SaveInbound(ctx, f.inbound("79161234567", "Пётр", "wamid.1", "Привет"))
		must(t, err)
		eq(t, "replay duplicate", r2.Duplicate, true)
		eq(t, "replay message id", r2.Message.ID, r1.Message.ID)
		ms, err := s.Messages(ctx, f.ws.ID, r1.Chat.ID, "", 50)
		must(t, err)
		eq(t, "messages", len(ms), 1)
		chat, err := s.Chat(ctx, f.ws.ID, r1.Chat.ID)
		must(t, err)
		eq(t, "unanswered", chat.UnansweredCount, 1)
	})
	register("SeqGapFreeUnderConcurrentWriters", func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s, 1)
		const writers, each = 6, 10
		var wg sync.WaitGroup
		for w := 0; w < writers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < each; i++ {
					if _, err := s.AppendEvent(ctx, f.ws.ID, hub.EventChatUpdated, "", "", map[string]int{"w": w, "i": i}); err != nil {
						t.Error(err)
						return
					}
				}
			}()
		}
		wg.Wait()
		evs, err := s.EventsSince(ctx, f.ws.ID, 0, 1000)
		must(t, err)
		eq(t, "events", len(evs), writers*each)
		for i, e := range evs {
			eq(t, "seq", e.Seq, int64(i+1))
		}
		head, err := s.EventHead(ctx, f.ws.ID)
		must(t, err)
		eq(t, "head", head, int64(writers*each))
	})
}
