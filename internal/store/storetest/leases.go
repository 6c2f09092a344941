package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/store"
)

func init() {
	register("NamedLeases", func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		t0 := time.UnixMilli(1_700_000_000_000)
		claim := func(owner string, now time.Time) bool {
			t.Helper()
			ok, err := s.ClaimLease(ctx, "max-poll:1", owner, now, now.Add(30*time.Second))
			must(t, err)
			return ok
		}
		eq(t, "a free lease is taken", claim("a", t0), true)
		eq(t, "the holder renews", claim("a", t0.Add(10*time.Second)), true)
		eq(t, "another instance waits while it lasts", claim("b", t0.Add(39*time.Second)), false)
		ok, err := s.ClaimLease(ctx, "max-poll:2", "b", t0, t0.Add(time.Second))
		must(t, err)
		eq(t, "names are apart", ok, true)
		eq(t, "an expired lease passes to another", claim("b", t0.Add(40*time.Second)), true)
		eq(t, "its former holder lost it", claim("a", t0.Add(41*time.Second)), false)
		must(t, s.ReleaseLease(ctx, "max-poll:1", "a")) // not a's: nothing happens
		eq(t, "a stranger's release changes nothing", claim("a", t0.Add(42*time.Second)), false)
		must(t, s.ReleaseLease(ctx, "max-poll:1", "b"))
		eq(t, "a released lease is free at once", claim("a", t0.Add(43*time.Second)), true)
	})
}
