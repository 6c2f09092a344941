package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/secrets"
	"github.com/switchboardhq/switchboard/internal/store"
	"github.com/switchboardhq/switchboard/internal/store/storetest"
)

func TestSQLite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) *store.Store {
		return openMigrated(t, "", t.TempDir())
	})
}

func TestPostgres(t *testing.T) {
	base := os.Getenv("SWITCHBOARD_TEST_POSTGRES_URL")
	if base == "" {
		t.Skip("PostgreSQL conformance skipped: set SWITCHBOARD_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres to run it")
	}
	storetest.Run(t, func(t *testing.T) *store.Store {
		return openMigrated(t, freshDatabase(t, base), "")
	})
}

func openMigrated(t *testing.T, dsn, dir string) *store.Store {
	t.Helper()
	box, err := secrets.NewBox(strings.Repeat("ab", 32))
	if err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(context.Background(), dsn, dir, box)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

// freshDatabase creates an empty database on the server of base for one test and drops it after.
func freshDatabase(t *testing.T, base string) string {
	t.Helper()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	name := fmt.Sprintf("sbtest_%d_%d", time.Now().UnixNano(), os.Getpid())
	if _, err := admin.Exec(`CREATE DATABASE ` + name); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		if a, err := sql.Open("pgx", base); err == nil {
			a.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`)
			a.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}
