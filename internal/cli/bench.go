package cli

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/switchboardhq/switchboard/internal/auth"
	"github.com/switchboardhq/switchboard/internal/channel/waba"
	"github.com/switchboardhq/switchboard/internal/config"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

// `switchboard bench` is the load tool of docs/performance.md: it starts its own hub in this
// process on 127.0.0.1 (a temporary SQLite database, or the PostgreSQL one given), drives it
// through its real HTTP and WebSocket endpoints for a bounded time, and prints each figure
// beside the raw limit measured in the same run, so a ratio can be read on a busy machine.

const benchUsage = `Usage:
  switchboard bench ingest [--engine sqlite|postgres] [--database-url postgres://…] [--duration 20s] [--senders 16] [--cpuprofile file]
  switchboard bench fanout [--windows 200] [--rate 20] [--duration 20s] [--database-url …]
  switchboard bench sockets [--n 5000] [--database-url …]
`

func bench(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, benchUsage)
		return errors.New("bench: name one of ingest, fanout or sockets")
	}
	// The hub's own log would drown the figures: only its warnings, on stderr.
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	defer slog.SetDefault(prev)
	switch args[0] {
	case "ingest":
		return benchIngest(ctx, args[1:], getenv, stdout)
	case "fanout":
		return benchFanout(ctx, args[1:], getenv, stdout)
	case "sockets":
		return benchSockets(ctx, args[1:], getenv, stdout)
	case socketsClientCmd:
		return socketsClient(ctx, os.Stdin, stdout)
	}
	return fmt.Errorf("bench: unknown benchmark %q\n%s", args[0], benchUsage)
}

// benchFlags are the options every benchmark takes.
type benchFlags struct {
	fs          *flag.FlagSet
	engine      string
	databaseURL string
	duration    time.Duration
}

func newBenchFlags(name string, getenv func(string) string) *benchFlags {
	f := &benchFlags{fs: flag.NewFlagSet("bench "+name, flag.ContinueOnError)}
	f.fs.SetOutput(io.Discard)
	f.fs.StringVar(&f.engine, "engine", "", "sqlite or postgres (default: postgres when --database-url is given)")
	f.fs.StringVar(&f.databaseURL, "database-url", getenv("SWITCHBOARD_DATABASE_URL"), "postgres://… (empty: a temporary SQLite database)")
	f.fs.DurationVar(&f.duration, "duration", 20*time.Second, "how long load is applied")
	return f
}

func (f *benchFlags) parse(args []string) error {
	if err := f.fs.Parse(args); err != nil {
		return fmt.Errorf("%s: %v", f.fs.Name(), err)
	}
	if f.fs.NArg() > 0 {
		return fmt.Errorf("%s: unexpected argument %q", f.fs.Name(), f.fs.Arg(0))
	}
	if f.duration <= 0 || f.duration > time.Hour {
		return fmt.Errorf("%s: --duration %s: want more than 0 and at most 1h", f.fs.Name(), f.duration)
	}
	switch {
	case f.engine == "":
		f.engine = store.SQLite
		if f.databaseURL != "" {
			f.engine = store.Postgres
		}
	case f.engine == store.SQLite && f.databaseURL != "":
		return fmt.Errorf("%s: --engine sqlite uses a temporary database; drop --database-url", f.fs.Name())
	case f.engine == store.Postgres && f.databaseURL == "":
		return fmt.Errorf("%s: --engine postgres needs --database-url postgres://…", f.fs.Name())
	case f.engine != store.SQLite && f.engine != store.Postgres:
		return fmt.Errorf("%s: --engine %q: want sqlite or postgres", f.fs.Name(), f.engine)
	}
	return nil
}

// benchHub is a hub started for a benchmark, with a workspace and a WhatsApp connection whose
// webhooks the benchmark signs.
type benchHub struct {
	*Instance
	base      string // http://127.0.0.1:port
	ws        hub.Workspace
	conn      hub.Connection
	appSecret string
	signer    *auth.Signer
	client    *http.Client
}

// startBenchHub starts a hub on a loopback port with every abuse limit off (the benchmark is
// the abuse), on a temporary database: SQLite, or a new database on the PostgreSQL server
// databaseURL names, dropped at the end.
func startBenchHub(ctx context.Context, databaseURL string) (*benchHub, error) {
	dir, err := os.MkdirTemp("", "switchboard-bench-")
	if err != nil {
		return nil, err
	}
	cfg := config.Config{Addr: "127.0.0.1:0", DataDir: dir, DatabaseURL: databaseURL, PublicURL: "http://127.0.0.1:0",
		SecretKey: randomHex(32), LogFormat: "text", Lease: 30 * time.Second, RetryWindow: time.Hour}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	cleanup := func() { os.RemoveAll(dir) }
	if databaseURL != "" {
		// A database of its own on that server: rows another run left would be in the way.
		url, drop, err := tempPostgres(ctx, databaseURL)
		if err != nil {
			ln.Close()
			cleanup()
			return nil, err
		}
		cfg.DatabaseURL, cleanup = url, func() { drop(); os.RemoveAll(dir) }
	}
	h, err := Start(ctx, cfg, ln)
	if err != nil {
		cleanup()
		return nil, err
	}
	h.stops = slices.Insert(h.stops, 0, cleanup) // after the store closes
	b := &benchHub{Instance: h, base: "http://" + ln.Addr().String(), appSecret: randomHex(16),
		signer: auth.NewSigner(cfg.SecretKey),
		client: &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: 256}}}
	b.ws, err = h.Store.CreateWorkspace(ctx, hub.Workspace{Name: "Bench " + time.Now().UTC().Format(time.DateTime),
		CRMKind: "generated", CRMAccountID: -time.Now().UnixNano(), Country: "RU",
		Subscription: hub.Subscription{Active: true, Paid: true, TemplatesPaid: true}})
	if err == nil {
		b.conn, err = h.Store.CreateConnection(ctx, hub.Connection{WorkspaceID: b.ws.ID, Kind: hub.KindWABA,
			Name: "Bench WhatsApp", ExternalID: "bench-" + randomHex(6), InSubscription: true,
			Secrets: map[string]string{waba.SecretAppSecret: b.appSecret}})
	}
	if err != nil {
		h.Close()
		return nil, err
	}
	return b, nil
}

