package pipeline_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/media"
	"github.com/switchboardhq/switchboard/internal/pipeline"
	"github.com/switchboardhq/switchboard/internal/sandbox/customers"
	"github.com/switchboardhq/switchboard/internal/sandbox/messengers"
	"github.com/switchboardhq/switchboard/internal/sandbox/standin"
	"github.com/switchboardhq/switchboard/internal/store"
	"github.com/switchboardhq/switchboard/internal/testwait"
)

// rig is a hub's messaging side on a real store, talking over real HTTP to the sandbox
// stand-ins, which deliver real signed webhooks back to it. Workers are driven by Drain so
// each step is deterministic.
type rig struct {
	t       testing.TB
	st      *store.Store
	ws      hub.Workspace
	srv     *httptest.Server
	sb      *messengers.Sandbox
	files   *media.Local
	ad      *pipeline.Adapters
	in      *pipeline.Inbound
	sales   hub.Connection // WABA, in the subscription
	support hub.Connection // WABA, no payment method
	bot     hub.Connection // Telegram
	max     hub.Connection // MAX
}

func newRig(t testing.TB, st *store.Store) *rig {
	t.Helper()
	ctx := context.Background()
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	files, err := media.NewLocal(t.TempDir())
	must(t, err)
	r := &rig{t: t, st: st, srv: srv, files: files, sb: messengers.New(standin.NewMemory(), func() string { return srv.URL })}
	r.sb.Graph.StatusDelay = 10 * time.Millisecond
	r.ad = &pipeline.Adapters{Catalog: messengers.Catalog}
	r.in = &pipeline.Inbound{Store: st, Media: files, Adapters: r.ad}
	(&pipeline.Hooks{Store: st, Wake: make(chan struct{}, 1)}).Mount(mux)
	r.sb.Mount(mux)
	sim := customers.New(r.sb)
	sim.Mount(mux)
	r.ws, err = st.CreateWorkspace(ctx, hub.Workspace{Name: "Северный ветер", CRMKind: "amocrm", CRMAccountID: 31415926,
		Country: "RU", Subscription: hub.Subscription{Active: true, Paid: true, TemplatesPaid: true}})
	must(t, err)
	conns, err := r.sb.Setup(ctx, st, r.ws)
	must(t, err)
	sim.Use(r.ws, conns)
	must(t, r.sb.Connect(ctx, st, r.ad, conns))
	r.sales, r.support, r.bot, r.max = conns[0], conns[1], conns[2], conns[3]
	return r
}

func (r *rig) sender() *pipeline.Sender {
	return &pipeline.Sender{Store: r.st, Media: r.files, Adapters: r.ad, Backoff: func(int) time.Duration { return 0 }}
}

// post calls the simulator's API and decodes the answer; want is the expected status.
func (r *rig) post(path string, body any, want int) map[string]any {
	r.t.Helper()
	b, _ := json.Marshal(body)
	resp, err := http.Post(r.srv.URL+path, "application/json", bytes.NewReader(b))
	must(r.t, err)
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	if resp.StatusCode != want {
		r.t.Fatalf("POST %s: %d %v, want %d", path, resp.StatusCode, out, want)
	}
	return out
}

func (r *rig) get(path string) map[string]any {
	r.t.Helper()
	resp, err := http.Get(r.srv.URL + path)
	must(r.t, err)
	defer resp.Body.Close()
	var out map[string]any
	must(r.t, json.NewDecoder(resp.Body).Decode(&out))
	return out
}

// customer sends as a WhatsApp customer and returns the external id.
func (r *rig) whatsapp(conn hub.Connection, phone, typ, text string) string {
	r.t.Helper()
	out := r.post("/sandbox/customers/send", map[string]any{"connection_id": conn.ID, "type": typ, "text": text,
		"from": map[string]any{"phone": phone, "name": "Анна Смирнова"}}, http.StatusAccepted)
	return out["external_id"].(string)
}

// drain processes stored webhooks until none is left.
func (r *rig) drain() {
	for r.in.Drain(context.Background()) > 0 {
	}
}

// eventually drains webhooks until cond holds (statuses arrive asynchronously), or fails.
func (r *rig) eventually(what string, cond func() bool) {
	r.t.Helper()
	testwait.Until(r.t, what, func() bool {
		r.drain()
		return cond()
	})
}

// onlyMessage returns the one message of the chat with that external id.
func (r *rig) chatMessages(conn hub.Connection, externalChatID string) (hub.Chat, []hub.Message) {
	r.t.Helper()
	chat, err := r.st.ChatByExternal(context.Background(), conn.ID, externalChatID)
	must(r.t, err)
	ms, err := r.st.Messages(context.Background(), r.ws.ID, chat.ID, "", 200)
	must(r.t, err)
	return chat, ms
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
