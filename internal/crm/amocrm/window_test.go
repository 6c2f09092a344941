package amocrm

import (
	"context"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
)

// A burst of requests goes at once, up to the limit; the next waits until the oldest of them is
// a second old, by the window's clock (a deal card's three reads never wait for each other).
func TestWindowLetsABurstGoAndSpacesTheRest(t *testing.T) {
	clock := clockwork.NewFakeClock()
	w := newWindow(clock)
	ctx := context.Background()
	for i := range requestsPerSecond {
		if err := w.wait(ctx); err != nil {
			t.Fatalf("request %d of a burst: %v", i+1, err)
		}
		clock.Advance(10 * time.Millisecond)
	}
	sent, waiting := make(chan error, 1), make(chan error, 1)
	go func() { sent <- w.wait(ctx) }()
	go func() { waiting <- clock.BlockUntilContext(ctx, 1) }()
	select {
	case err := <-sent:
		t.Fatalf("request %d in the same second went at once (%v)", requestsPerSecond+1, err)
	case <-waiting: // it waits on the clock
	}
	clock.Advance(time.Second - time.Duration(requestsPerSecond)*10*time.Millisecond)
	if err := <-sent; err != nil {
		t.Fatal(err)
	}

	// The window is full again (five of the burst and that one within the second): a wait
	// whose context ends gives up.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := w.wait(cctx); err == nil {
		t.Fatal("a cancelled wait in a full window went through")
	}
}
