package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
)

// SetBusinessReaction puts the business's reaction (emoji, "" to take it off) on a message, as
// employeeID set it, and queues it for the messenger in the same transaction: the chat window
// shows it at once, and the reaction outbox delivers it even across a crash. A newer reaction
// on the same message replaces one not yet sent.
func (s *Store) SetBusinessReaction(ctx context.Context, workspaceID, messageID, employeeID, emoji string, now time.Time) (hub.Message, error) {
	var m hub.Message
	err := s.tx(ctx, func(q querier) error {
		var err error
		if m, err = messageOn(ctx, q, `workspace_id = $1 AND id = $2`, workspaceID, messageID); err != nil {
			return err
		}
		if m, err = writeBusinessReaction(ctx, q, m, employeeID, emoji); err != nil {
			return err
		}
		_, err = q.ExecContext(ctx, `INSERT INTO reaction_outbox (message_id, workspace_id, emoji, next_attempt_at)
			VALUES ($1, $2, $3, $4)
			ON CONFLICT (message_id) DO UPDATE SET emoji = excluded.emoji, version = reaction_outbox.version + 1,
				attempts = 0, next_attempt_at = excluded.next_attempt_at, last_error = ''`,
			m.ID, workspaceID, emoji, now.UnixMilli())
		if err != nil {
			return fmt.Errorf("store: queue reaction: %w", err)
		}
		return nil
	})
	return m, err
}

// writeBusinessReaction replaces the business's reaction in m's payload and logs the update.
func writeBusinessReaction(ctx context.Context, q querier, m hub.Message, employeeID, emoji string) (hub.Message, error) {
	var rs []hub.Reaction
	for _, r := range m.Payload.Reactions {
		if r.EmployeeID == "" {
			rs = append(rs, r)
		}
	}
	if emoji != "" {
		rs = append(rs, hub.Reaction{Emoji: emoji, EmployeeID: employeeID})
	}
	m.Payload.Reactions = rs
	pj, err := payloadJSON(m.Payload)
	if err != nil {
		return m, err
	}
	if _, err := q.ExecContext(ctx, `UPDATE messages SET payload_json = $2 WHERE id = $1`, m.ID, pj); err != nil {
		return m, fmt.Errorf("store: reaction: %w", err)
	}
	_, err = appendEvent(ctx, q, m.WorkspaceID, hub.EventMessageUpdated, m.ChatID, "", m)
	return m, err
}

// ReactionJob is a business reaction claimed for delivery.
type ReactionJob struct {
	Message  hub.Message // the message reacted on
	Emoji    string
	Version  int
	Attempts int
}

// ClaimReaction claims the next due reaction for owner until now+lease; false when none is
// due. Rows another instance holds (an unexpired lease) are skipped.
func (s *Store) ClaimReaction(ctx context.Context, owner string, now time.Time, lease time.Duration) (ReactionJob, bool, error) {
	var j ReactionJob
	found := false
	err := s.tx(ctx, func(q querier) error {
		var wsID, msgID string
		err := q.QueryRowContext(ctx, `SELECT workspace_id, message_id, emoji, version, attempts FROM reaction_outbox
			WHERE next_attempt_at <= $1 AND lease_until <= $1 ORDER BY next_attempt_at, message_id LIMIT 1`+s.skipLocked(),
			now.UnixMilli()).Scan(&wsID, &msgID, &j.Emoji, &j.Version, &j.Attempts)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		} else if err != nil {
			return fmt.Errorf("store: claim reaction: %w", err)
		}
		if _, err := q.ExecContext(ctx, `UPDATE reaction_outbox SET owner = $2, lease_until = $3, attempts = attempts + 1
			WHERE message_id = $1`, msgID, owner, now.Add(lease).UnixMilli()); err != nil {
			return fmt.Errorf("store: claim reaction: %w", err)
		}
		j.Attempts++
		if j.Message, err = messageOn(ctx, q, `workspace_id = $1 AND id = $2`, wsID, msgID); err != nil {
			return err
		}
		found = true
		return nil
	})
	return j, found, err
}

// FinishReaction ends a delivered reaction. A newer one set meanwhile stays queued and is due
// at once.
func (s *Store) FinishReaction(ctx context.Context, j ReactionJob) error {
	return s.tx(ctx, func(q querier) error {
		done, err := q.ExecContext(ctx, `DELETE FROM reaction_outbox WHERE message_id = $1 AND version = $2`, j.Message.ID, j.Version)
		if err != nil {
			return fmt.Errorf("store: finish reaction: %w", err)
		}
		if n, _ := done.RowsAffected(); n == 0 {
			_, err = q.ExecContext(ctx, `UPDATE reaction_outbox SET owner = '', lease_until = 0 WHERE message_id = $1`, j.Message.ID)
		}
		return err
	})
}

// RescheduleReaction puts a reaction back in the queue, due at at, after a transient failure.
func (s *Store) RescheduleReaction(ctx context.Context, j ReactionJob, at time.Time, lastErr string) error {
	_, err := s.w.ExecContext(ctx, `UPDATE reaction_outbox SET next_attempt_at = $2, owner = '', lease_until = 0, last_error = $3
		WHERE message_id = $1`, j.Message.ID, at.UnixMilli(), lastErr)
	if err != nil {
		return fmt.Errorf("store: reschedule reaction: %w", err)
	}
	return nil
}

// DropReaction gives up a reaction the messenger refused: it leaves the queue and, unless a
// newer one replaced it, the message, so the chat window no longer shows what the customer
// never saw.
func (s *Store) DropReaction(ctx context.Context, j ReactionJob) (hub.Message, error) {
	m := j.Message
	err := s.tx(ctx, func(q querier) error {
		gone, err := q.ExecContext(ctx, `DELETE FROM reaction_outbox WHERE message_id = $1 AND version = $2`, m.ID, j.Version)
		if err != nil {
			return fmt.Errorf("store: drop reaction: %w", err)
		}
		if n, _ := gone.RowsAffected(); n == 0 {
			_, err = q.ExecContext(ctx, `UPDATE reaction_outbox SET owner = '', lease_until = 0 WHERE message_id = $1`, m.ID)
			return err
		}
		if m, err = messageOn(ctx, q, `workspace_id = $1 AND id = $2`, m.WorkspaceID, m.ID); err != nil {
			return err
		}
		m, err = writeBusinessReaction(ctx, q, m, "", "")
		return err
	})
	return m, err
}

// LastInboundKey is the provider key of the customer's last message in a chat ("" when they
// have written none): what WhatsApp's typing indicator answers.
func (s *Store) LastInboundKey(ctx context.Context, workspaceID, chatID string) (string, error) {
	var key string
	err := s.r.QueryRowContext(ctx, `SELECT provider_key FROM messages
		WHERE workspace_id = $1 AND chat_id = $2 AND direction = $3 AND provider_key <> ''
		ORDER BY created_at DESC, id DESC LIMIT 1`, workspaceID, chatID, hub.DirIn).Scan(&key)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return key, err
}
