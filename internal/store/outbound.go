package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
)

// Outbox states.
const (
	OutboxPending = "pending"
	OutboxSending = "sending"
	OutboxDone    = "done"
	OutboxDead    = "dead"
)

// CreateOutbound stores an employee's message as queued and puts it in the outbox, in one
// transaction with the chat's update (an outbound message clears the unanswered mark, F11) and
// the events. The same client id in the same chat returns the first message, created=false.
func (s *Store) CreateOutbound(ctx context.Context, m hub.Message) (msg hub.Message, created bool, err error) {
	err = s.tx(ctx, func(q querier) error {
		if m.ClientID != "" {
			existing, err := messageOn(ctx, q, `chat_id = $1 AND client_id = $2`, m.ChatID, m.ClientID)
			if err == nil {
				msg = existing
				return nil
			} else if err != ErrNotFound {
				return err
			}
		}
		now := time.Now().UTC().Truncate(time.Millisecond)
		m.ID, m.Direction, m.Status, m.CreatedAt, m.UpdatedAt = NewID(), hub.DirOut, hub.StatusQueued, now, now
		if ok, err := insertMessage(ctx, q, &m); err != nil {
			return err
		} else if !ok {
			return fmt.Errorf("store: outbound message %s collided", m.ClientID)
		}
		if _, err := q.ExecContext(ctx, `INSERT INTO outbox (message_id, workspace_id, connection_id, state,
			next_attempt_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5, $5)`,
			m.ID, m.WorkspaceID, m.ConnectionID, OutboxPending, millis(now)); err != nil {
			return fmt.Errorf("store: enqueue: %w", err)
		}
		last, err := json.Marshal(m)
		if err != nil {
			return err
		}
		if err := execOneOn(ctx, q, "update chat", `UPDATE chats SET unanswered_count = 0, last_message_id = $3,
			last_message_json = $4, last_activity_at = $5 WHERE workspace_id = $1 AND id = $2`,
			m.WorkspaceID, m.ChatID, m.ID, string(last), millis(now)); err != nil {
			return err
		}
		chat, err := chatOn(ctx, q, m.WorkspaceID, m.ChatID)
		if err != nil {
			return err
		}
		if _, err := appendEvent(ctx, q, m.WorkspaceID, hub.EventMessageCreated, m.ChatID, chat.ContactID, m); err != nil {
			return err
		}
		_, err = touchChat(ctx, q, m.WorkspaceID, m.ChatID)
		msg, created = m, true
		return err
	})
	return msg, created, err
}

// OutboxItem is a message due to be sent.
type OutboxItem struct {
	Message  hub.Message
	Attempts int
}

// ClaimDue marks up to limit due outbox messages as sending and returns them. The message is
// marked sending before the provider is called, so a crash during the call is detectable.
func (s *Store) ClaimDue(ctx context.Context, now time.Time, limit int) ([]OutboxItem, error) {
	var items []OutboxItem
	err := s.tx(ctx, func(q querier) error {
		lock := ""
		if s.dialect == Postgres {
			lock = " FOR UPDATE SKIP LOCKED"
		}
		type due struct {
			ws, id   string
			attempts int
		}
		rows, err := collect(func(r scanner) (due, error) {
			var d due
			return d, r.Scan(&d.ws, &d.id, &d.attempts)
		})(q.QueryContext(ctx, `SELECT workspace_id, message_id, attempts FROM outbox
			WHERE state = $1 AND next_attempt_at <= $2 ORDER BY next_attempt_at, message_id LIMIT $3`+lock,
			OutboxPending, now.UnixMilli(), limit))
		if err != nil {
			return err
		}
		for _, d := range rows {
			if _, err := q.ExecContext(ctx, `UPDATE outbox SET state = $2, attempts = attempts + 1, updated_at = $3
				WHERE message_id = $1`, d.id, OutboxSending, now.UnixMilli()); err != nil {
				return fmt.Errorf("store: claim: %w", err)
			}
			m, err := setMessageStatus(ctx, q, d.ws, d.id, hub.StatusSending, "", "", "")
			if err != nil {
				return err
			}
			items = append(items, OutboxItem{Message: m, Attempts: d.attempts + 1})
		}
		return nil
	})
	return items, err
}

