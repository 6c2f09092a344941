package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
)

// appendEvent allocates the workspace's next seq and logs the event, inside the caller's
// transaction. The counter row is updated first, so concurrent writers of one workspace queue
// on its row lock (PostgreSQL) or the single writer (SQLite): seq has no gaps, and an event
// becomes visible only after every smaller seq has committed.
func appendEvent(ctx context.Context, q querier, workspaceID, typ, chatID, contactID string, data any) (int64, error) {
	body, err := json.Marshal(data)
	if err != nil {
		return 0, fmt.Errorf("store: event data: %w", err)
	}
	var seq int64
	t, _ := q.(*txQuerier)
	created := time.Now().UnixMilli()
	if t != nil && t.dialect == Postgres {
		// One round trip instead of two (SQLite has no writes inside WITH, and no round trips).
		if err := q.QueryRowContext(ctx, `WITH s AS (UPDATE workspaces SET event_seq = event_seq + 1 WHERE id = $1
			RETURNING event_seq) INSERT INTO events (workspace_id, seq, type, chat_id, contact_id, data_json, created_at)
			SELECT $1, event_seq, $2, $3, $4, $5, $6 FROM s RETURNING seq`, workspaceID, typ, chatID, contactID,
			string(body), created).Scan(&seq); err != nil {
			return 0, fmt.Errorf("store: append event: %w", notFound(err))
		}
	} else {
		if last, ok := t.lastSeq(workspaceID); ok {
			// SQLite: the transaction holds the one writer, so the seq after the last one it
			// took is free; the workspace's counter is written once, before the commit.
			seq = last + 1
			t.seqsTaken[workspaceID] = true
		} else if err := q.QueryRowContext(ctx, `UPDATE workspaces SET event_seq = event_seq + 1 WHERE id = $1
			RETURNING event_seq`, workspaceID).Scan(&seq); err != nil {
			return 0, fmt.Errorf("store: allocate seq: %w", notFound(err))
		}
		if _, err := q.ExecContext(ctx, `INSERT INTO events (workspace_id, seq, type, chat_id, contact_id, data_json, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, workspaceID, seq, typ, chatID, contactID, string(body),
			created); err != nil {
			return 0, fmt.Errorf("store: append event: %w", err)
		}
	}
	if t != nil {
		t.noteEvent(hub.Event{WorkspaceID: workspaceID, Seq: seq, Type: typ, ChatID: chatID, ContactID: contactID,
			Data: body, CreatedAt: fromMillis(created)})
	}
	return seq, nil
}

// AppendEvent logs an event on its own (for changes made outside the store's own transactions).
func (s *Store) AppendEvent(ctx context.Context, workspaceID, typ, chatID, contactID string, data any) (int64, error) {
	var seq int64
	err := s.tx(ctx, func(q querier) error {
		var err error
		seq, err = appendEvent(ctx, q, workspaceID, typ, chatID, contactID, data)
		return err
	})
	return seq, err
}

// EventHead is the workspace's latest seq (0 before any event).
func (s *Store) EventHead(ctx context.Context, workspaceID string) (int64, error) {
	var seq int64
	err := s.r.QueryRowContext(ctx, `SELECT event_seq FROM workspaces WHERE id = $1`, workspaceID).Scan(&seq)
	return seq, notFound(err)
}

// EventsSince returns up to limit events with seq > since, in order.
func (s *Store) EventsSince(ctx context.Context, workspaceID string, since int64, limit int) ([]hub.Event, error) {
	return collect(scanEvent)(s.r.QueryContext(ctx, `SELECT workspace_id, seq, type, chat_id, contact_id, data_json,
		created_at FROM events WHERE workspace_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`, workspaceID, since, limit))
}

// OldestEvent is the smallest seq still kept (0 when the log is empty); replay from before it
// is impossible and the window must resync.
func (s *Store) OldestEvent(ctx context.Context, workspaceID string) (int64, error) {
	var seq int64
	err := s.r.QueryRowContext(ctx, `SELECT COALESCE(MIN(seq), 0) FROM events WHERE workspace_id = $1`, workspaceID).Scan(&seq)
	return seq, err
}

// PruneEvents drops events older than before, keeping the log short.
func (s *Store) PruneEvents(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.w.ExecContext(ctx, `DELETE FROM events WHERE created_at < $1`, before.UnixMilli())
	if err != nil {
		return 0, fmt.Errorf("store: prune events: %w", err)
	}
	return res.RowsAffected()
}

func scanEvent(row scanner) (hub.Event, error) {
	var e hub.Event
	var data string
	var created int64
	err := row.Scan(&e.WorkspaceID, &e.Seq, &e.Type, &e.ChatID, &e.ContactID, &data, &created)
	e.Data, e.CreatedAt = []byte(data), fromMillis(created)
	return e, err
}
