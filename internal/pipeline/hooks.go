package pipeline

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"math"
	"net/http"
	"slices"
	"strconv"
	"time"

	maxbot "github.com/switchboardhq/switchboard/internal/channel/max"
	"github.com/switchboardhq/switchboard/internal/channel/telegram"
	"github.com/switchboardhq/switchboard/internal/channel/waba"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/ratelimit"
	"github.com/switchboardhq/switchboard/internal/recent"
	"github.com/switchboardhq/switchboard/internal/store"
)

// Why webhooks of a known connection were refused (the health record's detail).
const (
	RefusedSignature   = "signature"    // WABA: X-Hub-Signature-256 is not the app secret's
	RefusedPhoneNumber = "phone_number" // WABA: the payload names another phone number id
	RefusedSecretToken = "secret_token" // a bot platform's secret token header is wrong
)

// maxWebhookBody bounds a webhook body; providers send small JSON.
const maxWebhookBody = 1 << 20

// hookStore is what the webhook endpoints need.
type hookStore interface {
	CachedConnection(ctx context.Context, id string) (hub.Connection, error)
	SaveWebhooks(ctx context.Context, ws []store.RawWebhook) error
	RecordHealth(ctx context.Context, connectionID, event string, at time.Time, detail string) error
}

// Hooks receives the channels' webhooks: it checks who sent them, stores the raw body, wakes
// the inbound worker and only then answers 200, so nothing acknowledged is ever lost.
type Hooks struct {
	Store hookStore
	// Limit counts webhooks per connection (never per address: providers send from few); past
	// it they are answered 429 with Retry-After and the provider delivers them again later.
	// nil: no limit.
	Limit *ratelimit.Buckets
	// Wake is signalled (without blocking) after each stored webhook.
	Wake chan<- struct{}
	// Now is the clock of the health records (nil: time.Now).
	Now func() time.Time

	queue webhookQueue         // the raw rows waiting for their group's commit
	marks recent.Marks[string] // when this instance last recorded each connection's accepted webhook
}

// health records what a webhook says of its connection's health; a failure to record is only
// logged, never a reason to refuse or lose the webhook. An accepted webhook is recorded only
// when its connection's health changed (the first since a refusal, a verification or the
// start) or healthEvery after the last one this instance recorded.
func (h *Hooks) health(r *http.Request, c hub.Connection, event, detail string) {
	now := time.Now()
	if h.Now != nil {
		now = h.Now()
	}
	if event == store.HealthWebhook {
		if !h.marks.Due(c.ID, now, healthEvery) {
			return
		}
	} else {
		h.marks.Forget(c.ID)
	}
	if err := h.Store.RecordHealth(r.Context(), c.ID, event, now, detail); err != nil {
		h.marks.Forget(c.ID)
		slog.Error("connection health not recorded", "connection", c.ID, "err", err)
	}
}

// healthEvery is how often accepted webhooks refresh their connection's last_webhook_at. The
// cabinet shows it to the minute; writing it for every webhook was a commit per webhook.
// Another instance's refusal is seen by this one's next record, at most healthEvery later.
const healthEvery = 10 * time.Second

// Mount adds the webhook routes to mux.
func (h *Hooks) Mount(mux *http.ServeMux) {
	mux.HandleFunc("GET /hooks/waba/{connection_id}", h.wabaVerify)
	mux.HandleFunc("POST /hooks/waba/{connection_id}", h.wabaPost)
	mux.HandleFunc("POST /hooks/telegram/{connection_id}", h.telegramPost)
	mux.HandleFunc("POST /hooks/max/{connection_id}", h.maxPost)
}

// connection finds the webhook's connection, or answers: 404 only when the database says there
// is no such connection (the provider may then stop sending), 503 when it could not be asked,
// so the provider keeps the event and delivers it again. It is read from the store's cache of
// connections (store.ConnectionTTL): a change made on this instance is seen at once.
func (h *Hooks) connection(w http.ResponseWriter, r *http.Request, kind string) (hub.Connection, bool) {
	c, err := h.Store.CachedConnection(r.Context(), r.PathValue("connection_id"))
	switch {
	case err == nil && c.Kind == kind:
		return c, true
	case err == nil || errors.Is(err, store.ErrNotFound):
		plain(w, http.StatusNotFound, "unknown connection")
	default:
		slog.Error("webhook: connection not read", "connection", r.PathValue("connection_id"), "err", err)
		plain(w, http.StatusServiceUnavailable, "temporarily unavailable, retry")
	}
	return c, false
}

