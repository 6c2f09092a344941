package amocrm

import (
	"context"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"
)

// requestsPerSecond keeps the hub under amoCRM's limit of 7 requests per second per
// integration, with one to spare for the requests' jitter on the way.
const requestsPerSecond = 6

// window holds an account's requests to at most requestsPerSecond in any second, as amoCRM
// counts them. Unlike a bucket refilled every sixth of a second it lets a short burst go at
// once — a deal card opening reads the deal and its contacts, three requests the manager waits
// for — and spaces only what comes after it (a sync).
type window struct {
	clock clockwork.Clock // real time in the product: the CRM's limit is
	mu    sync.Mutex
	sent  []time.Time // the last requests' times, oldest first; at most requestsPerSecond
}

func newWindow(clock clockwork.Clock) *window { return &window{clock: clock} }

// wait returns once a request may go, counting it as sent.
func (w *window) wait(ctx context.Context) error {
	for {
		w.mu.Lock()
		now := w.clock.Now()
		if len(w.sent) < requestsPerSecond || now.Sub(w.sent[0]) >= time.Second {
			if len(w.sent) == requestsPerSecond {
				w.sent = append(w.sent[:0], w.sent[1:]...)
			}
			w.sent = append(w.sent, now)
			w.mu.Unlock()
			return nil
		}
		later := time.Second - now.Sub(w.sent[0])
		w.mu.Unlock()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-w.clock.After(later):
		}
	}
}
