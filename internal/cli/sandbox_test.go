package cli

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/switchboardhq/switchboard/internal/config"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/secrets"
	"github.com/switchboardhq/switchboard/internal/store"
	"github.com/switchboardhq/switchboard/internal/store/storetest"
	"github.com/switchboardhq/switchboard/internal/testwait"
)

func sandboxEnv(k string) string {
	if k == "SWITCHBOARD_SECRET_KEY" {
		return strings.Repeat("cd", 32)
	}
	return ""
}

// sandboxConfig is a sandbox instance's configuration on its own port, with the database at
// dsn ("" for SQLite in dataDir).
func sandboxConfig(t *testing.T, dataDir, dsn string) (config.Config, net.Listener) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"--sandbox", "--addr", ln.Addr().String(), "--data", dataDir}
	if dsn != "" {
		args = append(args, "--database-url", dsn)
	}
	cfg, err := config.Load(args, sandboxEnv)
	if err != nil {
		t.Fatal(err)
	}
	return cfg, ln
}

// customerWrites sends a message as a customer through an instance's simulator.
func customerWrites(t *testing.T, h *Instance, body map[string]any) {
	t.Helper()
	b, _ := json.Marshal(body)
	res, err := http.Post(h.Config.PublicURL+"/sandbox/customers/send", "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusAccepted {
		t.Fatalf("%s: the simulator answered %d", h.Config.PublicURL, res.StatusCode)
	}
}

// sandboxConnection is the demo's connection of a kind.
func sandboxConnection(t *testing.T, st *store.Store, kind string) hub.Connection {
	t.Helper()
	cs, err := st.ConnectionsOfKind(context.Background(), kind)
	if err != nil || len(cs) == 0 {
		t.Fatalf("no %s connection: %v", kind, err)
	}
	return cs[0]
}

// messagesIn counts the messages of a connection's chat.
func messagesIn(st *store.Store, c hub.Connection, externalChatID string) int {
	ctx := context.Background()
	chat, err := st.ChatByExternal(ctx, c.ID, externalChatID)
	if err != nil {
		return 0
	}
	ms, err := st.Messages(ctx, c.WorkspaceID, chat.ID, "", 50)
	if err != nil {
		return 0
	}
	return len(ms)
}

// The sandbox's stand-ins keep what they know across a restart: a Telegram user who wrote
// before it writes again after, and the new message is a new one (its id not handed out again,
// so not dropped as a duplicate); a reply queued after the restart to a WhatsApp customer who
// wrote before it goes out in the window the customer opened.
func TestSandboxStandInsSurviveARestart(t *testing.T) {
	dir := t.TempDir()
	cfg, ln := sandboxConfig(t, dir, "")
	h, err := Start(context.Background(), cfg, ln)
	if err != nil {
		t.Fatal(err)
	}
	bot := sandboxConnection(t, h.Store, hub.KindTelegramBot)
	number := sandboxConnection(t, h.Store, hub.KindWABA)
	telegramUser := map[string]any{"telegram_user_id": 512349001, "name": "Анна"}
	customerWrites(t, h, map[string]any{"connection_id": bot.ID, "from": telegramUser, "type": "text", "text": "до"})
	customerWrites(t, h, map[string]any{"connection_id": number.ID, "type": "text", "text": "здравствуйте",
		"from": map[string]any{"phone": "+7 903 111 22 33", "name": "Борис"}})
	testwait.Until(t, "both messages stored", func() bool {
		return messagesIn(h.Store, bot, "512349001") == 1 && messagesIn(h.Store, number, "79031112233") == 1
	})
	if err := h.Close(); err != nil {
		t.Fatal(err)
	}

	cfg, ln = sandboxConfig(t, dir, "")
	h, err = Start(context.Background(), cfg, ln)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	customerWrites(t, h, map[string]any{"connection_id": bot.ID, "from": telegramUser, "type": "text", "text": "после"})
	testwait.Until(t, "the message after the restart stored beside the one before", func() bool {
		return messagesIn(h.Store, bot, "512349001") == 2
	})
	ctx := context.Background()
	chat, err := h.Store.ChatByExternal(ctx, number.ID, "79031112233")
	if err != nil {
		t.Fatal(err)
	}
	emp, _, err := h.Store.ProvisionEmployee(ctx, hub.Employee{WorkspaceID: number.WorkspaceID, CRMUserID: 8100002,
		Name: "Дмитрий", Role: hub.RoleManager, Lang: "ru"})
	if err != nil {
		t.Fatal(err)
	}
	reply, _, err := h.Store.CreateOutbound(ctx, hub.Message{WorkspaceID: number.WorkspaceID, ChatID: chat.ID,
		ConnectionID: number.ID, AuthorID: emp.ID, AuthorName: emp.Name, ClientID: "after-restart-1", Type: hub.TypeText,
		Text: "Добрый день!"})
	if err != nil {
		t.Fatal(err)
	}
	testwait.Until(t, "the reply delivered", func() bool {
		m, err := h.Store.Message(ctx, number.WorkspaceID, reply.ID)
		if err == nil && m.Status == hub.StatusFailed {
			t.Fatalf("the reply failed: %s %s", m.ErrorCode, m.ErrorMessage)
		}
		return err == nil && (m.Status == hub.StatusSent || m.Status == hub.StatusDelivered)
	})
}

