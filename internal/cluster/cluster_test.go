// Package cluster runs several `switchboard serve` processes on one PostgreSQL database, with
// NATS between them and the S3 media store, behind a load balancer, and checks what must hold
// across instances: live events and files on every instance, sends claimed once, restarts and
// crashes that neither repeat nor falsely fail a send, and every webhook processed once.
package cluster

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/switchboardhq/switchboard/internal/auth"
	"github.com/switchboardhq/switchboard/internal/cli"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/sandbox/customers"
	"github.com/switchboardhq/switchboard/internal/sandbox/messengers"
	"github.com/switchboardhq/switchboard/internal/sandbox/samples"
	"github.com/switchboardhq/switchboard/internal/sandbox/standin"
	"github.com/switchboardhq/switchboard/internal/store"
	"github.com/switchboardhq/switchboard/internal/store/storetest"
	"github.com/switchboardhq/switchboard/internal/testwait"
)

// childEnv makes the test binary act as `switchboard <args>`: the instances are real processes
// (a kill -9 is a kill -9) of the same code, without a separate build.
const childEnv = "SWITCHBOARD_CLUSTER_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		os.Exit(cli.Run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// secretKey is the one the test stores (storetest) seal secrets with; the instances get it too.
var secretKey = strings.Repeat("ab", 32)

// cluster is the test's world: the provider stand-ins and a load balancer on one server (the
// internet), the instances behind it, and the shared database, NATS and S3.
type cluster struct {
	t     *testing.T
	dsn   string
	sql   *sql.DB
	env   []string
	st    *store.Store
	net   *httptest.Server // provider stand-ins, and /hooks/… balanced over the instances
	sb    *messengers.Sandbox
	ws    hub.Workspace
	sales hub.Connection
	token string
	gate  *sendGate
	next  atomic.Int64 // round robin
	mu    sync.Mutex
	up    []*instance // instances webhooks go to
	// activity logs the database's sessions once, when a failed test stops its instances.
	activity sync.Once
}

type instance struct {
	name string
	url  string
	cmd  *exec.Cmd
	done chan struct{}
	log  logBuffer // shown when the test fails
}

// logBuffer collects an instance's output (its stdout and stderr write from two goroutines).
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// newCluster sets up the world with the media store named by mediaKind: "s3" (an in-process S3
// server) or "folder" (a folder every instance shares).
func newCluster(t *testing.T, mediaKind string) *cluster {
	natsURL := os.Getenv("SWITCHBOARD_TEST_NATS_URL")
	if natsURL == "" {
		t.Skip("cluster test skipped: set SWITCHBOARD_TEST_NATS_URL (and SWITCHBOARD_TEST_POSTGRES_URL)")
	}
	c := &cluster{t: t, dsn: storetest.PostgresDSN(t), gate: &sendGate{}}
	c.st = storetest.OpenDSN(t, c.dsn)
	var err error
	c.sql, err = sql.Open("pgx", c.dsn)
	must(t, err)
	t.Cleanup(func() { c.sql.Close() })
	t.Cleanup(func() {
		if t.Failed() {
			c.logState()
		}
	})

	mediaURL := "file://" + t.TempDir()
	if mediaKind == "s3" {
		s3 := s3mem.New()
		must(t, s3.CreateBucket("files"))
		s3srv := httptest.NewServer(gofakes3.New(s3).Server())
		t.Cleanup(s3srv.Close)
		mediaURL = "s3://files?region=us-east-1&endpoint=" + s3srv.URL
	}

	mux := http.NewServeMux()
	c.net = httptest.NewServer(c.gate.wrap(mux))
	t.Cleanup(c.net.Close)
	c.sb = messengers.New(standin.NewMemory(), func() string { return c.net.URL })
	c.sb.Graph.StatusDelay = 20 * time.Millisecond
	c.sb.Mount(mux)
	sim := customers.New(c.sb)
	sim.Mount(mux)
	mux.Handle("/hooks/", c.balancer())

	ctx := context.Background()
	c.ws, err = c.st.CreateWorkspace(ctx, hub.Workspace{Name: "Кластер", CRMKind: "amocrm", CRMAccountID: 27182818,
		Country: "RU", Subscription: hub.Subscription{Active: true, Paid: true, TemplatesPaid: true}})
	must(t, err)
	conns, err := c.sb.Setup(ctx, c.st, c.ws)
	must(t, err)
	sim.Use(c.ws, conns)
	c.sales = conns[0]
	emp, _, err := c.st.ProvisionEmployee(ctx, hub.Employee{WorkspaceID: c.ws.ID, CRMUserID: 1, Name: "Мария Котова",
		Role: hub.RoleAdmin, Lang: "ru"})
	must(t, err)
	c.token, _ = auth.NewSigner(secretKey).Issue(auth.Session{WorkspaceID: c.ws.ID, EmployeeID: emp.ID}, time.Now())

	c.env = append(os.Environ(), childEnv+"=1",
		"SWITCHBOARD_SECRET_KEY="+secretKey,
		"SWITCHBOARD_DATABASE_URL="+c.dsn,
		"SWITCHBOARD_NATS_URL="+natsURL,
		"SWITCHBOARD_MEDIA_URL="+mediaURL,
		"AWS_ACCESS_KEY_ID=cluster", "AWS_SECRET_ACCESS_KEY=cluster-secret",
		"SWITCHBOARD_PUBLIC_URL="+c.net.URL,
		"SWITCHBOARD_LEASE=2s")
	return c
}