// MarkSent records the provider's id and moves the message to sent (unless a status webhook
// already moved it further).
func (s *Store) MarkSent(ctx context.Context, workspaceID, messageID, providerKey string) (hub.Message, error) {
	return s.finishSend(ctx, workspaceID, messageID, OutboxDone, func(q querier) (hub.Message, error) {
		return setMessageStatus(ctx, q, workspaceID, messageID, hub.StatusSent, providerKey, "", "")
	})
}

// MarkFailed fails the message with a reason for the employee (F20); the outbox gives up on it.
func (s *Store) MarkFailed(ctx context.Context, workspaceID, messageID, code, reason string) (hub.Message, error) {
	return s.finishSend(ctx, workspaceID, messageID, OutboxDead, func(q querier) (hub.Message, error) {
		return setMessageStatus(ctx, q, workspaceID, messageID, hub.StatusFailed, "", code, reason)
	})
}

// Reschedule returns a message to the queue after a transient error, to try again at `at`.
func (s *Store) Reschedule(ctx context.Context, workspaceID, messageID string, at time.Time, lastErr string) error {
	return s.tx(ctx, func(q querier) error {
		if err := execOneOn(ctx, q, "reschedule", `UPDATE outbox SET state = $3, next_attempt_at = $4, last_error = $5,
			updated_at = $6 WHERE workspace_id = $1 AND message_id = $2`, workspaceID, messageID, OutboxPending,
			at.UnixMilli(), lastErr, time.Now().UnixMilli()); err != nil {
			return err
		}
		_, err := q.ExecContext(ctx, `UPDATE messages SET status = $2 WHERE id = $1`, messageID, hub.StatusQueued)
		return err
	})
}

func (s *Store) finishSend(ctx context.Context, workspaceID, messageID, state string, apply func(querier) (hub.Message, error)) (hub.Message, error) {
	var m hub.Message
	err := s.tx(ctx, func(q querier) error {
		if _, err := q.ExecContext(ctx, `UPDATE outbox SET state = $3, updated_at = $4
			WHERE workspace_id = $1 AND message_id = $2`, workspaceID, messageID, state, time.Now().UnixMilli()); err != nil {
			return fmt.Errorf("store: outbox: %w", err)
		}
		var err error
		m, err = apply(q)
		return err
	})
	return m, err
}

// RecoverSending fails every message a crash left mid-call: neither provider has an
// idempotency key, so sending again could deliver twice. The employee sees the reason and
// may retry. It returns how many it failed.
func (s *Store) RecoverSending(ctx context.Context, code, reason string) (int, error) {
	stuck, err := collect(func(r scanner) ([2]string, error) {
		var p [2]string
		return p, r.Scan(&p[0], &p[1])
	})(s.w.QueryContext(ctx, `SELECT workspace_id, message_id FROM outbox WHERE state = $1`, OutboxSending))
	if err != nil {
		return 0, err
	}
	for _, p := range stuck {
		if _, err := s.MarkFailed(ctx, p[0], p[1], code, reason); err != nil {
			return 0, err
		}
	}
	return len(stuck), nil
}

// Retry queues a failed outgoing message again (F20, B2). Its old reason stays until a new
// outcome replaces it.
func (s *Store) Retry(ctx context.Context, workspaceID, messageID string) (hub.Message, error) {
	var m hub.Message
	err := s.tx(ctx, func(q querier) error {
		now := time.Now().UnixMilli()
		if err := execOneOn(ctx, q, "retry", `UPDATE messages SET status = $3, updated_at = $4
			WHERE workspace_id = $1 AND id = $2 AND direction = 'out' AND status = 'failed'`,
			workspaceID, messageID, hub.StatusQueued, now); err != nil {
			return err
		}
		if _, err := q.ExecContext(ctx, `UPDATE outbox SET state = $2, next_attempt_at = $3, updated_at = $3
			WHERE message_id = $1`, messageID, OutboxPending, now); err != nil {
			return fmt.Errorf("store: retry: %w", err)
		}
		var err error
		m, err = messageOn(ctx, q, `workspace_id = $1 AND id = $2`, workspaceID, messageID)
		if err == nil {
			_, err = appendEvent(ctx, q, workspaceID, hub.EventMessageUpdated, m.ChatID, "", m)
		}
		return err
	})
	return m, err
}

