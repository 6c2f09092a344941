package storetest

import (
	"context"
	"os"
	"testing"
)

// The sweep drops the databases of a test process that is gone and keeps those of one that
// still holds its lock, whatever their age.
func TestSweepKeepsLiveRuns(t *testing.T) {
	base := os.Getenv(PostgresEnv)
	if base == "" {
		t.Skip("PostgreSQL skipped: set " + PostgresEnv + " to run it")
	}
	ctx := context.Background()
	s := templateServer(t, base)
	dead, live := templatePrefix+"1_1", templatePrefix+"2_2"
	for _, name := range []string{dead, dead + "_1", live, live + "_1"} {
		if _, err := s.admin.Exec(`CREATE DATABASE ` + name); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`) })
	}
	other, err := s.admin.Conn(ctx) // another process's session, alive
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.ExecContext(ctx, `SELECT pg_advisory_lock($1, $2)`, lockClass, lockKey(live)); err != nil {
		t.Fatal(err)
	}
	if err := s.sweep(ctx); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]bool{dead: false, dead + "_1": false, live: true, live + "_1": true, s.prefix: true} {
		var n int
		if err := s.admin.QueryRow(`SELECT COUNT(*) FROM pg_database WHERE datname = $1`, name).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if (n == 1) != want {
			t.Errorf("database %s exists: %v, want %v", name, n == 1, want)
		}
	}
}

func TestMain(m *testing.M) { os.Exit(Main(m)) }
