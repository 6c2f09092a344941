package pipeline_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/channel/waba"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/pipeline"
	"github.com/switchboardhq/switchboard/internal/store"
	"github.com/switchboardhq/switchboard/internal/store/storetest"
	"github.com/switchboardhq/switchboard/internal/testwait"
)

// heldStore holds the first group commit until released, so the test knows the other
// requests queue behind it, and counts the commits and health records.
type heldStore struct {
	*store.Store
	held     chan struct{} // closed when the first commit has begun
	release  chan struct{}
	commits  atomic.Int64
	healthOK atomic.Int64 // accepted webhooks recorded
	// failAfterFirst makes every commit after the first fail in the database: its last row
	// takes the id of a row the first stored.
	failAfterFirst bool
	first          []store.RawWebhook
}

func newHeldStore(s *store.Store) *heldStore {
	return &heldStore{Store: s, held: make(chan struct{}), release: make(chan struct{})}
}

func (h *heldStore) SaveWebhooks(ctx context.Context, ws []store.RawWebhook) error {
	if h.commits.Add(1) == 1 {
		close(h.held)
		<-h.release
		err := h.Store.SaveWebhooks(ctx, ws)
		h.first = ws
		return err
	}
	if h.failAfterFirst {
		ws[len(ws)-1].ID = h.first[0].ID
	}
	return h.Store.SaveWebhooks(ctx, ws)
}

func (h *heldStore) RecordHealth(ctx context.Context, connectionID, event string, at time.Time, detail string) error {
	if event == store.HealthWebhook {
		h.healthOK.Add(1)
	}
	return h.Store.RecordHealth(ctx, connectionID, event, at, detail)
}

// groupCommitRig is a WABA connection's webhook endpoint over a heldStore.
type groupCommitRig struct {
	st    *heldStore
	hooks *pipeline.Hooks
	mux   *http.ServeMux
	conn  hub.Connection
}

func newGroupCommitRig(t *testing.T, s *store.Store) *groupCommitRig {
	ctx := context.Background()
	ws, err := s.CreateWorkspace(ctx, hub.Workspace{Name: "Acme", CRMKind: "amocrm", CRMAccountID: 1})
	must(t, err)
	c, err := s.CreateConnection(ctx, hub.Connection{WorkspaceID: ws.ID, Kind: hub.KindWABA, Name: "WA", ExternalID: "PN1",
		Secrets: map[string]string{waba.SecretAppSecret: "app"}})
	must(t, err)
	r := &groupCommitRig{st: newHeldStore(s), mux: http.NewServeMux(), conn: c}
	r.hooks = &pipeline.Hooks{Store: r.st, Wake: make(chan struct{}, 1)}
	r.hooks.Mount(r.mux)
	return r
}

func wabaBody(n int) string {
	return fmt.Sprintf(`{"object":"whatsapp_business_account","entry":[{"id":"E%d","changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"PN1"}}}]}]}`, n)
}

// post sends webhook n signed with secret; stored tells whether its row was in the database
// when the answer came.
func (r *groupCommitRig) post(t *testing.T, n int, secret string) (code int, stored bool) {
	body := wabaBody(n)
	req := httptest.NewRequest("POST", "/hooks/waba/"+r.conn.ID, strings.NewReader(body))
	req.Header.Set(waba.SignatureHeader, waba.Sign(secret, []byte(body)))
	rec := httptest.NewRecorder()
	r.mux.ServeHTTP(rec, req)
	pending, err := r.st.PendingWebhooks(context.Background(), 100)
	if err != nil {
		t.Error(err)
	}
	for _, w := range pending {
		stored = stored || string(w.Body) == body
	}
	return rec.Code, stored
}

// postConcurrently sends webhook 0, holds its commit until webhooks 1…n-1 have queued behind
// it, and returns every answer and whether each row was stored when it came.
func (r *groupCommitRig) postConcurrently(t *testing.T, n int) (codes []int, stored []bool) {
	codes, stored = make([]int, n), make([]bool, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i], stored[i] = r.post(t, i, "app")
		}()
		if i == 0 {
			testwait.Done(t, r.st.held, "the first webhook's commit")
		}
	}
	testwait.Until(t, "the other webhooks queued", func() bool { return r.hooks.Queued() == n-1 })
	close(r.st.release)
	wg.Wait()
	return codes, stored
}

