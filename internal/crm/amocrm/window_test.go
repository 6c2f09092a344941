package amocrm

import (
	"context"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/switchboardhq/switchboard/internal/testwait"
)

// A burst of requests goes at once, up to the limit; the next waits until the oldest of them is
// a second old, by the window's clock (a deal card's three reads never wait for each other).
func TestWindowLetsABurstGoAndSpacesTheRest(t *testing.T) {
	clock := clockwork.NewFakeClock()
	w := newWindow(clock)
	ctx := context.Background()
	for i := range requestsPerSecond {
		if err := w.wait(ctx, true); err != nil {
			t.Fatalf("request %d of a burst: %v", i+1, err)
		}
		clock.Advance(10 * time.Millisecond)
	}
	sent, waiting := make(chan error, 1), make(chan error, 1)
	go func() { sent <- w.wait(ctx, true) }()
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
	if err := w.wait(cctx, false); err == nil {
		t.Fatal("a cancelled wait in a full window went through")
	}
}

// A call someone waits for (a card's refresh) goes before background calls queued with it (a
// sync's pages), at each place that frees by the window's clock; the background calls go on
// after it.
func TestWindowLetsACallForSomeoneGoFirst(t *testing.T) {
	clock := clockwork.NewFakeClock()
	w := newWindow(clock)
	ctx := context.Background()
	const spacing = 10 * time.Millisecond
	for range requestsPerSecond {
		if err := w.wait(ctx, true); err != nil {
			t.Fatal(err)
		}
		clock.Advance(spacing)
	}
	clock.Advance(time.Second - requestsPerSecond*spacing - spacing) // the burst's first frees in one spacing
	const queued = requestsPerSecond - 1
	background := make(chan error, queued)
	// Each round a call for someone queues (in the first, before the background calls), and
	// the burst's next request turns a second old: the one place it frees is that call's.
	for round := range requestsPerSecond {
		someone := make(chan error, 1)
		go func() { someone <- w.wait(ctx, false) }()
		if round == 0 {
			if err := clock.BlockUntilContext(ctx, 1); err != nil {
				t.Fatal(err)
			}
			for i := range queued {
				go func() { background <- w.wait(ctx, true) }()
				if err := clock.BlockUntilContext(ctx, i+2); err != nil {
					t.Fatal(err)
				}
			}
		} else if err := clock.BlockUntilContext(ctx, queued+1); err != nil {
			t.Fatal(err)
		}
		clock.Advance(spacing)
		select {
		case err := <-someone:
			if err != nil {
				t.Fatal(err)
			}
		case <-background:
			t.Fatalf("round %d: a background call took the place a call for someone waited for", round+1)
		case <-time.After(testwait.Bound):
			t.Fatalf("round %d: gave up waiting for the call for someone", round+1)
		}
		if err := clock.BlockUntilContext(ctx, queued); err != nil { // all waiting again, on the clock
			t.Fatal(err)
		}
	}
	// Nobody else waits: the background calls go as places free.
	clock.Advance(time.Second)
	for range queued {
		if err := testwait.Recv(t, background, "the background calls after them"); err != nil {
			t.Fatal(err)
		}
	}
}
