package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/switchboardhq/switchboard/internal/sanitize"
)

// RawWebhook is an inbound webhook body as the provider sent it, stored before it is
// acknowledged and processed from this row afterwards.
type RawWebhook struct {
	ID           string
	WorkspaceID  string
	ConnectionID string
	Source       string // "waba", "telegram", "amocrm"
	Body         []byte // as received, whatever its bytes
	ReceivedAt   time.Time
	Attempts     int
}

// insertWebhook stores one raw webhook, due at once: $6 is both its arrival and its first attempt.
const insertWebhook = `INSERT INTO inbound_webhooks (id, workspace_id, connection_id, source, body,
	received_at, next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6, $6)`

// SaveWebhook stores a raw webhook, due at once, and returns its id.
func (s *Store) SaveWebhook(ctx context.Context, w RawWebhook) (string, error) {
	if w.ID == "" {
		w.ID = NewID()
	}
	_, err := s.w.ExecContext(ctx, insertWebhook, w.ID, w.WorkspaceID, w.ConnectionID, w.Source, w.Body, time.Now().UnixMilli())
	if err != nil {
		return "", fmt.Errorf("store: save webhook: %w", err)
	}
	return w.ID, nil
}

// SaveWebhooks stores raw webhooks, due at once, in one transaction: all of them or, on an
// error, none. A webhook without an ID is given one. It is the webhook endpoints' group
// commit: many requests' rows share one commit.
func (s *Store) SaveWebhooks(ctx context.Context, ws []RawWebhook) error {
	now := time.Now().UnixMilli()
	return s.tx(ctx, func(q querier) error {
		for i := range ws {
			w := &ws[i]
			if w.ID == "" {
				w.ID = NewID()
			}
			if _, err := q.ExecContext(ctx, insertWebhook, w.ID, w.WorkspaceID, w.ConnectionID, w.Source, w.Body, now); err != nil {
				return fmt.Errorf("store: save webhooks: %w", err)
			}
		}
		return nil
	})
}

const webhookColumns = `id, workspace_id, connection_id, source, body, received_at, attempts`

func scanWebhook(r scanner) (RawWebhook, error) {
	var w RawWebhook
	var at int64
	err := r.Scan(&w.ID, &w.WorkspaceID, &w.ConnectionID, &w.Source, &w.Body, &at, &w.Attempts)
	w.ReceivedAt = fromMillis(at)
	return w, err
}

// PendingWebhooks lists webhooks not processed yet and not given up, oldest first, whether due
// or waiting for their next attempt (for operators and tests; workers use ClaimWebhooks).
func (s *Store) PendingWebhooks(ctx context.Context, limit int) ([]RawWebhook, error) {
	return collect(scanWebhook)(s.r.QueryContext(ctx, `SELECT `+webhookColumns+` FROM inbound_webhooks
		WHERE processed_at = 0 AND given_up_at = 0 ORDER BY received_at, id LIMIT $1`, limit))
}

// ClaimWebhooks gives owner up to limit due webhooks, oldest first, until now+lease: no other
// instance takes them while the lease lasts (the owner renews it while it works), and anyone
// may take them once it has run out (the owner died). Attempts counts the claims before this.
func (s *Store) ClaimWebhooks(ctx context.Context, owner string, now time.Time, lease time.Duration, limit int) ([]RawWebhook, error) {
	// One statement claims them all (RETURNING gives them in no particular order).
	out, err := collect(scanWebhook)(s.w.QueryContext(ctx, `UPDATE inbound_webhooks SET owner = $3, lease_until = $4
		WHERE id IN (SELECT id FROM inbound_webhooks
			WHERE processed_at = 0 AND given_up_at = 0 AND next_attempt_at <= $1 AND lease_until <= $1
			ORDER BY received_at, id LIMIT $2`+s.skipLocked()+`)
		RETURNING `+webhookColumns, now.UnixMilli(), limit, owner, now.Add(lease).UnixMilli()))
	if err != nil {
		return nil, fmt.Errorf("store: claim webhooks: %w", err)
	}
	slices.SortFunc(out, func(a, b RawWebhook) int {
		return cmp.Or(a.ReceivedAt.Compare(b.ReceivedAt), strings.Compare(a.ID, b.ID))
	})
	return out, nil
}

