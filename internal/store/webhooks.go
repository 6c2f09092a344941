package store

import (
	"context"
	"fmt"
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

// SaveWebhook stores a raw webhook and returns its id.
func (s *Store) SaveWebhook(ctx context.Context, w RawWebhook) (string, error) {
	if w.ID == "" {
		w.ID = NewID()
	}
	_, err := s.w.ExecContext(ctx, `INSERT INTO inbound_webhooks (id, workspace_id, connection_id, source, body, received_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, w.ID, w.WorkspaceID, w.ConnectionID, w.Source, w.Body, time.Now().UnixMilli())
	if err != nil {
		return "", fmt.Errorf("store: save webhook: %w", err)
	}
	return w.ID, nil
}

// PendingWebhooks lists unprocessed webhooks oldest first, skipping those that failed
// maxAttempts times (they stay for an operator to look at).
func (s *Store) PendingWebhooks(ctx context.Context, limit, maxAttempts int) ([]RawWebhook, error) {
	return collect(func(r scanner) (RawWebhook, error) {
		var w RawWebhook
		var at int64
		err := r.Scan(&w.ID, &w.WorkspaceID, &w.ConnectionID, &w.Source, &w.Body, &at, &w.Attempts)
		w.ReceivedAt = fromMillis(at)
		return w, err
	})(s.r.QueryContext(ctx, `SELECT id, workspace_id, connection_id, source, body, received_at, attempts
		FROM inbound_webhooks WHERE processed_at = 0 AND attempts < $1 ORDER BY received_at, id LIMIT $2`,
		maxAttempts, limit))
}

// MarkWebhookProcessed records that a webhook was handled (processErr nil) or that handling it
// failed once more (it will be tried again until the attempts run out).
func (s *Store) MarkWebhookProcessed(ctx context.Context, id string, processErr error) error {
	if processErr == nil {
		return s.execOne(ctx, "mark webhook", `UPDATE inbound_webhooks SET processed_at = $2, attempts = attempts + 1
			WHERE id = $1`, id, time.Now().UnixMilli())
	}
	// An error may quote the payload's bytes, which a TEXT column would refuse.
	return s.execOne(ctx, "mark webhook", `UPDATE inbound_webhooks SET attempts = attempts + 1, last_error = $2
		WHERE id = $1`, id, sanitize.Text(processErr.Error()))
}

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
