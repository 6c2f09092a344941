package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/secrets"
)

// An SQLite transaction that logs several events of a workspace writes its counter once: the
// first seq comes from the counter, the next ones follow it in memory, and the counter is
// moved before the commit.
func TestSQLiteEventSeqsTakenInMemory(t *testing.T) {
	ctx := context.Background()
	box, err := secrets.NewBox(strings.Repeat("ab", 32))
	if err != nil {
		t.Fatal(err)
	}
	s, err := openSQLite(ctx, filepath.Join(t.TempDir(), "e.db"), box)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	ws, err := s.CreateWorkspace(ctx, hub.Workspace{Name: "Acme", CRMKind: "amocrm", CRMAccountID: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.tx(ctx, func(q querier) error {
		for range 3 {
			if _, err := appendEvent(ctx, q, ws.ID, hub.EventConnectionUpdated, "", "", map[string]string{"id": "c"}); err != nil {
				return err
			}
		}
		if !q.(*txQuerier).seqsTaken[ws.ID] {
			t.Error("every seq was taken by writing the counter")
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	head, err := s.EventHead(ctx, ws.ID)
	if err != nil || head != 3 {
		t.Fatalf("head %d, %v; want 3", head, err)
	}
	evs, err := s.EventsSince(ctx, ws.ID, 0, 10)
	if err != nil || len(evs) != 3 || evs[2].Seq != 3 {
		t.Fatalf("events %+v, %v", evs, err)
	}
}