// start runs `switchboard serve` as a new process on a free port and waits until it is ready.
func (c *cluster) start(name string) *instance {
	c.t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(c.t, err)
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(os.Args[0], "serve", "--addr", addr, "--data", c.t.TempDir())
	cmd.Env = c.env
	in := &instance{name: name, url: "http://" + addr, cmd: cmd, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = &in.log, &in.log
	must(c.t, cmd.Start())
	go func() { cmd.Wait(); close(in.done) }()
	c.t.Cleanup(func() {
		if !c.t.Failed() {
			in.kill(syscall.SIGKILL)
			return
		}
		// What the database is waiting on, while the instances still hold their connections;
		// then each instance quits with every goroutine's stack, which shows where its work
		// stands (a wait without a bound logs nothing).
		c.activity.Do(c.logActivity)
		in.kill(syscall.SIGQUIT)
		c.t.Logf("instance %s (pid %d) logged:\n%s", name, cmd.Process.Pid, in.log.String())
	})
	c.waitFor(name+" ready", func() bool {
		resp, err := http.Get(in.url + "/readyz")
		if err == nil {
			resp.Body.Close()
		}
		return err == nil && resp.StatusCode == http.StatusOK
	})
	return in
}

func (in *instance) kill(sig syscall.Signal) {
	select {
	case <-in.done:
		return
	default:
	}
	in.cmd.Process.Signal(sig)
	select {
	case <-in.done:
	case <-time.After(20 * time.Second):
		in.cmd.Process.Kill()
		<-in.done
	}
}

// route sends the provider's webhooks to these instances, in turn.
func (c *cluster) route(to ...*instance) {
	c.mu.Lock()
	c.up = to
	c.mu.Unlock()
}

func (c *cluster) balancer() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.mu.Lock()
		up := c.up
		c.mu.Unlock()
		if len(up) == 0 {
			http.Error(w, "no instance", http.StatusBadGateway)
			return
		}
		target, _ := url.Parse(up[int(c.next.Add(1))%len(up)].url)
		httputil.NewSingleHostReverseProxy(target).ServeHTTP(w, r)
	})
}

// sendGate holds the provider's answer to message sends while closed, as a slow provider would.
type sendGate struct {
	mu      sync.Mutex
	held    chan struct{}
	arrived chan struct{}
}

// close makes the next sends wait; arrived is closed when one reaches the provider.
func (g *sendGate) close() (arrived <-chan struct{}) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.held, g.arrived = make(chan struct{}), make(chan struct{})
	return g.arrived
}

func (g *sendGate) open() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.held != nil {
		close(g.held)
		g.held = nil
	}
}

func (g *sendGate) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/messages") && strings.HasPrefix(r.URL.Path, "/sandbox/graph/") {
			g.mu.Lock()
			held, arrived := g.held, g.arrived
			g.mu.Unlock()
			if held != nil {
				select {
				case <-arrived:
				default:
					close(arrived)
				}
				<-held
			}
		}
		next.ServeHTTP(w, r)
	})
}

// api calls the chat API of an instance as the admin; want is the expected status.
func (c *cluster) api(in *instance, method, path string, body any, want int, out any) {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, in.url+path, rd)
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	must(c.t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		c.t.Fatalf("%s %s on %s: %d %s, want %d", method, path, in.name, resp.StatusCode, b, want)
	}
	if out != nil {
		must(c.t, json.Unmarshal(b, out))
	}
}

