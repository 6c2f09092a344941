package pipeline

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/switchboardhq/switchboard/internal/store"
	"github.com/switchboardhq/switchboard/internal/testwait"
)

// At most maxQueued rows wait for a commit: one more is refused at once (its request is
// answered 503), and the queued ones are all stored once the commit in progress ends.
func TestWebhookQueueIsBounded(t *testing.T) {
	var q webhookQueue
	held, release := make(chan struct{}), make(chan struct{})
	var mu sync.Mutex
	saved := 0
	save := func(_ context.Context, rows []store.RawWebhook) error {
		mu.Lock()
		first := saved == 0
		saved += len(rows)
		mu.Unlock()
		if first {
			close(held)
			<-release
		}
		return nil
	}
	ctx := context.Background()
	errs := make(chan error, maxQueued+1)
	go func() { errs <- q.store(ctx, save, store.RawWebhook{}) }()
	testwait.Done(t, held, "the first commit")
	for range maxQueued {
		go func() { errs <- q.store(ctx, save, store.RawWebhook{}) }()
	}
	testwait.Until(t, "a full queue", func() bool {
		q.mu.Lock()
		defer q.mu.Unlock()
		return len(q.waiting) == maxQueued
	})
	if err := q.store(ctx, save, store.RawWebhook{}); !errors.Is(err, errQueueFull) {
		t.Fatalf("a row past the bound: %v, want %v", err, errQueueFull)
	}
	close(release)
	for range maxQueued + 1 {
		if err := testwait.Recv(t, errs, "a queued row's outcome"); err != nil {
			t.Fatal(err)
		}
	}
	if saved != maxQueued+1 {
		t.Fatalf("%d rows stored, want %d", saved, maxQueued+1)
	}
}
