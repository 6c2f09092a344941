package store

import (
	"context"
	"encoding/json"
	"errors"
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

// OutboxItem is a message due to be sent, claimed by one instance until its lease runs out.
type OutboxItem struct {
	Message  hub.Message
	Attempts int
}

// ErrLeaseLost means a claimed row is no longer this instance's: its lease ran out and another
// instance (or recovery) took it.
var ErrLeaseLost = errors.New("store: lease lost")

// ClaimDue marks up to limit due outbox messages as sending, owned by owner until now+lease,
// and returns them. The message is marked sending before the provider is called, so a crash
// during the call is detectable; the lease says when the owner is presumed dead. On PostgreSQL
// rows another instance is claiming are skipped (SKIP LOCKED); on SQLite the single writer
// serialises claims.
func (s *Store) ClaimDue(ctx context.Context, owner string, now time.Time, lease time.Duration, limit int) ([]OutboxItem, error) {
	var items []OutboxItem
	err := s.tx(ctx, func(q querier) error {
		type due struct {
			ws, id   string
			attempts int
		}
		rows, err := collect(func(r scanner) (due, error) {
			var d due
			return d, r.Scan(&d.ws, &d.id, &d.attempts)
		})(q.QueryContext(ctx, `SELECT workspace_id, message_id, attempts FROM outbox
			WHERE state = $1 AND next_attempt_at <= $2 ORDER BY next_attempt_at, message_id LIMIT $3`+s.skipLocked(),
			OutboxPending, now.UnixMilli(), limit))
		if err != nil {
			return err
		}
		for _, d := range rows {
			if _, err := q.ExecContext(ctx, `UPDATE outbox SET state = $2, attempts = attempts + 1, updated_at = $3,
				owner = $4, lease_until = $5 WHERE message_id = $1`, d.id, OutboxSending, now.UnixMilli(), owner,
				now.Add(lease).UnixMilli()); err != nil {
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

// skipLocked is the row-locking suffix of a claim's SELECT: PostgreSQL locks the chosen rows
// and skips those another transaction holds; SQLite's single writer needs none.
func (s *Store) skipLocked() string {
	if s.dialect == Postgres {
		return " FOR UPDATE SKIP LOCKED"
	}
	return ""
}

// RenewSend extends owner's lease on a message being sent to until; ErrLeaseLost when the
// row is no longer owner's sending row.
func (s *Store) RenewSend(ctx context.Context, owner, messageID string, until time.Time) error {
	res, err := s.w.ExecContext(ctx, `UPDATE outbox SET lease_until = $3 WHERE message_id = $1 AND owner = $2 AND state = $4`,
		messageID, owner, until.UnixMilli(), OutboxSending)
	if err != nil {
		return fmt.Errorf("store: renew send: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrLeaseLost
	}
	return nil
}

// MarkSent records the provider's id and moves the message to sent (unless a status webhook
// already moved it further). It is the provider's word, so it stands even when recovery had
// already given the message up as "outcome unknown" or an employee had queued it again. Any
// status that arrived before it (parked) is applied right after.
func (s *Store) MarkSent(ctx context.Context, workspaceID, messageID, providerKey string) (hub.Message, error) {
	m, err := s.finishSend(ctx, workspaceID, messageID, OutboxDone, "", func(q querier) (hub.Message, error) {
		return setMessageStatus(ctx, q, workspaceID, messageID, hub.StatusSent, providerKey, "", "")
	})
	if err != nil {
		return m, err
	}
	if applied, err := s.applyParked(ctx, m.ConnectionID, providerKey); err != nil {
		// The sweep (ApplyParkedStatuses) applies it later.
		return m, nil
	} else if applied.ID != "" {
		m = applied
	}
	return m, nil
}

// MarkFailed fails the message with a reason for the employee (F20); the outbox gives up on it.
// A message already recorded as sent stays sent.
func (s *Store) MarkFailed(ctx context.Context, workspaceID, messageID, code, reason string) (hub.Message, error) {
	return s.finishSend(ctx, workspaceID, messageID, OutboxDead, OutboxDone, func(q querier) (hub.Message, error) {
		return setMessageStatus(ctx, q, workspaceID, messageID, hub.StatusFailed, "", code, reason)
	})
}

// Reschedule returns a message to the queue after a transient error, to try again at `at`
// (unless it was meanwhile recorded as sent).
func (s *Store) Reschedule(ctx context.Context, workspaceID, messageID string, at time.Time, lastErr string) error {
	return s.tx(ctx, func(q querier) error {
		if _, err := messageOn(ctx, q, `workspace_id = $1 AND id = $2`, workspaceID, messageID); err != nil {
			return err
		}
		res, err := q.ExecContext(ctx, `UPDATE outbox SET state = $3, next_attempt_at = $4, last_error = $5,
			updated_at = $6, owner = '', lease_until = 0 WHERE workspace_id = $1 AND message_id = $2 AND state <> $7`,
			workspaceID, messageID, OutboxPending, at.UnixMilli(), lastErr, time.Now().UnixMilli(), OutboxDone)
		if err != nil {
			return fmt.Errorf("store: reschedule: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		_, err = q.ExecContext(ctx, `UPDATE messages SET status = $2 WHERE id = $1`, messageID, hub.StatusQueued)
		return err
	})
}

// finishSend moves the outbox row to state (unless it is in state keep) and applies the
// message's change with it.
func (s *Store) finishSend(ctx context.Context, workspaceID, messageID, state, keep string, apply func(querier) (hub.Message, error)) (hub.Message, error) {
	var m hub.Message
	err := s.tx(ctx, func(q querier) error {
		var err error
		if m, err = messageOn(ctx, q, `workspace_id = $1 AND id = $2`, workspaceID, messageID); err != nil {
			return err
		}
		res, err := q.ExecContext(ctx, `UPDATE outbox SET state = $3, updated_at = $4, owner = '', lease_until = 0
			WHERE workspace_id = $1 AND message_id = $2 AND state <> $5`, workspaceID, messageID, state,
			time.Now().UnixMilli(), keep)
		if err != nil {
			return fmt.Errorf("store: outbox: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 && keep != "" {
			return nil
		}
		m, err = apply(q)
		return err
	})
	return m, err
}

// RecoverSending fails the messages whose sender's lease ran out before now mid-call: neither
// provider has an idempotency key, so sending again could deliver twice. The employee sees the
// reason and may retry. Rows another instance is still working on (lease live) are left alone.
// It returns how many it failed.
func (s *Store) RecoverSending(ctx context.Context, now time.Time, code, reason string) (int, error) {
	stuck, err := collect(func(r scanner) ([2]string, error) {
		var p [2]string
		return p, r.Scan(&p[0], &p[1])
	})(s.w.QueryContext(ctx, `SELECT workspace_id, message_id FROM outbox WHERE state = $1 AND lease_until <= $2`,
		OutboxSending, now.UnixMilli()))
	if err != nil {
		return 0, err
	}
	n := 0
	for _, p := range stuck {
		failed := false
		err := s.tx(ctx, func(q querier) error {
			// Checked again under the write: the owner may have finished or renewed meanwhile.
			res, err := q.ExecContext(ctx, `UPDATE outbox SET state = $3, updated_at = $4, owner = '', lease_until = 0
				WHERE workspace_id = $1 AND message_id = $2 AND state = $5 AND lease_until <= $6`,
				p[0], p[1], OutboxDead, time.Now().UnixMilli(), OutboxSending, now.UnixMilli())
			if err != nil {
				return fmt.Errorf("store: recover: %w", err)
			}
			if k, _ := res.RowsAffected(); k == 0 {
				return nil
			}
			_, err = setMessageStatus(ctx, q, p[0], p[1], hub.StatusFailed, "", code, reason)
			failed = err == nil
			return err
		})
		if err != nil {
			return n, err
		}
		if failed {
			n++
		}
	}
	return n, nil
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
// idempotently and never backwards (B1). changed=false when it was a replay or a downgrade;
// ErrNotFound when no message has that key (see ParkStatus).
func (s *Store) ApplyStatus(ctx context.Context, connectionID, providerKey, status, code, reason string) (m hub.Message, changed bool, err error) {
	err = s.tx(ctx, func(q querier) error {
		cur, err := messageOn(ctx, q, `connection_id = $1 AND provider_key = $2`, connectionID, providerKey)
		if err != nil {
			return err
		}
		m, changed, err = applyStatusOn(ctx, q, cur, status, code, reason)
		return err
	})
	return m, changed, err
}

func applyStatusOn(ctx context.Context, q querier, cur hub.Message, status, code, reason string) (hub.Message, bool, error) {
	if !hub.StatusAdvances(cur.Status, status) {
		return cur, false, nil
	}
	m, err := setMessageStatus(ctx, q, cur.WorkspaceID, cur.ID, status, "", code, reason)
	return m, err == nil, err
}

// ParkStatus keeps a status whose message the hub has not recorded yet (the provider's report
// overtook the answer to the send), to be applied when the send is recorded. Then it applies it
// at once if the message was recorded meanwhile: MarkSent looks for parked statuses after its
// commit and this looks for the message after its own, so one of the two always sees the other.
func (s *Store) ParkStatus(ctx context.Context, connectionID, providerKey, status, code, reason string, at time.Time) error {
	if _, err := s.w.ExecContext(ctx, `INSERT INTO parked_statuses (connection_id, provider_key, status, error_code,
		error_message, received_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
		connectionID, providerKey, status, code, reason, at.UnixMilli()); err != nil {
		return fmt.Errorf("store: park status: %w", err)
	}
	_, err := s.applyParked(ctx, connectionID, providerKey)
	return err
}

// applyParked applies (oldest first) and deletes the parked statuses of a recorded message; it
// returns the message after them, or a zero message when there was nothing to apply.
func (s *Store) applyParked(ctx context.Context, connectionID, providerKey string) (hub.Message, error) {
	var m hub.Message
	err := s.tx(ctx, func(q querier) error {
		type parked struct{ status, code, reason string }
		ps, err := collect(func(r scanner) (parked, error) {
			var p parked
			return p, r.Scan(&p.status, &p.code, &p.reason)
		})(q.QueryContext(ctx, `SELECT status, error_code, error_message FROM parked_statuses
			WHERE connection_id = $1 AND provider_key = $2 ORDER BY received_at`, connectionID, providerKey))
		if err != nil || len(ps) == 0 {
			return err
		}
		cur, err := messageOn(ctx, q, `connection_id = $1 AND provider_key = $2`, connectionID, providerKey)
		if err == ErrNotFound {
			return nil
		} else if err != nil {
			return err
		}
		for _, p := range ps {
			if cur, _, err = applyStatusOn(ctx, q, cur, p.status, p.code, p.reason); err != nil {
				return err
			}
		}
		m = cur
		_, err = q.ExecContext(ctx, `DELETE FROM parked_statuses WHERE connection_id = $1 AND provider_key = $2`,
			connectionID, providerKey)
		return err
	})
	return m, err
}

// ApplyParkedStatuses applies parked statuses whose messages are recorded now (a safety net
// for a MarkSent whose follow-up failed) and returns how many messages it updated.
func (s *Store) ApplyParkedStatuses(ctx context.Context) (int, error) {
	keys, err := collect(func(r scanner) ([2]string, error) {
		var k [2]string
		return k, r.Scan(&k[0], &k[1])
	})(s.r.QueryContext(ctx, `SELECT DISTINCT p.connection_id, p.provider_key FROM parked_statuses p
		JOIN messages m ON m.connection_id = p.connection_id AND m.provider_key = p.provider_key LIMIT 100`))
	if err != nil {
		return 0, err
	}
	n := 0
	for _, k := range keys {
		m, err := s.applyParked(ctx, k[0], k[1])
		if err != nil {
			return n, err
		}
		if m.ID != "" {
			n++
		}
	}
	return n, nil
}

// ParkedStatuses counts the statuses waiting for their messages.
func (s *Store) ParkedStatuses(ctx context.Context) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM parked_statuses`).Scan(&n)
	return n, err
}

// PruneParkedStatuses forgets parked statuses received before before: reports for messages
// this hub never sent (another app on the same number) would otherwise wait for ever.
func (s *Store) PruneParkedStatuses(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.w.ExecContext(ctx, `DELETE FROM parked_statuses WHERE received_at < $1`, before.UnixMilli())
	if err != nil {
		return 0, fmt.Errorf("store: prune parked statuses: %w", err)
	}
	return res.RowsAffected()
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
