package storetest

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
)

// PostgresEnv names the variable holding a PostgreSQL server URL for tests; unset, tests run on
// SQLite only.
const PostgresEnv = "SWITCHBOARD_TEST_POSTGRES_URL"

// Each runs fn once per engine: on a fresh SQLite store, and on a fresh PostgreSQL database
// when PostgresEnv is set. Other packages' tests use it to test through the real store.
func Each(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, OpenSQLite(t)) })
	if base := os.Getenv(PostgresEnv); base != "" {
		t.Run("postgres", func(t *testing.T) { fn(t, OpenPostgres(t, base)) })
	}
}

// OpenSQLite returns a migrated store in a temporary folder, closed when the test ends.
func OpenSQLite(t testing.TB) *store.Store { return openMigrated(t, "", t.TempDir()) }

// OpenPostgres returns a migrated store on a new database of the server at base (a copy of this
// process's migrated template), dropped when the test ends.
func OpenPostgres(t testing.TB, base string) *store.Store {
	t.Helper()
	return openMigrated(t, templateServer(t, base).copyDatabase(t), "")
}

func openMigrated(t testing.TB, dsn, dir string) *store.Store {
	t.Helper()
	s, err := openStore(dsn, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// openStore opens and migrates the store at dsn (PostgreSQL) or in dir (SQLite).
func openStore(dsn, dir string) (*store.Store, error) {
	box, err := secrets.NewBox(strings.Repeat("ab", 32))
	if err != nil {
		return nil, err
	}
	s, err := store.Open(context.Background(), dsn, dir, box)
	if err != nil {
		return nil, err
	}
	if _, err := s.Migrate(context.Background()); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// PostgresDSN creates a migrated database on the server named by PostgresEnv for one test,
// drops it after, and returns its URL; it skips the test when the variable is unset. Tests of
// several instances open it more than once with OpenDSN.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		t.Skip("PostgreSQL skipped: set " + PostgresEnv + "=postgres://postgres@127.0.0.1:5432/postgres to run it")
	}
	return templateServer(t, base).copyDatabase(t)
}

// EmptyPostgresDSN creates a database with no tables on the server named by PostgresEnv for
// one test (for tests of migrating), drops it after, and returns its URL; it skips the test
// when the variable is unset.
func EmptyPostgresDSN(t testing.TB) string {
	t.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		t.Skip("PostgreSQL skipped: set " + PostgresEnv + "=postgres://postgres@127.0.0.1:5432/postgres to run it")
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	name := fmt.Sprintf("sbtest_empty_%d_%d", os.Getpid(), time.Now().UnixNano())
	if _, err := admin.Exec(`CREATE DATABASE ` + name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`) })
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// OpenDSN opens and migrates the PostgreSQL database at dsn, closed when the test ends.
func OpenDSN(t testing.TB, dsn string) *store.Store { return openMigrated(t, dsn, "") }