// customer writes as a WhatsApp customer through the simulator.
func (c *cluster) customer(phone, typ, text string) {
	c.t.Helper()
	b, _ := json.Marshal(map[string]any{"connection_id": c.sales.ID, "type": typ, "text": text,
		"from": map[string]any{"phone": phone, "name": "Анна Смирнова"}})
	resp, err := http.Post(c.net.URL+"/sandbox/customers/send", "application/json", bytes.NewReader(b))
	must(c.t, err)
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		c.t.Fatalf("customer send: %d", resp.StatusCode)
	}
}

// logState shows, for a failed test, where each webhook, file, event and send of the workspace
// got to: the instances log little of what goes well, and a wait that timed out says only that.
func (c *cluster) logState() {
	for _, q := range []string{
		`SELECT id, owner, attempts, processed_at, given_up_at, next_attempt_at, last_error FROM inbound_webhooks ORDER BY received_at`,
		`SELECT message_id, provider_media_id, storage_key, mime, size FROM attachments ORDER BY created_at`,
		`SELECT seq, type, chat_id, created_at FROM events WHERE workspace_id = '` + c.ws.ID + `' ORDER BY seq`,
		`SELECT message_id, owner, lease_until, attempts FROM outbox`,
	} {
		c.logQuery(q)
	}
}

// logQuery logs the rows q returns.
func (c *cluster) logQuery(q string) {
	rows, err := c.sql.Query(q)
	if err != nil {
		c.t.Logf("%s: %v", q, err)
		return
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out strings.Builder
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			fmt.Fprintf(&out, "  scan: %v\n", err)
			break
		}
		fmt.Fprintf(&out, "  %v\n", vals)
	}
	c.t.Logf("%s\n%v\n%s", q, cols, out.String())
}

// logActivity shows the database's sessions and what each waits on.
func (c *cluster) logActivity() {
	c.logQuery(`SELECT pid, application_name, state, wait_event_type, wait_event, now() - xact_start AS in_tx,
		left(query, 200) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`)
}

// waitFor waits for cond: the instances work in the background.
func (c *cluster) waitFor(what string, cond func() bool) {
	c.t.Helper()
	testwait.Until(c.t, what, cond)
}

// claimant is the instance whose sender holds the message's claim, and the other one.
func (c *cluster) claimant(messageID string, a, b *instance) (owner, other *instance) {
	c.t.Helper()
	var o string
	must(c.t, c.sql.QueryRow(`SELECT owner FROM outbox WHERE message_id = $1`, messageID).Scan(&o))
	switch {
	case strings.Contains(o, fmt.Sprintf("/%d/", a.cmd.Process.Pid)):
		return a, b
	case strings.Contains(o, fmt.Sprintf("/%d/", b.cmd.Process.Pid)):
		return b, a
	}
	c.t.Fatalf("message %s claimed by %q, neither instance", messageID, o)
	return nil, nil
}

// outboxTime reads a time column (Unix ms) of the message's outbox row.
func (c *cluster) outboxTime(messageID, column string) int64 {
	c.t.Helper()
	var ms int64
	must(c.t, c.sql.QueryRow(`SELECT `+column+` FROM outbox WHERE message_id = $1`, messageID).Scan(&ms))
	return ms
}

func (c *cluster) message(id string) hub.Message {
	m, err := c.st.Message(context.Background(), c.ws.ID, id)
	must(c.t, err)
	return m
}

// sent counts what the provider received for a customer.
func (c *cluster) sent(to string) int {
	n := 0
	for _, o := range c.sb.Graph.Outbox(c.sales.ExternalID) {
		if o.To == to {
			n++
		}
	}
	return n
}

type messageJSON struct {
	ID          string `json:"id"`
	ChatID      string `json:"chat_id"`
	Status      string `json:"status"`
	Text        string `json:"text"`
	Attachments []struct {
		URL  string `json:"url"`
		MIME string `json:"mime"`
	} `json:"attachments"`
}

// Two instances on one database, with NATS and a shared media store (S3, or a shared folder).
func TestCluster(t *testing.T) {
	for _, kind := range []string{"s3", "folder"} {
		t.Run(kind, func(t *testing.T) { testCluster(t, kind) })
	}
}

