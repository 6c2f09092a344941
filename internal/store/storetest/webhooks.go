package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/store"
)

func init() {
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
		must(t, s.MarkWebhookProcessed(ctx, done, nil))
		must(t, s.MarkWebhookProcessed(ctx, failed, errors.New("media fetch failed")))
		n, err := s.PruneWebhooks(ctx, time.Now().Add(-time.Hour))
		must(t, err)
		eq(t, "nothing processed an hour ago", n, int64(0))
		n, err = s.PruneWebhooks(ctx, time.Now().Add(time.Second))
		must(t, err)
		eq(t, "pruned", n, int64(1))
		pending, err := s.PendingWebhooks(ctx, 10, 10)
		must(t, err)
		eq(t, "unprocessed rows kept", len(pending), 2)
	})
}