// allowed counts one webhook of c, or answers 429.
func (h *Hooks) allowed(w http.ResponseWriter, c hub.Connection) bool {
	ok, wait := h.Limit.Allow(c.ID, time.Now())
	if !ok {
		w.Header().Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(wait.Seconds())))))
		plain(w, http.StatusTooManyRequests, "too many webhooks for this connection, retry later")
	}
	return ok
}

func (h *Hooks) wabaVerify(w http.ResponseWriter, r *http.Request) {
	c, ok := h.connection(w, r, hub.KindWABA)
	if !ok {
		return
	}
	challenge, ok := waba.Challenge(r.URL.Query(), c.Secrets[waba.SecretVerifyToken])
	if !ok {
		plain(w, http.StatusForbidden, "verify token mismatch")
		return
	}
	h.health(r, c, store.HealthVerified, "")
	plain(w, http.StatusOK, challenge)
}

// The connection (and for a bot the secret header) is checked before the body is read, so a
// request for no connection costs no more than its headers.
func (h *Hooks) wabaPost(w http.ResponseWriter, r *http.Request) {
	c, ok := h.connection(w, r, hub.KindWABA)
	if !ok || !h.allowed(w, c) {
		return
	}
	body, err := readBody(r)
	switch {
	case err != nil:
		plain(w, http.StatusRequestEntityTooLarge, "body too large")
	case !waba.VerifySignature(c.Secrets[waba.SecretAppSecret], body, r.Header.Get(waba.SignatureHeader)):
		h.health(r, c, store.HealthWebhookRefused, RefusedSignature)
		plain(w, http.StatusUnauthorized, "bad or missing "+waba.SignatureHeader)
	default:
		routes, err := waba.Routes(body)
		if err != nil {
			plain(w, http.StatusBadRequest, "not a WhatsApp Business Account payload")
			return
		}
		if slices.ContainsFunc(routes, func(id string) bool { return id != c.ExternalID }) {
			h.health(r, c, store.HealthWebhookRefused, RefusedPhoneNumber)
			plain(w, http.StatusForbidden, "payload is for a phone number of another connection")
			return
		}
		h.save(w, r, c, "waba", body)
	}
}

func (h *Hooks) telegramPost(w http.ResponseWriter, r *http.Request) {
	h.botPost(w, r, hub.KindTelegramBot, "telegram", telegram.SecretWebhook, telegram.SecretHeader)
}

func (h *Hooks) maxPost(w http.ResponseWriter, r *http.Request) {
	h.botPost(w, r, hub.KindMaxBot, "max", maxbot.SecretWebhook, maxbot.SecretHeader)
}

// botPost receives a bot platform's update: the secret the hub gave it when setting the
// webhook must come back in header (compared in constant time), else nothing is stored.
func (h *Hooks) botPost(w http.ResponseWriter, r *http.Request, kind, source, secretName, header string) {
	c, ok := h.connection(w, r, kind)
	if !ok || !h.allowed(w, c) {
		return
	}
	secret := c.Secrets[secretName]
	if secret == "" || subtle.ConstantTimeCompare([]byte(r.Header.Get(header)), []byte(secret)) != 1 {
		h.health(r, c, store.HealthWebhookRefused, RefusedSecretToken)
		plain(w, http.StatusUnauthorized, "bad or missing "+header)
		return
	}
	body, err := readBody(r)
	switch {
	case err != nil:
		plain(w, http.StatusRequestEntityTooLarge, "body too large")
	case !json.Valid(body):
		plain(w, http.StatusBadRequest, "not a JSON update")
	default:
		h.save(w, r, c, source, body)
	}
}

func (h *Hooks) save(w http.ResponseWriter, r *http.Request, c hub.Connection, source string, body []byte) {
	if err := h.queue.store(r.Context(), h.Store.SaveWebhooks, store.RawWebhook{WorkspaceID: c.WorkspaceID,
		ConnectionID: c.ID, Source: source, Body: body}); err != nil {
		// Not acknowledged, so the provider delivers it again later.
		slog.Error("webhook not stored", "connection", c.ID, "err", err)
		plain(w, http.StatusServiceUnavailable, "not stored, retry")
		return
	}
	select {
	case h.Wake <- struct{}{}:
	default:
	}
	h.health(r, c, store.HealthWebhook, "")
	plain(w, http.StatusOK, "ok")
}

func readBody(r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r.Body, maxWebhookBody+1))
	if err == nil && len(b) > maxWebhookBody {
		err = errors.New("too large")
	}
	return b, err
}

// plain answers a provider: they read the status, not the body.
func plain(w http.ResponseWriter, status int, text string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, text)
}
