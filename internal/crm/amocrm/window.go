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
// once — a deal card opening reads the deal and its contacts, requests the manager waits for —
// and spaces only what comes after it (a sync). Someone's call goes before background work's
// (Background): a card opened during a sync waits for the next free place, not behind the
// sync's queued pages.
type window struct {
	clock clockwork.Clock // real time in the product: the CRM's limit is
	mu    sync.Mutex
	sent  []time.Time // the last requests' times, oldest first; at most requestsPerSecond
	// ahead counts the calls for someone waiting for a place; background calls wait while
	// there are any, on clear (closed when the count falls to 0).
	ahead int
	clear chan struct{}
}

func newWindow(clock clockwork.Clock) *window { return &window{clock: clock} }

// wait returns once a request may go, counting it as sent; a background request goes only
// when no call for someone is waiting.
func (w *window) wait(ctx context.Context, background bool) error {
	w.mu.Lock()
	if !background {
		w.ahead++
		defer w.behind()
	}
	for {
		now := w.clock.Now()
		free := len(w.sent) < requestsPerSecond || now.Sub(w.sent[0]) >= time.Second
		if free && (!background || w.ahead == 0) {
			if len(w.sent) == requestsPerSecond {
				w.sent = append(w.sent[:0], w.sent[1:]...)
			}
			w.sent = append(w.sent, now)
			w.mu.Unlock()
			return nil
		}
		var freed <-chan time.Time
		if !free {
			freed = w.clock.After(time.Second - now.Sub(w.sent[0]))
		}
		var cleared <-chan struct{}
		if background && w.ahead > 0 {
			if w.clear == nil {
				w.clear = make(chan struct{})
			}
			cleared = w.clear
		}
		w.mu.Unlock()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-freed:
		case <-cleared:
		}
		w.mu.Lock()
	}
}

// behind ends a call for someone's wait (it went, or gave up), letting background calls go
// when it was the last.
func (w *window) behind() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.ahead--; w.ahead == 0 && w.clear != nil {
		close(w.clear)
		w.clear = nil
	}
}
