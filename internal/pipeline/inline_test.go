package pipeline_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/switchboardhq/switchboard/internal/channel/waba"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/pipeline"
	"github.com/switchboardhq/switchboard/internal/store"
	"github.com/switchboardhq/switchboard/internal/store/storetest"
)

// poisonedStore makes the messages of the endpoint's groups fail in the database while set:
// their workspace does not exist.
type poisonedStore struct {
	*store.Store
	poison bool
}

func (p *poisonedStore) SaveWebhooksProcessed(ctx context.Context, ws []store.RawWebhook, hooks []store.InboundWebhook) ([]store.InboundSaved, error) {
	if p.poison {
		for i := range hooks {
			for j := range hooks[i].Messages {
				hooks[i].Messages[j].WorkspaceID = "no-such-workspace"
			}
		}
	}
	return p.Store.SaveWebhooksProcessed(ctx, ws, hooks)
}

// inlineRig is a WABA connection's webhook endpoint that processes webhooks in its commit.
type inlineRig struct {
	st   *poisonedStore
	in   *pipeline.Inbound
	mux  *http.ServeMux
	conn hub.Connection
}

func newInlineRig(t *testing.T, s *store.Store) *inlineRig {
	ctx := context.Background()
	ws, err := s.CreateWorkspace(ctx, hub.Workspace{Name: "Acme", CRMKind: "amocrm", CRMAccountID: 1, Country: "RU"})
	must(t, err)
	c, err := s.CreateConnection(ctx, hub.Connection{WorkspaceID: ws.ID, Kind: hub.KindWABA, Name: "WA", ExternalID: "PN1",
		Secrets: map[string]string{waba.SecretAppSecret: "app"}})
	must(t, err)
	r := &inlineRig{st: &poisonedStore{Store: s}, mux: http.NewServeMux(), conn: c}
	r.in = &pipeline.Inbound{Store: r.st, Adapters: &pipeline.Adapters{}}
	(&pipeline.Hooks{Store: s, Wake: make(chan struct{}, 1), Inbound: r.in}).Mount(r.mux)
	return r
}

func textWebhook(key, text string) string {
	return fmt.Sprintf(`{"object":"whatsapp_business_account","entry":[{"id":"W","changes":[{"field":"messages","value":{`+
		`"messaging_product":"whatsapp","metadata":{"phone_number_id":"PN1"},"contacts":[{"profile":{"name":"Анна"},"wa_id":"79160000001"}],`+
		`"messages":[{"from":"79160000001","id":%q,"timestamp":"1700000000","type":"text","text":{"body":%q}}]}}]}]}`, key, text)
}

func (r *inlineRig) post(t *testing.T, body string) {
	t.Helper()
	req := httptest.NewRequest("POST", "/hooks/waba/"+r.conn.ID, strings.NewReader(body))
	req.Header.Set(waba.SignatureHeader, waba.Sign("app", []byte(body)))
	rec := httptest.NewRecorder()
	r.mux.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("webhook answered %d %s", rec.Code, rec.Body)
	}
}

// texts lists the customer's chat's messages, oldest first (none when there is no chat).
func (r *inlineRig) texts(t *testing.T) []string {
	t.Helper()
	ctx := context.Background()
	chat, err := r.st.ChatByExternal(ctx, r.conn.ID, "79160000001")
	if err == store.ErrNotFound {
		return nil
	}
	must(t, err)
	ms, err := r.st.Messages(ctx, r.conn.WorkspaceID, chat.ID, "", 50)
	must(t, err)
	var out []string
	for i := len(ms) - 1; i >= 0; i-- {
		out = append(out, ms[i].Text)
	}
	return out
}

func (r *inlineRig) pending(t *testing.T) int {
	t.Helper()
	p, err := r.st.PendingWebhooks(context.Background(), 100)
	must(t, err)
	return len(p)
}

// A webhook that only carries messages is processed in the endpoint's own commit: its message
// and events are there when it is acknowledged, and the worker has nothing left to do; a
// replay is found a duplicate there too; a webhook that asks for more (a status) is stored for
// the worker.
func TestEndpointProcessesWebhooksInItsCommit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		r := newInlineRig(t, st)
		head0, err := st.EventHead(ctx, r.conn.WorkspaceID)
		must(t, err)
		r.post(t, textWebhook("wamid.1", "Здравствуйте"))
		if got := r.texts(t); len(got) != 1 || got[0] != "Здравствуйте" {
			t.Fatalf("messages when the webhook was acknowledged: %q, want the one it carried", got)
		}
		if n := r.pending(t); n != 0 {
			t.Fatalf("%d webhooks left for the worker, want none", n)
		}
		head, err := st.EventHead(ctx, r.conn.WorkspaceID)
		must(t, err)
		if head != head0+2 {
			t.Fatalf("event head %d, want %d (message.created, chat.updated)", head, head0+2)
		}
		if n := r.in.Drain(ctx); n != 0 {
			t.Fatalf("the worker claimed %d webhooks, want none", n)
		}

		r.post(t, textWebhook("wamid.1", "Здравствуйте")) // the provider's redelivery
		if got := r.texts(t); len(got) != 1 {
			t.Fatalf("messages after a replay: %q, want one", got)
		}
		if n := r.pending(t); n != 0 {
			t.Fatalf("%d webhooks left for the worker after a replay, want none", n)
		}

		r.post(t, `{"object":"whatsapp_business_account","entry":[{"id":"W","changes":[{"field":"messages","value":{`+
			`"messaging_product":"whatsapp","metadata":{"phone_number_id":"PN1"},"statuses":[{"id":"wamid.out","status":"delivered",`+
			`"timestamp":"1700000001","recipient_id":"79160000001"}]}}]}]}`)
		if n := r.pending(t); n != 1 {
			t.Fatalf("%d webhooks left for the worker after a status, want it", n)
		}
	})
}

// A webhook whose messages fail in the endpoint's commit is stored all the same and
// acknowledged; after a restart (a new worker on the same database) the worker stores its
// message, once, and a redelivery after that is a duplicate.
func TestEndpointLeavesFailedWebhooksToTheWorker(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		r := newInlineRig(t, st)
		r.st.poison = true
		r.post(t, textWebhook("wamid.2", "Добрый день"))
		if got := r.texts(t); len(got) != 0 {
			t.Fatalf("messages of a failed group: %q, want none", got)
		}
		if n := r.pending(t); n != 1 {
			t.Fatalf("%d webhooks stored for the worker, want the acknowledged one", n)
		}

		restarted := &pipeline.Inbound{Store: st, Adapters: &pipeline.Adapters{}}
		for restarted.Drain(ctx) > 0 {
		}
		if got := r.texts(t); len(got) != 1 || got[0] != "Добрый день" {
			t.Fatalf("messages after the worker: %q, want the webhook's one", got)
		}
		if n := r.pending(t); n != 0 {
			t.Fatalf("%d webhooks still pending, want none", n)
		}

		r.st.poison = false
		r.post(t, textWebhook("wamid.2", "Добрый день"))
		if got := r.texts(t); len(got) != 1 {
			t.Fatalf("messages after a redelivery: %q, want one", got)
		}
	})
}
