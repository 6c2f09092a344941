package store

import (
	"context"
	"fmt"
	"time"
)

// Health events of a connection (RecordHealth).
const (
	HealthWebhook        = "webhook"         // a webhook was accepted
	HealthVerified       = "verified"        // the provider's verify handshake succeeded
	HealthWebhookRefused = "webhook_refused" // a webhook was refused (bad signature or secret)
	HealthSendFailed     = "send_failed"     // a message failed to send
)

// ConnectionHealth is what was measured of a connection.
type ConnectionHealth struct {
	LastWebhookAt time.Time
	LastRefusalAt time.Time
	VerifiedAt    time.Time
	// RefusedHour and SendFailedHour count the last hour's refused webhooks and failed sends.
	RefusedHour, SendFailedHour int
	LastRefusal, LastSendError  string
}

// failureWindow is how long failure counts are kept: the cabinet shows the last hour.
const failureWindow = 2 * time.Hour

// RecordHealth notes one health event of a connection at at; detail is the reason of a refusal
// or failure (never a secret). Failures are counted per minute, so a flood of bad webhooks
// costs one row a minute, and rows older than two hours are dropped on the way.
func (s *Store) RecordHealth(ctx context.Context, connectionID, event string, at time.Time, detail string) error {
	return s.tx(ctx, func(q querier) error {
		var set string
		args := []any{connectionID}
		switch event {
		case HealthWebhook:
			set, args = "last_webhook_at = $2", append(args, millis(at))
		case HealthVerified:
			set, args = "verified_at = $2", append(args, millis(at))
		case HealthWebhookRefused:
			set, args = "last_refusal = $2, last_refusal_at = $3", append(args, detail, millis(at))
		case HealthSendFailed:
			set, args = "last_send_error = $2", append(args, detail)
		default:
			return fmt.Errorf("store: unknown health event %q", event)
		}
		if _, err := q.ExecContext(ctx, `INSERT INTO connection_health (connection_id) VALUES ($1)
			ON CONFLICT (connection_id) DO NOTHING`, connectionID); err != nil {
			return err
		}
		if _, err := q.ExecContext(ctx, `UPDATE connection_health SET `+set+` WHERE connection_id = $1`, args...); err != nil {
			return err
		}
		if event != HealthWebhookRefused && event != HealthSendFailed {
			return nil
		}
		minute := at.Unix() / 60
		if _, err := q.ExecContext(ctx, `INSERT INTO connection_failures (connection_id, kind, minute, count)
			VALUES ($1, $2, $3, 1) ON CONFLICT (connection_id, kind, minute)
			DO UPDATE SET count = connection_failures.count + 1`, connectionID, event, minute); err != nil {
			return err
		}
		_, err := q.ExecContext(ctx, `DELETE FROM connection_failures WHERE connection_id = $1 AND minute < $2`,
			connectionID, minute-int64(failureWindow/time.Minute))
		return err
	})
}

// Health reads the measured health of every connection of a workspace, counting failures of
// the hour before now.
func (s *Store) Health(ctx context.Context, workspaceID string, now time.Time) (map[string]ConnectionHealth, error) {
	out := map[string]ConnectionHealth{}
	rows, err := s.r.QueryContext(ctx, `SELECT h.connection_id, h.last_webhook_at, h.last_refusal_at, h.verified_at,
		h.last_refusal, h.last_send_error FROM connection_health h JOIN connections c ON c.id = h.connection_id
		WHERE c.workspace_id = $1`, workspaceID)
	if err != nil {
		return nil, fmt.Errorf("store: health: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var h ConnectionHealth
		var hook, refused, verified int64
		if err := rows.Scan(&id, &hook, &refused, &verified, &h.LastRefusal, &h.LastSendError); err != nil {
			return nil, err
		}
		h.LastWebhookAt, h.LastRefusalAt, h.VerifiedAt = fromMillis(hook), fromMillis(refused), fromMillis(verified)
		out[id] = h
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// The minute an hour ago is only partly inside the hour: counted, so nothing is missed.
	counts, err := s.r.QueryContext(ctx, `SELECT f.connection_id, f.kind, CAST(SUM(f.count) AS BIGINT) FROM connection_failures f
		JOIN connections c ON c.id = f.connection_id WHERE c.workspace_id = $1 AND f.minute >= $2
		GROUP BY f.connection_id, f.kind`, workspaceID, now.Add(-time.Hour).Unix()/60)
	if err != nil {
		return nil, fmt.Errorf("store: health counts: %w", err)
	}
	defer counts.Close()
	for counts.Next() {
		var id, kind string
		var n int
		if err := counts.Scan(&id, &kind, &n); err != nil {
			return nil, err
		}
		h := out[id]
		if kind == HealthWebhookRefused {
			h.RefusedHour = n
		} else {
			h.SendFailedHour = n
		}
		out[id] = h
	}
	return out, counts.Err()
}
