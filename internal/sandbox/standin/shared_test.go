package standin_test

import (
	"sync"
	"testing"

	"github.com/switchboardhq/switchboard/internal/sandbox/standin"
	"github.com/switchboardhq/switchboard/internal/store"
	"github.com/switchboardhq/switchboard/internal/store/storetest"
)

type counter struct{ N int }

// Two stand-ins over one store (two sandbox instances) share one state: every change either
// makes is kept, and each sees the other's.
func TestSharedStateIsOneAcrossInstances(t *testing.T) {
	check := func(t *testing.T, st standin.Store) {
		seed := func() *counter { return &counter{} }
		a, b := standin.NewShared(st, "count", seed), standin.NewShared(st, "count", seed)
		var wg sync.WaitGroup
		for _, s := range []*standin.Shared[counter]{a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 25 {
					s.Lock().N++
					s.Changed()
					s.Unlock()
				}
			}()
		}
		wg.Wait()
		for name, s := range map[string]*standin.Shared[counter]{"a": a, "b": b} {
			n := s.Lock().N
			s.Unlock()
			if n != 50 {
				t.Errorf("%s sees %d, want 50", name, n)
			}
		}
		// Reading without Changed saves nothing.
		a.Lock().N = 1000
		a.Unlock()
		c := standin.NewShared(st, "count", seed)
		if n := c.Lock().N; n != 50 {
			t.Errorf("an unmarked change was saved: %d", n)
		}
		c.Unlock()
	}
	t.Run("memory", func(t *testing.T) { check(t, standin.NewMemory()) })
	storetest.Each(t, func(t *testing.T, st *store.Store) { check(t, st) })
}