// RenewWebhooks extends owner's leases on the webhooks ids to until. Rows no longer owner's are
// left alone; ErrLeaseLost says some were.
func (s *Store) RenewWebhooks(ctx context.Context, owner string, ids []string, until time.Time) error {
	lost := false
	for _, id := range ids {
		res, err := s.w.ExecContext(ctx, `UPDATE inbound_webhooks SET lease_until = $3
			WHERE id = $1 AND owner = $2 AND processed_at = 0 AND given_up_at = 0`, id, owner, until.UnixMilli())
		if err != nil {
			return fmt.Errorf("store: renew webhook: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			lost = true
		}
	}
	if lost {
		return ErrLeaseLost
	}
	return nil
}

// WebhookOutcome is what became of one attempt at a webhook.
type WebhookOutcome struct {
	Err error // nil: processed
	// RetryAt is when to try again after Err; zero gives the webhook up (a permanent error or
	// the retry window spent), leaving it for an operator.
	RetryAt time.Time
}

// webhookProcessed marks webhook $1 processed at $2 and releases its claim.
const webhookProcessed = `UPDATE inbound_webhooks SET processed_at = $2, attempts = attempts + 1,
	owner = '', lease_until = 0 WHERE id = $1`

// FinishWebhook records an attempt's outcome and releases the claim.
func (s *Store) FinishWebhook(ctx context.Context, id string, now time.Time, o WebhookOutcome) error {
	switch {
	case o.Err == nil:
		return s.execOne(ctx, "finish webhook", webhookProcessed, id, now.UnixMilli())
	case o.RetryAt.IsZero():
		return s.execOne(ctx, "finish webhook", `UPDATE inbound_webhooks SET given_up_at = $2, attempts = attempts + 1,
			last_error = $3, owner = '', lease_until = 0 WHERE id = $1`, id, now.UnixMilli(), lastError(o.Err))
	default:
		return s.execOne(ctx, "finish webhook", `UPDATE inbound_webhooks SET next_attempt_at = $2, attempts = attempts + 1,
			last_error = $3, owner = '', lease_until = 0 WHERE id = $1`, id, o.RetryAt.UnixMilli(), lastError(o.Err))
	}
}

// lastError is an error's text for its column: it may quote the payload's bytes, which a TEXT
// column would refuse.
func lastError(err error) string { return sanitize.Text(err.Error()) }

// UseTokenID records a disposable token's jti; false when it was used before (a replay).
// Expired entries are swept on the way, since a token past its expiry is refused anyway.
func (s *Store) UseTokenID(ctx context.Context, jti string, expires time.Time) (bool, error) {
	now := time.Now().UnixMilli()
	if _, err := s.w.ExecContext(ctx, `DELETE FROM used_tokens WHERE expires_at < $1`, now-60_000); err != nil {
		return false, fmt.Errorf("store: sweep tokens: %w", err)
	}
	res, err := s.w.ExecContext(ctx, `INSERT INTO used_tokens (jti, expires_at) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
		jti, expires.UnixMilli())
	if err != nil {
		return false, fmt.Errorf("store: use token: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// PruneWebhooks deletes webhooks processed before before (their messages are stored; the raw
// body is kept only to retry and to look at recent traffic). Unprocessed rows stay, whatever
// their age, for an operator. It returns how many it deleted.
func (s *Store) PruneWebhooks(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.w.ExecContext(ctx, `DELETE FROM inbound_webhooks WHERE processed_at > 0 AND processed_at < $1`,
		before.UnixMilli())
	if err != nil {
		return 0, fmt.Errorf("store: prune webhooks: %w", err)
	}
	return res.RowsAffected()
}