// Two sandbox instances starting together on an empty PostgreSQL database take turns: while
// the test holds the migration lock both wait and no table exists; then, while it holds the
// boot lock, both wait again with the schema in place and nothing of the demo made; once that is
// free they set the demo up once (one workspace, one set of connections, one history). Then
// they act as one sandbox: a Telegram user writing through either instance's simulator reaches
// the hub each time (the bot's message ids are shared, none handed out twice).
func TestSandboxInstancesStartTogether(t *testing.T) {
	dsn := storetest.EmptyPostgresDSN(t)
	ctx := context.Background()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	count := func(query string) int {
		t.Helper()
		var n int
		if err := db.QueryRow(query).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	box, err := secrets.NewBox(strings.Repeat("cd", 32))
	if err != nil {
		t.Fatal(err)
	}
	holder, err := store.Open(ctx, dsn, "", box) // not migrated: the instances do that
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	hold := func(name string) (release func()) {
		held, free, done := make(chan struct{}, 1), make(chan struct{}), make(chan error, 1)
		go func() {
			done <- holder.Exclusive(ctx, name, func(context.Context) error {
				held <- struct{}{}
				<-free
				return nil
			})
		}()
		testwait.Recv(t, held, "the test to hold the "+name+" lock")
		return func() {
			close(free)
			if err := testwait.Recv(t, done, "the "+name+" lock released"); err != nil {
				t.Fatal(err)
			}
		}
	}
	releaseMigrate, releaseBoot := hold("migrate"), hold("sandbox-boot")
	waiting := `SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted
		AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`
	tables := `SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'workspaces'`

	hubs := make([]*Instance, 2)
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i := range hubs {
		cfg, ln := sandboxConfig(t, t.TempDir(), dsn)
		wg.Add(1)
		go func() {
			defer wg.Done()
			hubs[i], errs[i] = Start(ctx, cfg, ln)
		}()
	}
	testwait.Until(t, "both instances waiting for the migration lock", func() bool { return count(waiting) == 2 })
	if count(tables) != 0 {
		t.Fatal("migrated while another held the migration lock")
	}
	releaseMigrate()
	testwait.Until(t, "both instances migrated and waiting for the boot lock", func() bool {
		return count(tables) == 1 && count(waiting) == 2
	})
	if n := count(`SELECT COUNT(*) FROM workspaces`); n != 0 {
		t.Fatalf("%d workspaces made while another held the boot lock", n)
	}
	releaseBoot()
	wg.Wait()
	for i, h := range hubs {
		if errs[i] != nil {
			t.Fatalf("instance %d: %v", i, errs[i])
		}
		t.Cleanup(func() { h.Close() })
	}
	for _, c := range []struct{ what, query string }{
		{"workspaces beyond the demo", `SELECT COUNT(*) - 1 FROM workspaces`},
		{"duplicated connections", `SELECT COUNT(*) - COUNT(DISTINCT (kind, external_id)) FROM connections`},
		{"duplicated demo messages", `SELECT COUNT(*) - COUNT(DISTINCT (chat_id, direction, text, created_at)) FROM messages`},
	} {
		if n := count(c.query); n != 0 {
			t.Errorf("%s: %d", c.what, n)
		}
	}
	if n := count(`SELECT COUNT(*) FROM messages`); n == 0 {
		t.Fatal("no demo history")
	}

	bot := sandboxConnection(t, hubs[0].Store, hub.KindTelegramBot)
	user := map[string]any{"telegram_user_id": 512349002, "name": "Вера"}
	for i, text := range []string{"через первый", "через второй", "снова через первый"} {
		customerWrites(t, hubs[i%2], map[string]any{"connection_id": bot.ID, "from": user, "type": "text", "text": text})
		testwait.Until(t, "message "+text+" stored", func() bool { return messagesIn(hubs[0].Store, bot, "512349002") == i+1 })
	}
}
