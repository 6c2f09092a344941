package store

import (
	"context"
	"fmt"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
)

// ApplyEdit puts a customer's new text on their message and marks it edited, logging
// message.updated. An unknown provider key is ErrNotFound.
func (s *Store) ApplyEdit(ctx context.Context, connectionID, providerKey, text string) (hub.Message, error) {
	return s.changeInbound(ctx, connectionID, providerKey, func(m *hub.Message) bool {
		if m.Text == text && m.Payload.Edited {
			return false
		}
		m.Text, m.Payload.Edited = text, true
		return true
	})
}

// ApplyRemoval marks a message the customer deleted; the hub keeps what it received and the
// chat window shows it as deleted.
func (s *Store) ApplyRemoval(ctx context.Context, connectionID, providerKey string) (hub.Message, error) {
	return s.changeInbound(ctx, connectionID, providerKey, func(m *hub.Message) bool {
		if m.Payload.Removed {
			return false
		}
		m.Payload.Removed = true
		return true
	})
}

// changeInbound applies change to the message in one transaction and logs message.updated when
// it changed something (a redelivered edit changes nothing).
func (s *Store) changeInbound(ctx context.Context, connectionID, providerKey string, change func(*hub.Message) bool) (hub.Message, error) {
	var m hub.Message
	err := s.tx(ctx, func(q querier) error {
		var err error
		m, err = messageOn(ctx, q, `connection_id = $1 AND provider_key = $2`, connectionID, providerKey)
		if err != nil || !change(&m) {
			return err
		}
		pj, err := payloadJSON(m.Payload)
		if err != nil {
			return err
		}
		m.UpdatedAt = time.Now().UTC().Truncate(time.Millisecond)
		if _, err := q.ExecContext(ctx, `UPDATE messages SET text = $2, payload_json = $3, updated_at = $4 WHERE id = $1`,
			m.ID, m.Text, pj, millis(m.UpdatedAt)); err != nil {
			return fmt.Errorf("store: change message: %w", err)
		}
		if m.Hidden {
			return nil
		}
		_, err = appendEvent(ctx, q, m.WorkspaceID, hub.EventMessageUpdated, m.ChatID, "", m)
		return err
	})
	return m, err
}

// Peer is a customer starting (Stopped false) or stopping a bot that cannot write first.
type Peer struct {
	WorkspaceID    string
	ConnectionID   string
	ExternalChatID string
	From           hub.Contact
	Stopped        bool
	At             time.Time
}

// SetPeer records a customer starting or stopping the bot. Starting makes the contact and the
// private chat if they are new (so an employee can write to someone who pressed Start but
// said nothing yet); stopping marks the chat, which refuses sends until they start it again.
// The chat's change is logged as chat.updated.
func (s *Store) SetPeer(ctx context.Context, p Peer) (hub.Chat, error) {
	var chat hub.Chat
	err := s.tx(ctx, func(q querier) error {
		contact, _, err := ensureContact(ctx, q, p.WorkspaceID, p.From)
		if err != nil {
			return err
		}
		chat, _, err = ensureChat(ctx, q, hub.Chat{WorkspaceID: p.WorkspaceID, ConnectionID: p.ConnectionID,
			Kind: hub.ChatPrivate, ContactID: contact.ID, ExternalChatID: p.ExternalChatID})
		if err != nil {
			return err
		}
		stopped := int64(0)
		if p.Stopped {
			stopped = millis(p.At)
			if stopped == 0 {
				stopped = time.Now().UnixMilli()
			}
		}
		if (stopped == 0) == chat.StoppedAt.IsZero() {
			return nil
		}
		if _, err := q.ExecContext(ctx, `UPDATE chats SET stopped_at = $2 WHERE id = $1`, chat.ID, stopped); err != nil {
			return fmt.Errorf("store: chat stopped: %w", err)
		}
		if chat, err = chatOn(ctx, q, p.WorkspaceID, chat.ID); err != nil {
			return err
		}
		_, err = appendEvent(ctx, q, p.WorkspaceID, hub.EventChatUpdated, chat.ID, contact.ID, chat)
		return err
	})
	return chat, err
}
