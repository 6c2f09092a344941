package pipeline_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/secrets"
	"github.com/switchboardhq/switchboard/internal/store"
)

// openStore opens a fresh migrated store: SQLite in a temp folder, or PostgreSQL when
// SWITCHBOARD_TEST_POSTGRES_URL is set and pg is true.
func openStore(t testing.TB) *store.Store {
	t.Helper()
	box, err := secrets.NewBox(strings.Repeat("cd", 32))
	if err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(context.Background(), "", t.TempDir(), box)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

func workspace(t testing.TB, s *store.Store) hub.Workspace {
	t.Helper()
	ws, err := s.CreateWorkspace(context.Background(), hub.Workspace{Name: "Acme", CRMKind: "amocrm",
		CRMAccountID: int64(os.Getpid()), Country: "RU", Subscription: hub.Subscription{Active: true, Paid: true, TemplatesPaid: true}})
	if err != nil {
		t.Fatal(err)
	}
	return ws
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
