package store_test

import (
	"context"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/switchboardhq/switchboard/internal/secrets"
	"github.com/switchboardhq/switchboard/internal/store"
	"github.com/switchboardhq/switchboard/internal/store/storetest"
)

func TestSQLite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) *store.Store { return storetest.OpenSQLite(t) })
}

func TestPostgres(t *testing.T) {
	base := os.Getenv(storetest.PostgresEnv)
	if base == "" {
		t.Skip("PostgreSQL conformance skipped: set SWITCHBOARD_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres to run it")
	}
	storetest.Run(t, func(t *testing.T) *store.Store { return storetest.OpenPostgres(t, base) })
}

// Instances starting together on a fresh database take turns migrating: both start, and every
// migration is applied once.
func TestMigrationsTakeALock(t *testing.T) {
	dsn := storetest.EmptyPostgresDSN(t)
	box, err := secrets.NewBox(strings.Repeat("ab", 32))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var wg sync.WaitGroup
	applied := make([]int, 3)
	errs := make([]error, 3)
	for i := range applied {
		s, err := store.Open(ctx, dsn, "", box)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		wg.Add(1)
		go func() {
			defer wg.Done()
			applied[i], errs[i] = s.Migrate(ctx)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("instance %d: %v", i, err)
		}
	}
	// Without the lock each would see the migrations missing and apply (or fail on) them.
	slices.Sort(applied)
	if applied[0] != 0 || applied[1] != 0 || applied[2] == 0 {
		t.Fatalf("applied %v: want all by one instance, none by the others", applied)
	}
}
