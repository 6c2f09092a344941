package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
)

const chatCols = `id, workspace_id, connection_id, kind, COALESCE(contact_id, ''), external_chat_id, title,
	unanswered_count, refused_count, last_message_json, last_activity_at, last_inbound_at, stopped_at, created_at`

func scanChat(row scanner) (hub.Chat, error) {
	var c hub.Chat
	var last sql.NullString
	var activity, inbound, stopped, created int64
	err := row.Scan(&c.ID, &c.WorkspaceID, &c.ConnectionID, &c.Kind, &c.ContactID, &c.ExternalChatID, &c.Title,
		&c.UnansweredCount, &c.RefusedCount, &last, &activity, &inbound, &stopped, &created)
	if err != nil {
		return c, notFound(err)
	}
	c.LastActivityAt, c.LastInboundAt, c.CreatedAt = fromMillis(activity), fromMillis(inbound), fromMillis(created)
	c.StoppedAt = fromMillis(stopped)
	if last.Valid && last.String != "" {
		c.LastMessage = new(hub.Message)
		if err := json.Unmarshal([]byte(last.String), c.LastMessage); err != nil {
			return c, fmt.Errorf("store: chat %s last message: %w", c.ID, err)
		}
	}
	return c, nil
}

// Chat returns the workspace's chat with that id.
func (s *Store) Chat(ctx context.Context, workspaceID, id string) (hub.Chat, error) {
	return chatOn(ctx, s.r, workspaceID, id)
}

func chatOn(ctx context.Context, q querier, workspaceID, id string) (hub.Chat, error) {
	return scanChat(q.QueryRowContext(ctx, `SELECT `+chatCols+` FROM chats WHERE workspace_id = $1 AND id = $2`,
		workspaceID, id))
}

// ChatByExternal finds a connection's chat by the provider's chat id.
func (s *Store) ChatByExternal(ctx context.Context, connectionID, externalChatID string) (hub.Chat, error) {
	return chatByExternal(ctx, s.r, connectionID, externalChatID)
}

func chatByExternal(ctx context.Context, q querier, connectionID, externalChatID string) (hub.Chat, error) {
	return scanChat(q.QueryRowContext(ctx, `SELECT `+chatCols+` FROM chats
		WHERE connection_id = $1 AND external_chat_id = $2`, connectionID, externalChatID))
}

// ChatsOfContact lists a contact's chats, most recently active first.
func (s *Store) ChatsOfContact(ctx context.Context, workspaceID, contactID string) ([]hub.Chat, error) {
	return collect(scanChat)(s.r.QueryContext(ctx, `SELECT `+chatCols+` FROM chats
		WHERE workspace_id = $1 AND contact_id = $2 ORDER BY last_activity_at DESC, id DESC`, workspaceID, contactID))
}

// CreateChat inserts c, or returns the connection's existing chat with the same external id
// (created=false), so a concurrent inbound message and a create-chat never make two.
func (s *Store) CreateChat(ctx context.Context, c hub.Chat) (chat hub.Chat, created bool, err error) {
	err = s.tx(ctx, func(q querier) error {
		chat, created, err = ensureChat(ctx, q, c)
		if err == nil && created {
			chat, err = touchChat(ctx, q, chat.WorkspaceID, chat.ID) // the contact's activity moves too
		}
		return err
	})
	return chat, created, err
}

