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

// SQLite's FTS5 trigram table serves a search only as one LIKE without ESCAPE or one MATCH per
// query: an ESCAPE clause, or an OR of two LIKEs (a phone number's text and digits), made it scan
// every row. Each term of a search, names, phone numbers in any format and terms holding LIKE's
// wildcards, is a query the index serves ("INDEX 0:M…" is FTS5's MATCH and "INDEX 0:L…" its LIKE
// on the trigram index; a scan shows "INDEX 0:").
func TestSQLiteSearchUsesTrigramIndex(t *testing.T) {
	s := storetest.OpenSQLite(t)
	ws := storetest.PaidWorkspace(t, s, 1)
	for _, q := range []string{"иван", "garc", "+7 910 000-15", "8 916 123-45", "user1234", "50%_off", `a "b" \ c`} {
		plan, err := store.MatchesPlan(context.Background(), s, ws.ID, q)
		if err != nil {
			t.Fatal(err)
		}
		scans := 0
		for _, step := range plan {
			if strings.Contains(step, "VIRTUAL TABLE") {
				scans++
				if !strings.Contains(step, "VIRTUAL TABLE INDEX 0:M") && !strings.Contains(step, "VIRTUAL TABLE INDEX 0:L") {
					t.Errorf("search %q: %q does not use the trigram index (plan %q)", q, step, plan)
				}
			}
		}
		if scans == 0 {
			t.Errorf("search %q: no step reads contact_search (plan %q)", q, plan)
		}
	}
}

// SQLite's readers map the database file: with only their own 2 MB page caches, a search of a
// large workspace spent a quarter of its time in system calls reading pages.
func TestSQLiteReadersMapTheFile(t *testing.T) {
	s := storetest.OpenSQLite(t)
	n, err := store.ReaderPragma(context.Background(), s, "mmap_size")
	if err != nil {
		t.Fatal(err)
	}
	if n < 1<<30 {
		t.Fatalf("readers' mmap_size = %d, want at least 1 GB", n)
	}
}

// PostgreSQL's trigram index takes each search entry at once: with GIN's pending list
// (fastupdate), every search read the entries not merged yet, up to 4 MB of them.
func TestPostgresSearchIndexHasNoPendingList(t *testing.T) {
	base := os.Getenv(storetest.PostgresEnv)
	if base == "" {
		t.Skip("PostgreSQL skipped: set " + storetest.PostgresEnv)
	}
	s := storetest.OpenPostgres(t, base)
	opts, err := store.QueryString(context.Background(), s,
		`SELECT COALESCE(array_to_string(reloptions, ','), '') FROM pg_class WHERE relname = 'contact_search_trgm'`)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(opts, "fastupdate=off") {
		t.Fatalf("contact_search_trgm options %q: want fastupdate=off", opts)
	}
}
