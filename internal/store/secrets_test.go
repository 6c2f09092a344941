package store_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/secrets"
	"github.com/switchboardhq/switchboard/internal/store"
)

// Secrets must never reach the disk in the clear, and a store with another key cannot read them.
func TestSecretsSealedAtRest(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	key, err := secrets.NewBox(strings.Repeat("ab", 32))
	if err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(ctx, "", dir, key)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	ws, err := s.CreateWorkspace(ctx, hub.Workspace{Name: "A", CRMKind: "amocrm", CRMAccountID: 1})
	if err != nil {
		t.Fatal(err)
	}
	conn, err := s.CreateConnection(ctx, hub.Connection{WorkspaceID: ws.ID, Kind: hub.KindTelegramBot, Name: "Bot",
		ExternalID: "1", Secrets: map[string]string{"token": "123:SECRET-BOT-TOKEN"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveCRMTokens(ctx, ws.ID, store.CRMTokens{AccessToken: "ACCESS-XYZ", RefreshToken: "REFRESH-XYZ"}, 0); err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "switchboard.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var sealed, access, refresh string
	if err := raw.QueryRow(`SELECT secrets_enc FROM connections WHERE id = $1`, conn.ID).Scan(&sealed); err != nil {
		t.Fatal(err)
	}
	if err := raw.QueryRow(`SELECT access_token_enc, refresh_token_enc FROM crm_tokens`).Scan(&access, &refresh); err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{sealed, access, refresh} {
		// Whole secrets: a random ciphertext may well hold a short piece like "XYZ".
		if v == "" || strings.Contains(v, "SECRET-BOT-TOKEN") || strings.Contains(v, "ACCESS-XYZ") || strings.Contains(v, "REFRESH-XYZ") {
			t.Fatalf("stored in the clear: %q", v)
		}
	}
	s.Close()

	otherKey, err := secrets.NewBox(strings.Repeat("cd", 32))
	if err != nil {
		t.Fatal(err)
	}
	other, err := store.Open(ctx, "", dir, otherKey)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.Connection(ctx, ws.ID, conn.ID); err == nil || !strings.Contains(err.Error(), "SWITCHBOARD_SECRET_KEY") {
		t.Fatalf("a wrong key must be reported, got %v", err)
	}
}