// ensureChat returns the connection's chat with c's external id, made from c when there is
// none (created). It looks first: the chat exists for every message but a conversation's first.
func ensureChat(ctx context.Context, q querier, c hub.Chat) (hub.Chat, bool, error) {
	if existing, err := chatByExternal(ctx, q, c.ConnectionID, c.ExternalChatID); !errors.Is(err, ErrNotFound) {
		return existing, false, err
	}
	if c.ID == "" {
		c.ID = NewID()
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	if c.CreatedAt.IsZero() {
		c.CreatedAt = now
	}
	if c.LastActivityAt.IsZero() {
		c.LastActivityAt = now
	}
	res, err := q.ExecContext(ctx, `INSERT INTO chats (id, workspace_id, connection_id, kind, contact_id,
		external_chat_id, title, last_activity_at, last_inbound_at, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (connection_id, external_chat_id) DO NOTHING`,
		c.ID, c.WorkspaceID, c.ConnectionID, c.Kind, nullStr(c.ContactID), c.ExternalChatID, c.Title,
		millis(c.LastActivityAt), millis(c.LastInboundAt), millis(c.CreatedAt))
	if err != nil {
		return c, false, fmt.Errorf("store: create chat: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return c, true, nil
	}
	existing, err := chatByExternal(ctx, q, c.ConnectionID, c.ExternalChatID)
	return existing, false, err
}

// ClearUnanswered drops the unanswered mark ("No reply needed", F11) and logs chat.updated.
func (s *Store) ClearUnanswered(ctx context.Context, workspaceID, chatID string) (hub.Chat, error) {
	var chat hub.Chat
	err := s.tx(ctx, func(q querier) error {
		if err := execOneOn(ctx, q, "clear unanswered", `UPDATE chats SET unanswered_count = 0
			WHERE workspace_id = $1 AND id = $2`, workspaceID, chatID); err != nil {
			return err
		}
		var err error
		chat, err = touchChat(ctx, q, workspaceID, chatID)
		return err
	})
	return chat, err
}

// touchChat recounts the contact's unanswered chats after a chat changed and logs chat.updated.
// The recount is one write whose subqueries range over the index of the contact's chats
// (workspace_id leads it: without it they scanned every chat).
func touchChat(ctx context.Context, q querier, workspaceID, chatID string) (hub.Chat, error) {
	chat, err := chatOn(ctx, q, workspaceID, chatID)
	if err != nil {
		return chat, err
	}
	return chat, touched(ctx, q, chat)
}

// touched is touchChat for a chat just read (or returned by the write that changed it).
func touched(ctx context.Context, q querier, chat hub.Chat) error {
	if chat.ContactID != "" {
		var unanswered, last int64
		if err := q.QueryRowContext(ctx, `UPDATE contacts SET
			unanswered_chats = (SELECT COUNT(*) FROM chats WHERE workspace_id = $1 AND contact_id = $2 AND unanswered_count > 0),
			last_activity_at = (SELECT MAX(last_activity_at) FROM chats WHERE workspace_id = $1 AND contact_id = $2)
			WHERE workspace_id = $1 AND id = $2 RETURNING unanswered_chats, last_activity_at`,
			chat.WorkspaceID, chat.ContactID).Scan(&unanswered, &last); err != nil {
			return fmt.Errorf("store: contact activity: %w", err)
		}
		if err := moveVisibility(ctx, q, chat.ContactID, unanswered > 0, last); err != nil {
			return err
		}
	}
	_, err := appendEvent(ctx, q, chat.WorkspaceID, hub.EventChatUpdated, chat.ID, chat.ContactID, chat)
	return err
}

// SetGroupTitle names a group chat that has no title yet (logs chat.updated); a title set
// meanwhile is kept.
func (s *Store) SetGroupTitle(ctx context.Context, workspaceID, chatID, title string) (hub.Chat, error) {
	var chat hub.Chat
	err := s.tx(ctx, func(q querier) error {
		if _, err := q.ExecContext(ctx, `UPDATE chats SET title = $3 WHERE workspace_id = $1 AND id = $2 AND title = ''`,
			workspaceID, chatID, title); err != nil {
			return fmt.Errorf("store: group title: %w", err)
		}
		var err error
		chat, err = touchChat(ctx, q, workspaceID, chatID)
		return err
	})
	return chat, err
}

// ChatsOfConnection lists a connection's chats, most recently active first.
func (s *Store) ChatsOfConnection(ctx context.Context, workspaceID, connectionID string) ([]hub.Chat, error) {
	return collect(scanChat)(s.r.QueryContext(ctx, `SELECT `+chatCols+` FROM chats
		WHERE workspace_id = $1 AND connection_id = $2 ORDER BY last_activity_at DESC, id DESC`, workspaceID, connectionID))
}