// Concurrent webhooks share commits, and each is acknowledged only once its row is stored.
func TestWebhooksShareCommits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		r := newGroupCommitRig(t, s)
		const n = 8
		codes, stored := r.postConcurrently(t, n)
		for i := range n {
			if codes[i] != http.StatusOK || !stored[i] {
				t.Errorf("webhook %d: status %d, stored when answered: %v", i, codes[i], stored[i])
			}
		}
		// The first commit, then one for the seven that queued behind it.
		if got := r.st.commits.Load(); got != 2 {
			t.Errorf("%d webhooks took %d commits, want 2", n, got)
		}
		if pending, _ := s.PendingWebhooks(context.Background(), 100); len(pending) != n {
			t.Errorf("%d rows stored, want %d", len(pending), n)
		}
	})
}

// A group whose commit fails answers each of its requests 503 (the provider delivers them
// again) and stores none of them.
func TestFailedGroupCommitRefusesEveryWebhookInIt(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		r := newGroupCommitRig(t, s)
		r.st.failAfterFirst = true
		const n = 6
		codes, stored := r.postConcurrently(t, n)
		if codes[0] != http.StatusOK || !stored[0] {
			t.Errorf("the first webhook: status %d, stored %v", codes[0], stored[0])
		}
		for i := 1; i < n; i++ {
			if codes[i] != http.StatusServiceUnavailable || stored[i] {
				t.Errorf("webhook %d of the failed group: status %d, stored %v", i, codes[i], stored[i])
			}
		}
		if pending, _ := s.PendingWebhooks(context.Background(), 100); len(pending) != 1 {
			t.Errorf("%d rows stored, want the first alone", len(pending))
		}
	})
}

// An accepted webhook writes its connection's health when it changed (the first one, the
// first after a refusal) or healthEvery after the last write, not for every webhook.
func TestWebhookHealthWrittenWhenItChanges(t *testing.T) {
	s := storetest.OpenSQLite(t)
	r := newGroupCommitRig(t, s)
	close(r.st.release)
	now := time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC)
	r.hooks.Now = func() time.Time { return now }
	step := func(what string, secret string, wantCode int, wantRecords int64) {
		t.Helper()
		if code, _ := r.post(t, int(r.st.commits.Load()), secret); code != wantCode {
			t.Fatalf("%s: status %d, want %d", what, code, wantCode)
		}
		if got := r.st.healthOK.Load(); got != wantRecords {
			t.Fatalf("%s: %d accepted webhooks recorded, want %d", what, got, wantRecords)
		}
	}
	step("first webhook", "app", 200, 1)
	step("second webhook", "app", 200, 1)
	step("third webhook", "app", 200, 1)
	step("a forged webhook", "forged", 401, 1)
	step("the first after a refusal", "app", 200, 2)
	step("the next", "app", 200, 2)
	now = now.Add(pipeline.HealthEvery)
	step("a webhook healthEvery later", "app", 200, 3)
	health, err := s.Health(context.Background(), r.conn.WorkspaceID, now)
	must(t, err)
	if got := health[r.conn.ID].LastWebhookAt; !got.Equal(now) {
		t.Errorf("last webhook at %v, want %v", got, now)
	}
}

// The connection a webhook is checked against is cached, and a rotated app secret is refused
// from the next webhook on: the old one is not accepted for the cache's lifetime.
func TestRotatedAppSecretRefusedAtOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		r := newGroupCommitRig(t, s)
		close(r.st.release)
		if code, _ := r.post(t, 1, "app"); code != http.StatusOK {
			t.Fatalf("with the app secret: %d", code)
		}
		rotated := r.conn
		rotated.Secrets = map[string]string{waba.SecretAppSecret: "rotated"}
		must(t, s.UpdateConnection(context.Background(), rotated))
		if code, stored := r.post(t, 2, "app"); code != http.StatusUnauthorized || stored {
			t.Errorf("with the old secret after the rotation: status %d, stored %v", code, stored)
		}
		if code, _ := r.post(t, 3, "rotated"); code != http.StatusOK {
			t.Errorf("with the new secret: %d", code)
		}
	})
}
