package pipeline

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	mrand "math/rand/v2"
	"os"
	"strconv"
	"time"

	"github.com/switchboardhq/switchboard/internal/store"
)

// Claims is how an instance's workers take shared rows (outbox messages, stored webhooks): in
// its own name, for a lease it renews while it works, so instances never take each other's
// work and one that dies leaves its rows to the others once the lease has run out.
type Claims struct {
	// Owner names this instance in its claims; default: one id per process (Owner()).
	Owner string
	// Lease is how long a claim lasts without renewal; default 30 s. It is renewed every third of
	// it, so a live owner keeps its rows through a slow provider call.
	Lease time.Duration
	// Now is the clock leases and retries are reckoned by; default time.Now.
	Now func() time.Time
}

// processOwner is this process's id in claims: the host, the process and a random part, so a
// restarted instance never passes for its former self.
var processOwner = func() string {
	host, _ := os.Hostname()
	var b [4]byte
	_, _ = rand.Read(b[:])
	return host + "/" + strconv.Itoa(os.Getpid()) + "/" + hex.EncodeToString(b[:])
}()

// Owner returns this process's id in claims.
func Owner() string { return processOwner }

func (c Claims) owner() string {
	if c.Owner != "" {
		return c.Owner
	}
	return processOwner
}

func (c Claims) lease() time.Duration {
	if c.Lease > 0 {
		return c.Lease
	}
	return 30 * time.Second
}

func (c Claims) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// hold renews a claim every third of the lease, with renew(ctx, new expiry), until the returned
// stop is called. A renewal the database refuses is tried again at the next tick (the lease may
// run out meanwhile, which is what a lease is for); a lost claim ends the renewals.
func (c Claims) hold(ctx context.Context, what string, renew func(ctx context.Context, until time.Time) error) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(c.lease() / 3)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			err := renew(ctx, c.now().Add(c.lease()))
			switch {
			case err == nil || ctx.Err() != nil:
			case errors.Is(err, store.ErrLeaseLost):
				slog.Warn("claim lost: its lease ran out and another instance took it", "what", what)
				return
			default:
				slog.Warn("claim not renewed", "what", what, "err", err)
			}
		}
	}()
	return func() { cancel(); <-done }
}

// backoff is the delay before retry number attempt (from 1): base doubling up to max, with
// ±25% jitter so instances that failed together do not retry together.
func backoff(base, max time.Duration, attempt int) time.Duration {
	d := base
	for i := 1; i < attempt && d < max; i++ {
		d *= 2
	}
	d = min(d, max)
	return d - d/4 + time.Duration(mrand.Int64N(int64(d/2)+1))
}