func testCluster(t *testing.T, mediaKind string) {
	c := newCluster(t, mediaKind)
	a, b := c.start("A"), c.start("B")
	c.route(a)

	// 1. A customer's photo arrives through A; a window on B sees it live and downloads it
	// from B (the file is in the shared store).
	var ticket struct {
		Ticket string `json:"ticket"`
	}
	c.api(b, "POST", "/api/v1/events/ticket", nil, http.StatusCreated, &ticket)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	ws, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(b.url, "http")+"/api/v1/events?ticket="+ticket.Ticket, nil)
	must(t, err)
	defer ws.CloseNow()
	ws.SetReadLimit(1 << 20)
	// The stream starts after the upgrade and sends the events after the head its hello gives
	// (the app loads its lists once the hello has come, for that reason): the customer writes
	// after the hello, or a B slow to start the stream may read a head that has the photo.
	if fs := readFrames(ctx, t, ws); len(fs) != 1 || fs[0].Type != "hello" {
		t.Fatalf("B's window began with %+v, want its hello", fs)
	}
	// B stalls (a long pause of its process) until the photo and its file are stored through
	// A, so the order of the instances' work does not depend on the load: B's window gets them
	// from the log when B goes on.
	paused := b.cmd.Process
	paused.Signal(syscall.SIGSTOP)
	t.Cleanup(func() { paused.Signal(syscall.SIGCONT) })
	c.customer("+7 903 555 12 34", "image", "вот фото")
	c.waitFor("the photo and its file stored through A", func() bool {
		var n int
		must(t, c.sql.QueryRow(`SELECT COUNT(*) FROM events WHERE workspace_id = $1 AND type = $2`,
			c.ws.ID, hub.EventMessageUpdated).Scan(&n))
		return n > 0
	})
	paused.Signal(syscall.SIGCONT)
	var photo messageJSON
	for photo.ID == "" || len(photo.Attachments) == 0 || photo.Attachments[0].URL == "" || photo.Status == "" {
		for _, f := range readFrames(ctx, t, ws) {
			if f.Type == hub.EventMessageUpdated || f.Type == hub.EventMessageCreated {
				var m messageJSON
				must(t, json.Unmarshal(f.Data, &m))
				if m.Text == "вот фото" && len(m.Attachments) == 1 && m.Attachments[0].URL != "" {
					photo = m
				}
			}
		}
	}
	image, err := samples.For(hub.TypeImage)
	must(t, err)
	c.waitFor("the photo stored", func() bool {
		return c.message(photo.ID).Attachments[0].StorageKey != ""
	})
	resp, err := http.Get(b.url + photo.Attachments[0].URL) // a signed link, good on any instance
	must(t, err)
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !bytes.Equal(got, image.Data) {
		t.Fatalf("photo through B: %d, %d bytes, want the %d sent", resp.StatusCode, len(got), len(image.Data))
	}

	// 2. An upload made on A is sent through B.
	var up struct {
		ID string `json:"id"`
	}
	c.upload(a, "photo.png", image.Data, &up)
	var sent messageJSON
	c.api(b, "POST", "/api/v1/chats/"+photo.ChatID+"/messages", map[string]any{"client_id": "c-upload",
		"attachments": []string{up.ID}}, http.StatusCreated, &sent)
	c.waitFor("the upload sent", func() bool {
		m := c.message(sent.ID)
		return m.ProviderKey != "" || m.Status == hub.StatusFailed
	})
	if m := c.message(sent.ID); m.Status == hub.StatusFailed {
		t.Fatalf("upload sent through B failed: %s %s", m.ErrorCode, m.ErrorMessage)
	}
	if out := c.sb.Graph.Outbox(c.sales.ExternalID); len(out) != 1 || out[0].Type != "image" || out[0].MediaID == "" {
		t.Fatalf("provider got %+v, want the uploaded image", out)
	}

	// 3. One instance restarts (a rolling deploy) while the other has a send in flight (the
	// provider slow): delivered once, never failed. The send is posted on A, whose sender is
	// woken at once; whichever instance claimed it, the other one restarts.
	arrived := c.gate.close()
	var slow messageJSON
	c.api(a, "POST", "/api/v1/chats/"+photo.ChatID+"/messages", map[string]any{"client_id": "c-slow", "text": "медленно"},
		http.StatusCreated, &slow)
	<-arrived
	owner, other := c.claimant(slow.ID, a, b)
	other.kill(syscall.SIGTERM)
	restarted := c.start(other.name)
	if owner == a {
		b = restarted
	} else {
		a = restarted
	}
	c.route(a)
	if m := c.message(slow.ID); m.Status != hub.StatusSending {
		t.Fatalf("after B restarted: %s %s, want still sending", m.Status, m.ErrorCode)
	}
	c.gate.open()
	c.waitFor("the slow send recorded", func() bool { return c.message(slow.ID).ProviderKey != "" })
	if m := c.message(slow.ID); m.Status == hub.StatusFailed || m.ErrorCode != "" {
		t.Fatalf("slow send: %+v", m)
	}

	// 4. A is killed mid-send: B leaves the send alone while A's lease lasts, then fails it as
	// outcome unknown; the provider got it once and nothing sends it again.
	arrived = c.gate.close()
	var lost messageJSON
	c.api(a, "POST", "/api/v1/chats/"+photo.ChatID+"/messages", map[string]any{"client_id": "c-lost", "text": "оборвалось"},
		http.StatusCreated, &lost)
	<-arrived
	dead, survivor := c.claimant(lost.ID, a, b)
	// The lease is judged by the instances' own record of it: its last renewal may have come
	// before the test saw the send arrive, so it may run out less than 2 s after that.
	leaseEnd := c.outboxTime(lost.ID, "lease_until")
	dead.kill(syscall.SIGKILL)
	c.route(survivor)
	leaseEnd = max(leaseEnd, c.outboxTime(lost.ID, "lease_until")) // renewed in between (0 once failed)
	c.waitFor("the dead instance's send failed", func() bool { return c.message(lost.ID).Status == hub.StatusFailed })
	if failedAt := c.outboxTime(lost.ID, "updated_at"); failedAt < leaseEnd {
		t.Errorf("failed at %d (Unix ms), before the dead instance's lease ran out at %d", failedAt, leaseEnd)
	}
	if m := c.message(lost.ID); m.ErrorCode != "outcome_unknown" {
		t.Fatalf("lost send: %s, want outcome_unknown", m.ErrorCode)
	}
	c.gate.open()

	// 5. Webhooks spread over both instances (the dead one back): each processed exactly once.
	if dead == a {
		a = c.start("A")
	} else {
		b = c.start("B")
	}
	c.route(a, b)
	for i := 0; i < 20; i++ {
		c.customer(fmt.Sprintf("+7 916 000 00 %02d", i), "text", fmt.Sprint("сообщение ", i))
	}
	c.waitFor("every webhook processed", func() bool {
		left, err := c.st.PendingWebhooks(context.Background(), 1)
		must(t, err)
		return len(left) == 0
	})
	var twice int
	must(t, c.sql.QueryRow(`SELECT COUNT(*) FROM inbound_webhooks WHERE processed_at = 0 OR attempts <> 1`).Scan(&twice))
	if twice != 0 {
		t.Fatalf("%d webhooks not processed exactly once", twice)
	}
	if n := c.sent("79035551234"); n != 3 {
		t.Logf("outbox: %+v", c.sb.Graph.Outbox(c.sales.ExternalID))
		t.Fatalf("the provider got %d messages for the customer, want 3 (upload, slow, lost), each once", n)
	}
}

// frame is an events socket's frame as the test reads it.
type frame struct {
	Seq  int64           `json:"seq"`
	Type string          `json:"type"`
	Data json.RawMessage `json:"data"`
}

// readFrames reads the socket's next message: one frame or, events ready together, an array of
// them. Each is logged, so a failed wait shows what the window got.
func readFrames(ctx context.Context, t *testing.T, ws *websocket.Conn) []frame {
	t.Helper()
	_, raw, err := ws.Read(ctx)
	must(t, err)
	if raw[0] != '[' {
		raw = append(append([]byte{'['}, raw...), ']')
	}
	var fs []frame
	must(t, json.Unmarshal(raw, &fs))
	for _, f := range fs {
		t.Logf("the window got %s at seq %d", f.Type, f.Seq)
	}
	return fs
}

// upload posts a file to the chat API of an instance.
func (c *cluster) upload(in *instance, name string, data []byte, out any) {
	c.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("file", name)
	must(c.t, err)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", in.url+"/api/v1/uploads", &body)
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := http.DefaultClient.Do(req)
	must(c.t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusCreated {
		c.t.Fatalf("upload on %s: %d %s", in.name, resp.StatusCode, b)
	}
	must(c.t, json.Unmarshal(b, out))
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
