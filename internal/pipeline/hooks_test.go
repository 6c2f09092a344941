package pipeline_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	maxbot "github.com/switchboardhq/switchboard/internal/channel/max"
	"github.com/switchboardhq/switchboard/internal/channel/telegram"
	"github.com/switchboardhq/switchboard/internal/channel/waba"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/pipeline"
	"github.com/switchboardhq/switchboard/internal/ratelimit"
	"github.com/switchboardhq/switchboard/internal/store/storetest"
)

func TestWebhookAuthentication(t *testing.T) {
	s := storetest.OpenSQLite(t)
	ctx := context.Background()
	ws, err := s.CreateWorkspace(ctx, hub.Workspace{Name: "Acme", CRMKind: "amocrm", CRMAccountID: 1})
	must(t, err)
	wc, err := s.CreateConnection(ctx, hub.Connection{WorkspaceID: ws.ID, Kind: hub.KindWABA, Name: "WA", ExternalID: "PN1",
		Secrets: map[string]string{waba.SecretAppSecret: "app", waba.SecretVerifyToken: "vt"}})
	must(t, err)
	tc, err := s.CreateConnection(ctx, hub.Connection{WorkspaceID: ws.ID, Kind: hub.KindTelegramBot, Name: "Bot", ExternalID: "42",
		Secrets: map[string]string{telegram.SecretWebhook: "tg-secret"}})
	must(t, err)
	mc, err := s.CreateConnection(ctx, hub.Connection{WorkspaceID: ws.ID, Kind: hub.KindMaxBot, Name: "MAX", ExternalID: "43",
		Secrets: map[string]string{maxbot.SecretWebhook: "max-secret"}})
	must(t, err)
	mux := http.NewServeMux()
	now := time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC)
	(&pipeline.Hooks{Store: s, Wake: make(chan struct{}, 1), Now: func() time.Time { return now }}).Mount(mux)

	body := `{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"PN1"}}}]}]}`
	foreign := strings.Replace(body, "PN1", "PN2", 1)
	cases := []struct {
		name, method, path, body string
		header                   map[string]string
		want                     int
	}{
		{"verify ok", "GET", "/hooks/waba/" + wc.ID + "?hub.mode=subscribe&hub.verify_token=vt&hub.challenge=777", "", nil, 200},
		{"verify wrong token", "GET", "/hooks/waba/" + wc.ID + "?hub.mode=subscribe&hub.verify_token=no&hub.challenge=777", "", nil, 403},
		{"no signature", "POST", "/hooks/waba/" + wc.ID, body, nil, 401},
		{"bad signature", "POST", "/hooks/waba/" + wc.ID, body, map[string]string{waba.SignatureHeader: waba.Sign("other", []byte(body))}, 401},
		{"foreign number", "POST", "/hooks/waba/" + wc.ID, foreign, map[string]string{waba.SignatureHeader: waba.Sign("app", []byte(foreign))}, 403},
		{"telegram no secret", "POST", "/hooks/telegram/" + tc.ID, `{"update_id":1}`, nil, 401},
		{"telegram wrong secret", "POST", "/hooks/telegram/" + tc.ID, `{"update_id":1}`, map[string]string{telegram.SecretHeader: "nope"}, 401},
		{"telegram not JSON", "POST", "/hooks/telegram/" + tc.ID, `update_id=1`, map[string]string{telegram.SecretHeader: "tg-secret"}, 400},
		{"max no secret", "POST", "/hooks/max/" + mc.ID, `{"update_type":"message_created"}`, nil, 401},
		{"max wrong secret", "POST", "/hooks/max/" + mc.ID, `{"update_type":"message_created"}`, map[string]string{maxbot.SecretHeader: "max-secreT"}, 401},
		{"max with telegram's secret", "POST", "/hooks/max/" + mc.ID, `{}`, map[string]string{maxbot.SecretHeader: "tg-secret"}, 401},
		{"telegram to max hook", "POST", "/hooks/max/" + tc.ID, `{}`, map[string]string{maxbot.SecretHeader: "tg-secret"}, 404},
		{"telegram to waba hook", "POST", "/hooks/waba/" + tc.ID, body, nil, 404},
		{"unknown connection", "POST", "/hooks/telegram/nope", `{}`, nil, 404},
	}
	for _, c := range cases {
		req := httptest.NewRequest(c.method, c.path, strings.NewReader(c.body))
		for k, v := range c.header {
			req.Header.Set(k, v)
		}
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, req)
		if rec.Code != c.want {
			t.Errorf("%s: status %d, want %d (%s)", c.name, rec.Code, c.want, rec.Body)
		}
		if c.name == "verify ok" && rec.Body.String() != "777" {
			t.Errorf("challenge echoed as %q", rec.Body)
		}
	}
	pending, err := s.PendingWebhooks(ctx, 10)
	must(t, err)
	if len(pending) != 0 {
		t.Fatalf("refused webhooks were stored: %d rows", len(pending))
	}
	// Each refusal of a known connection is counted for its health, with why.
	health, err := s.Health(ctx, ws.ID, now)
	must(t, err)
	if h := health[wc.ID]; h.RefusedHour != 3 || h.LastRefusal != pipeline.RefusedPhoneNumber || h.VerifiedAt != now || !h.LastWebhookAt.IsZero() {
		t.Errorf("WABA health %+v", h)
	}
	if h := health[tc.ID]; h.RefusedHour != 2 || h.LastRefusal != pipeline.RefusedSecretToken {
		t.Errorf("Telegram health %+v", h)
	}
	req := httptest.NewRequest("POST", "/hooks/waba/"+wc.ID, strings.NewReader(body))
	req.Header.Set(waba.SignatureHeader, waba.Sign("app", []byte(body)))
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, req)
	pending, _ = s.PendingWebhooks(ctx, 10)
	if rec.Code != 200 || len(pending) != 1 || string(pending[0].Body) != body {
		t.Fatalf("signed webhook: status %d, %d stored", rec.Code, len(pending))
	}
	if health, _ = s.Health(ctx, ws.ID, now); health[wc.ID].LastWebhookAt != now {
		t.Errorf("an accepted webhook is not the last one: %+v", health[wc.ID])
	}
	req = httptest.NewRequest("POST", "/hooks/max/"+mc.ID, strings.NewReader(`{"update_type":"bot_started"}`))
	req.Header.Set(maxbot.SecretHeader, "max-secret")
	rec = httptest.NewRecorder()
	mux.ServeHTTP(rec, req)
	if pending, _ = s.PendingWebhooks(ctx, 10); rec.Code != 200 || len(pending) != 2 || pending[1].Source != "max" {
		t.Fatalf("MAX webhook with its secret: status %d, %d stored", rec.Code, len(pending))
	}
}