// customers stores the 200 customers webhookBody writes as, each linked to a CRM contact, so
// managers with the right to see every CRM contact see their chats (an unlinked contact is
// admins only).
func (b *benchHub) customers(ctx context.Context) error {
	for i := range 200 {
		wa := fmt.Sprintf("7916%07d", i)
		if _, err := b.Store.CreateContact(ctx, hub.Contact{WorkspaceID: b.ws.ID, Name: fmt.Sprintf("Клиент %d", i),
			WAID: wa, Phones: []string{"+" + wa}, CRMContactIDs: []int64{int64(1000 + i)}}); err != nil {
			return err
		}
	}
	return nil
}

// webhookBody is a WhatsApp Cloud API webhook carrying one text message from one of 200
// customers; text is the message.
func (b *benchHub) webhookBody(i int, text string) []byte {
	wa := fmt.Sprintf("7916%07d", i%200)
	return fmt.Appendf(nil, `{"object":"whatsapp_business_account","entry":[{"id":"W","changes":[{"field":"messages","value":{`+
		`"messaging_product":"whatsapp","metadata":{"phone_number_id":%q},"contacts":[{"profile":{"name":"Клиент %d"},"wa_id":"%s"}],`+
		`"messages":[{"from":"%s","id":"wamid.bench%d-%s","timestamp":"%d","type":"text","text":{"body":%q}}]}}]}]}`,
		b.conn.ExternalID, i%200, wa, wa, i, b.conn.ID, time.Now().Unix(), text)
}

// postWebhook sends one signed webhook to the real endpoint; only a 200 counts.
func (b *benchHub) postWebhook(ctx context.Context, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, "POST", b.base+"/hooks/waba/"+b.conn.ID, strings.NewReader(string(body)))
	if err != nil {
		return err
	}
	req.Header.Set(waba.SignatureHeader, waba.Sign(b.appSecret, body))
	resp, err := b.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("webhook answered %s", resp.Status)
	}
	return nil
}

// employee makes an employee of the workspace and signs a session for them. A manager is given
// CRM rights to see every contact, so every window receives every message.
func (b *benchHub) employee(ctx context.Context, n int, admin bool) (hub.Employee, string, error) {
	e := hub.Employee{WorkspaceID: b.ws.ID, CRMUserID: int64(n + 1), Name: fmt.Sprintf("Bench %d", n),
		Role: hub.RoleManager, Lang: "en"}
	if admin {
		e.Role = hub.RoleAdmin
	} else if err := b.Store.SaveCRMUser(ctx, b.ws.ID, store.CRMUser{ID: e.CRMUserID, Name: e.Name, IsActive: true,
		ContactsView: hub.RightAll, LeadsView: hub.RightAll, FetchedAt: time.Now()}); err != nil {
		return e, "", err
	}
	emp, _, err := b.Store.ProvisionEmployee(ctx, e)
	if err != nil {
		return emp, "", err
	}
	token, _ := b.signer.Issue(auth.Session{WorkspaceID: b.ws.ID, EmployeeID: emp.ID}, time.Now())
	return emp, token, nil
}

// ticket asks the real endpoint for a one-use events ticket.
func (b *benchHub) ticket(ctx context.Context, session string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, "POST", b.base+"/api/v1/events/ticket", nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("Authorization", "Bearer "+session)
	resp, err := b.client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var out struct {
		Ticket string `json:"ticket"`
	}
	if err := decodeJSON(resp, http.StatusCreated, &out); err != nil {
		return "", fmt.Errorf("events ticket: %w", err)
	}
	return out.Ticket, nil
}

// socketURL is the events socket's address for a ticket, replaying after since when ≥ 0.
func (b *benchHub) socketURL(ticket string, since int64) string {
	u := "ws" + strings.TrimPrefix(b.base, "http") + "/api/v1/events?ticket=" + ticket
	if since >= 0 {
		u += fmt.Sprintf("&since=%d", since)
	}
	return u
}

// tempPostgres creates an empty database on the PostgreSQL server of base and returns its URL
// and how to drop it.
func tempPostgres(ctx context.Context, base string) (string, func(), error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", nil, fmt.Errorf("--database-url: %w", err)
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return "", nil, err
	}
	name := "switchboard_bench_" + randomHex(6)
	if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+name); err != nil {
		admin.Close()
		return "", nil, fmt.Errorf("bench: create a database for the run: %w", err)
	}
	u.Path = "/" + name
	return u.String(), func() {
		if _, err := admin.ExecContext(context.Background(), `DROP DATABASE `+name+` WITH (FORCE)`); err != nil {
			slog.Warn("bench: database not dropped", "database", name, "err", err)
		}
		admin.Close()
	}, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
