package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"
)

// CommitProbe measures the engine's raw limit for `switchboard bench ingest`: one INSERT of a
// row of body per transaction, on one connection of the writers' pool (the hub's own engine
// settings), for d. It returns how many rows it committed and how long that took. The rows go
// to a scratch table in the hub's database, dropped at the end.
func (s *Store) CommitProbe(ctx context.Context, body []byte, d time.Duration) (int, time.Duration, error) {
	suffix := make([]byte, 6)
	rand.Read(suffix)
	table := "bench_probe_" + hex.EncodeToString(suffix)
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("store: probe: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `CREATE TABLE `+table+` (id TEXT PRIMARY KEY, body TEXT NOT NULL)`); err != nil {
		return 0, 0, fmt.Errorf("store: probe table: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `DROP TABLE `+table)
	text := string(body)
	n, start := 0, time.Now()
	for time.Since(start) < d && ctx.Err() == nil {
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return n, time.Since(start), fmt.Errorf("store: probe: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO `+table+` (id, body) VALUES ($1, $2)`, NewID(), text); err != nil {
			tx.Rollback()
			return n, time.Since(start), fmt.Errorf("store: probe: %w", err)
		}
		if err := tx.Commit(); err != nil {
			return n, time.Since(start), fmt.Errorf("store: probe: %w", err)
		}
		n++
	}
	return n, time.Since(start), nil
}

// WebhookTally counts a connection's stored webhooks by what became of them.
type WebhookTally struct{ Processed, GivenUp, Waiting int }

// TallyWebhooks counts the connection's stored webhooks: processed by the inbound worker
// (message and event committed), given up, and still waiting.
func (s *Store) TallyWebhooks(ctx context.Context, connectionID string) (WebhookTally, error) {
	var t WebhookTally
	err := s.r.QueryRowContext(ctx, `SELECT
		COALESCE(SUM(CASE WHEN processed_at > 0 THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN given_up_at > 0 THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN processed_at = 0 AND given_up_at = 0 THEN 1 ELSE 0 END), 0)
		FROM inbound_webhooks WHERE connection_id = $1`, connectionID).Scan(&t.Processed, &t.GivenUp, &t.Waiting)
	if err != nil {
		err = fmt.Errorf("store: count webhooks: %w", err)
	}
	return t, err
}
