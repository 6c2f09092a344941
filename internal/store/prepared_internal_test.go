package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/switchboardhq/switchboard/internal/secrets"
)

// A statement an SQLite transaction runs is compiled for that transaction and then once for
// the store: the next transaction takes it without compiling it again.
func TestSQLiteStatementsPreparedOnce(t *testing.T) {
	ctx := context.Background()
	box, err := secrets.NewBox(strings.Repeat("ab", 32))
	if err != nil {
		t.Fatal(err)
	}
	s, err := openSQLite(ctx, filepath.Join(t.TempDir(), "p.db"), box)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const query = `SELECT $1 + 1`
	var missed [][]string
	for range 2 {
		if err := s.tx(ctx, func(q querier) error {
			var n int
			if err := q.QueryRowContext(ctx, query, 1).Scan(&n); err != nil || n != 2 {
				t.Fatalf("%s = %d, %v", query, n, err)
			}
			missed = append(missed, q.(*txQuerier).missed)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	if len(missed[0]) != 1 || len(missed[1]) != 0 || s.prepared.get(query) == nil {
		t.Fatalf("compiled per transaction: %q, kept: %v", missed, s.prepared.get(query) != nil)
	}
}
