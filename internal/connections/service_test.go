package connections_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"testing"

	"github.com/switchboardhq/switchboard/internal/apierr"
	"github.com/switchboardhq/switchboard/internal/connections"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
	"github.com/switchboardhq/switchboard/internal/store/storetest"
)

func TestMain(m *testing.M) {
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	os.Exit(storetest.Main(m))
}

// botSetup is a Bot API that knows one token; the methods a bot's connection does not use
// are left to the embedded nil interface.
type botSetup struct {
	connections.Setup
	hooks map[string]string // connection id → webhook URL
}

func (b *botSetup) PrepareTelegram(ctx context.Context, c hub.Connection, token string) (hub.Connection, error) {
	if token != "42:good" {
		return c, &connections.SetupError{Reason: "Unauthorized", Auth: true}
	}
	c.ExternalID, c.Name = "42", "@acme_bot"
	c.Secrets = map[string]string{"bot_token": token}
	return c, nil
}

func (b *botSetup) RegisterWebhook(ctx context.Context, c hub.Connection, url string) error {
	b.hooks[c.ID] = url
	return nil
}

// The use cases run without HTTP: a refused token stores nothing and is audited with the
// provider's reason; a good one is stored, its webhook set, the listener told and the admin
// named in the log; the same bot again is connection_exists; removing it audits it.
func TestConnectAndDeleteWithoutHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		ws := storetest.PaidWorkspace(t, st, 1)
		emp := storetest.Employee(t, st, ws, 10, 0, hub.RoleAdmin, "en", "A", "A")
		setup := &botSetup{hooks: map[string]string{}}
		var added []string
		svc := &connections.Service{Store: st, Setup: setup, PublicURL: "https://hub.example",
			Added: func(c hub.Connection) { added = append(added, c.ID) }}
		admin := connections.Admin{Workspace: ws, EmployeeID: emp.ID}

		_, err := svc.Connect(ctx, admin, connections.New{Kind: hub.KindTelegramBot, BotToken: "42:revoked"})
		var ae *apierr.Error
		if !errors.As(err, &ae) || ae.Code != apierr.CheckFailed.Code || ae.Extra["reason"] != "Unauthorized" {
			t.Fatalf("refused token: %v", err)
		}
		if conns, _ := st.Connections(ctx, ws.ID); len(conns) != 0 {
			t.Fatalf("a refused bot was stored: %v", conns)
		}

		out, err := svc.Connect(ctx, admin, connections.New{Kind: hub.KindTelegramBot, Name: " Support ", BotToken: "42:good"})
		if err != nil {
			t.Fatal(err)
		}
		id := out.Connection.ID
		if want := "https://hub.example/hooks/telegram/" + id; out.WebhookURL != want || setup.hooks[id] != want {
			t.Fatalf("webhook %q, set %q, want %q", out.WebhookURL, setup.hooks[id], want)
		}
		if c, err := st.Connection(ctx, ws.ID, id); err != nil || c.Name != "Support" || out.VerifyToken != "" {
			t.Fatalf("stored %+v, %v; verify token %q", c, err, out.VerifyToken)
		}
		if len(added) != 1 || added[0] != id {
			t.Fatalf("added = %v", added)
		}
		_, err = svc.Connect(ctx, admin, connections.New{Kind: hub.KindTelegramBot, BotToken: "42:good"})
		if !errors.As(err, &ae) || ae.Code != apierr.ConnectionExists.Code || ae.Extra["connection_id"] != id {
			t.Fatalf("the same bot again: %v", err)
		}

		if err := svc.Delete(ctx, admin, id); err != nil {
			t.Fatal(err)
		}
		if err := svc.Delete(ctx, admin, id); !errors.As(err, &ae) || ae.Code != apierr.NotFound.Code {
			t.Fatalf("deleted twice: %v", err)
		}
		log, err := st.AuditLog(ctx, ws.ID, 10)
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range log {
			if e.EmployeeID != emp.ID {
				t.Fatalf("%s names employee %q", e.Action, e.EmployeeID)
			}
			actions = append(actions, e.Action)
		}
		if got := fmt.Sprint(actions); got != "[connection.delete connection.create connection.check_failed]" {
			t.Fatalf("audit log = %s", got)
		}
	})
}
