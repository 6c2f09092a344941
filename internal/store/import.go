package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/switchboardhq/switchboard/internal/hub"
)

// ImportMessages writes a chat's past messages as they were (directions, statuses, times,
// attachments, replies) without sending anything, then sets the chat's last message,
// unanswered count (inbound messages after the last outbound one) and WABA window from what is
// now stored, and logs chat.updated. It serves history imports and the sandbox's demo data.
// Messages whose provider key or client id is already stored are skipped, so an import can be
// repeated. Ids may be preset (so replies can point at earlier messages of the same import).
func (s *Store) ImportMessages(ctx context.Context, workspaceID, chatID string, msgs []hub.Message) (hub.Chat, error) {
	var chat hub.Chat
	err := s.tx(ctx, func(q querier) error {
		cur, err := chatOn(ctx, q, workspaceID, chatID)
		if err != nil {
			return err
		}
		for i := range msgs {
			m := &msgs[i]
			if m.ID == "" {
				m.ID = NewID()
			}
			m.WorkspaceID, m.ChatID, m.ConnectionID = workspaceID, chatID, cur.ConnectionID
			if m.UpdatedAt.IsZero() {
				m.UpdatedAt = m.CreatedAt
			}
			if _, err := insertMessage(ctx, q, m); err != nil {
				return err
			}
		}
		if err := recountChat(ctx, q, chatID); err != nil {
			return err
		}
		chat, err = touchChat(ctx, q, workspaceID, chatID)
		return err
	})
	return chat, err
}

// recountChat derives a chat's denormalized columns from its visible messages.
func recountChat(ctx context.Context, q querier, chatID string) error {
	last, err := messageOn(ctx, q, `chat_id = $1 AND hidden = FALSE ORDER BY created_at DESC, id DESC LIMIT 1`, chatID)
	if err == ErrNotFound {
		return nil
	} else if err != nil {
		return err
	}
	lastJSON, err := json.Marshal(last)
	if err != nil {
		return err
	}
	_, err = q.ExecContext(ctx, `UPDATE chats SET last_message_id = $2, last_message_json = $3,
		last_activity_at = $4,
		last_inbound_at = COALESCE((SELECT MAX(created_at) FROM messages
			WHERE chat_id = $1 AND direction = 'in' AND hidden = FALSE), 0),
		unanswered_count = (SELECT COUNT(*) FROM messages m WHERE m.chat_id = $1 AND m.direction = 'in'
			AND m.hidden = FALSE AND m.created_at > COALESCE((SELECT MAX(o.created_at) FROM messages o
			WHERE o.chat_id = $1 AND o.direction = 'out'), 0))
		WHERE id = $1`, chatID, last.ID, string(lastJSON), millis(last.CreatedAt))
	if err != nil {
		return fmt.Errorf("store: recount chat: %w", err)
	}
	return nil
}
