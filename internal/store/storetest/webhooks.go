package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/store"
)

func init() {
	register("WebhooksSavedTogetherOrNotAtAll", func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s, 1)
		row := func(body string) store.RawWebhook {
			return store.RawWebhook{WorkspaceID: f.ws.ID, ConnectionID: f.conn.ID, Source: "waba", Body: []byte(body)}
		}
		batch := []store.RawWebhook{row(`{"n":1}`), row(`{"n":2}`), row(`{"n":3}`)}
		must(t, s.SaveWebhooks(ctx, batch))
		pending, err := s.PendingWebhooks(ctx, 10)
		must(t, err)
		eq(t, "stored", len(pending), 3)
		for i, w := range batch {
			eq(t, fmt.Sprintf("row %d's id", i), w.ID != "", true)
			eq(t, fmt.Sprintf("row %d's body", i), string(pending[i].Body), string(w.Body))
		}
		// The last row cannot be stored (its id is taken): the two before it are not either.
		failing := []store.RawWebhook{row(`{"n":4}`), row(`{"n":5}`), row(`{"n":6}`)}
		failing[2].ID = batch[0].ID
		if err := s.SaveWebhooks(ctx, failing); err == nil {
			t.Fatal("a row with a taken id was stored")
		}
		pending, err = s.PendingWebhooks(ctx, 10)
		must(t, err)
		eq(t, "stored after the failed batch", len(pending), 3)
	})
	register("ProcessedWebhooksArePruned", func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s, 1)
		save := func() string {
			id, err := s.SaveWebhook(ctx, store.RawWebhook{WorkspaceID: f.ws.ID, ConnectionID: f.conn.ID, Source: "waba", Body: []byte("{}")})
			must(t, err)
			return id
		}
		done, failed := save(), save()
		save() // never attempted
		must(t, s.FinishWebhook(ctx, done, time.Now(), store.WebhookOutcome{}))
		must(t, s.FinishWebhook(ctx, failed, time.Now(), store.WebhookOutcome{Err: errors.New("media fetch failed"),
			RetryAt: time.Now().Add(time.Minute)}))
		n, err := s.PruneWebhooks(ctx, time.Now().Add(-time.Hour))
		must(t, err)
		eq(t, "nothing processed an hour ago", n, int64(0))
		n, err = s.PruneWebhooks(ctx, time.Now().Add(time.Second))
		must(t, err)
		eq(t, "pruned", n, int64(1))
		pending, err := s.PendingWebhooks(ctx, 10)
		must(t, err)
		eq(t, "unprocessed rows kept", len(pending), 2)
	})
	register("WebhookClaims", func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := newFixture(t, s, 1)
		id, err := s.SaveWebhook(ctx, store.RawWebhook{WorkspaceID: f.ws.ID, ConnectionID: f.conn.ID, Source: "waba", Body: []byte("{}")})
		must(t, err)
		t0 := time.Now()
		a, err := s.ClaimWebhooks(ctx, "a", t0, time.Minute, 10)
		must(t, err)
		eq(t, "a claims", len(a), 1)
		b, err := s.ClaimWebhooks(ctx, "b", t0.Add(30*time.Second), time.Minute, 10)
		must(t, err)
		eq(t, "b waits for a's lease", len(b), 0)
		must(t, s.RenewWebhooks(ctx, "a", []string{id}, t0.Add(2*time.Minute)))
		b, err = s.ClaimWebhooks(ctx, "b", t0.Add(90*time.Second), time.Minute, 10)
		must(t, err)
		eq(t, "renewed lease holds", len(b), 0)
		// a dies: once its lease is over, b takes the webhook, and a's renewal is refused.
		b, err = s.ClaimWebhooks(ctx, "b", t0.Add(3*time.Minute), time.Minute, 10)
		must(t, err)
		eq(t, "b takes over", len(b), 1)
		eq(t, "a lost it", s.RenewWebhooks(ctx, "a", []string{id}, t0.Add(5*time.Minute)), store.ErrLeaseLost)

		// A transient failure waits for its time; a permanent one is given up (kept for an operator).
		must(t, s.FinishWebhook(ctx, id, t0, store.WebhookOutcome{Err: errors.New("db blip"), RetryAt: t0.Add(10 * time.Minute)}))
		early, err := s.ClaimWebhooks(ctx, "b", t0.Add(9*time.Minute), time.Minute, 10)
		must(t, err)
		eq(t, "not due yet", len(early), 0)
		due, err := s.ClaimWebhooks(ctx, "b", t0.Add(10*time.Minute), time.Minute, 10)
		must(t, err)
		eq(t, "due", len(due), 1)
		eq(t, "attempts counted", due[0].Attempts, 1)
		must(t, s.FinishWebhook(ctx, id, t0, store.WebhookOutcome{Err: errors.New("not a WhatsApp payload")}))
		pending, err := s.PendingWebhooks(ctx, 10)
		must(t, err)
		eq(t, "given up", len(pending), 0)
		left, err := s.ClaimWebhooks(ctx, "b", t0.Add(time.Hour), time.Minute, 10)
		must(t, err)
		eq(t, "never claimed again", len(left), 0)
	})
	register("WebhookClaimsAreExclusive", func(t *testing.T, s *store.Store) {
		// Four workers claim a hundred webhooks at once: each is claimed exactly once.
		ctx := context.Background()
		f := newFixture(t, s, 1)
		for i := 0; i < 100; i++ {
			_, err := s.SaveWebhook(ctx, store.RawWebhook{WorkspaceID: f.ws.ID, ConnectionID: f.conn.ID, Source: "waba", Body: []byte("{}")})
			must(t, err)
		}
		var mu sync.Mutex
		seen := map[string]int{}
		var wg sync.WaitGroup
		errs := make(chan error, 4)
		for w := 0; w < 4; w++ {
			wg.Add(1)
			go func(owner string) {
				defer wg.Done()
				for {
					got, err := s.ClaimWebhooks(ctx, owner, time.Now(), time.Hour, 7)
					if err != nil {
						errs <- err
						return
					}
					if len(got) == 0 {
						return
					}
					mu.Lock()
					for _, w := range got {
						seen[w.ID]++
					}
					mu.Unlock()
				}
			}(fmt.Sprint("w", w))
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		eq(t, "claimed", len(seen), 100)
		for id, n := range seen {
			if n != 1 {
				t.Fatalf("webhook %s claimed %d times", id, n)
			}
		}
	})
}