// ApplyStatus applies a provider's delivery status to the message with that provider key,
// idempotently and never backwards (B1). changed=false when it was a replay or a downgrade.
func (s *Store) ApplyStatus(ctx context.Context, connectionID, providerKey, status, code, reason string) (m hub.Message, changed bool, err error) {
	err = s.tx(ctx, func(q querier) error {
		cur, err := messageOn(ctx, q, `connection_id = $1 AND provider_key = $2`, connectionID, providerKey)
		if err != nil {
			return err
		}
		m = cur
		if !hub.StatusAdvances(cur.Status, status) {
			return nil
		}
		m, err = setMessageStatus(ctx, q, cur.WorkspaceID, cur.ID, status, "", code, reason)
		changed = err == nil
		return err
	})
	return m, changed, err
}

// setMessageStatus moves a message to status, sets the provider key when given, replaces the
// error when the status is failed (and keeps it otherwise), refreshes the chat's last message
// when it is that one, and logs message.updated.
func setMessageStatus(ctx context.Context, q querier, workspaceID, id, status, providerKey, code, reason string) (hub.Message, error) {
	cur, err := messageOn(ctx, q, `workspace_id = $1 AND id = $2`, workspaceID, id)
	if err != nil {
		return cur, err
	}
	if status != hub.StatusFailed && status != hub.StatusSending && !hub.StatusAdvances(cur.Status, status) {
		status = cur.Status // a webhook got there first
	}
	if status == hub.StatusFailed {
		cur.ErrorCode, cur.ErrorMessage = code, reason
	} else if status != hub.StatusSending && status != hub.StatusQueued {
		cur.ErrorCode, cur.ErrorMessage = "", ""
	}
	if providerKey != "" {
		cur.ProviderKey = providerKey
	}
	cur.Status, cur.UpdatedAt = status, time.Now().UTC().Truncate(time.Millisecond)
	if _, err := q.ExecContext(ctx, `UPDATE messages SET status = $2, provider_key = $3, error_code = $4,
		error_message = $5, updated_at = $6 WHERE id = $1`, id, status, nullStr(cur.ProviderKey),
		cur.ErrorCode, cur.ErrorMessage, millis(cur.UpdatedAt)); err != nil {
		return cur, fmt.Errorf("store: message status: %w", err)
	}
	last, err := json.Marshal(cur)
	if err != nil {
		return cur, err
	}
	if _, err := q.ExecContext(ctx, `UPDATE chats SET last_message_json = $2 WHERE last_message_id = $1`, id, string(last)); err != nil {
		return cur, fmt.Errorf("store: chat last message: %w", err)
	}
	_, err = appendEvent(ctx, q, workspaceID, hub.EventMessageUpdated, cur.ChatID, "", cur)
	return cur, err
}

// ApplyReaction sets (or, with an empty emoji, removes) a customer's reaction on a message.
func (s *Store) ApplyReaction(ctx context.Context, connectionID, providerKey, from, emoji string) (hub.Message, error) {
	var m hub.Message
	err := s.tx(ctx, func(q querier) error {
		var err error
		m, err = messageOn(ctx, q, `connection_id = $1 AND provider_key = $2`, connectionID, providerKey)
		if err != nil {
			return err
		}
		var rs []hub.Reaction
		for _, r := range m.Payload.Reactions {
			if r.From != from {
				rs = append(rs, r)
			}
		}
		if emoji != "" {
			rs = append(rs, hub.Reaction{Emoji: emoji, From: from})
		}
		m.Payload.Reactions = rs
		pj, err := payloadJSON(m.Payload)
		if err != nil {
			return err
		}
		if _, err := q.ExecContext(ctx, `UPDATE messages SET payload_json = $2 WHERE id = $1`, m.ID, pj); err != nil {
			return fmt.Errorf("store: reaction: %w", err)
		}
		_, err = appendEvent(ctx, q, m.WorkspaceID, hub.EventMessageUpdated, m.ChatID, "", m)
		return err
	})
	return m, err
}