// A webhook for no connection, or a Telegram update without the secret, is refused from its
// headers: the body is never read.
func TestWebhookRefusedBeforeItsBodyIsRead(t *testing.T) {
	s := storetest.OpenSQLite(t)
	ctx := context.Background()
	ws, err := s.CreateWorkspace(ctx, hub.Workspace{Name: "Acme", CRMKind: "amocrm", CRMAccountID: 1})
	must(t, err)
	tc, err := s.CreateConnection(ctx, hub.Connection{WorkspaceID: ws.ID, Kind: hub.KindTelegramBot, Name: "Bot", ExternalID: "42",
		Secrets: map[string]string{telegram.SecretWebhook: "tg-secret"}})
	must(t, err)
	mux := http.NewServeMux()
	(&pipeline.Hooks{Store: s, Wake: make(chan struct{}, 1)}).Mount(mux)
	for path, want := range map[string]int{
		"/hooks/waba/nope":         http.StatusNotFound,
		"/hooks/telegram/nope":     http.StatusNotFound,
		"/hooks/telegram/" + tc.ID: http.StatusUnauthorized,
		"/hooks/waba/" + tc.ID:     http.StatusNotFound,
	} {
		body := &unreadable{}
		req := httptest.NewRequest(http.MethodPost, path, body)
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, req)
		if rec.Code != want || body.read {
			t.Errorf("%s: status %d (want %d), body read: %v", path, rec.Code, want, body.read)
		}
	}
}

// unreadable is a request body that records being read (a slow sender's body never ends).
type unreadable struct{ read bool }

func (u *unreadable) Read([]byte) (int, error) {
	u.read = true
	return 0, io.ErrUnexpectedEOF
}

// Webhooks are limited per connection, never per address (providers send from few): past the
// limit a connection's webhooks get 429 with Retry-After and are not stored (the provider
// delivers them again), while another connection's still go through.
func TestWebhooksAreLimitedPerConnection(t *testing.T) {
	s := storetest.OpenSQLite(t)
	ctx := context.Background()
	ws, err := s.CreateWorkspace(ctx, hub.Workspace{Name: "Acme", CRMKind: "amocrm", CRMAccountID: 1})
	must(t, err)
	bot := func(id string) hub.Connection {
		c, err := s.CreateConnection(ctx, hub.Connection{WorkspaceID: ws.ID, Kind: hub.KindTelegramBot, Name: "Bot " + id, ExternalID: id,
			Secrets: map[string]string{telegram.SecretWebhook: "tg-secret"}})
		must(t, err)
		return c
	}
	busy, calm := bot("1"), bot("2")
	mux := http.NewServeMux()
	(&pipeline.Hooks{Store: s, Wake: make(chan struct{}, 1), Limit: ratelimit.NewBuckets(ratelimit.Limit{Rate: 0.001, Burst: 2})}).Mount(mux)
	post := func(c hub.Connection, n int) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, "/hooks/telegram/"+c.ID, strings.NewReader(fmt.Sprintf(`{"update_id":%d}`, n)))
		req.Header.Set(telegram.SecretHeader, "tg-secret")
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, req)
		return rec
	}
	for i := range 2 {
		if rec := post(busy, i); rec.Code != http.StatusOK {
			t.Fatalf("webhook %d: %d", i, rec.Code)
		}
	}
	if rec := post(busy, 3); rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") == "" {
		t.Fatalf("past the limit: %d, Retry-After %q", rec.Code, rec.Header().Get("Retry-After"))
	}
	if rec := post(calm, 4); rec.Code != http.StatusOK {
		t.Fatalf("another connection: %d", rec.Code)
	}
	pending, err := s.PendingWebhooks(ctx, 10)
	must(t, err)
	if len(pending) != 3 {
		t.Fatalf("%d webhooks stored, want the 3 accepted", len(pending))
	}
}
