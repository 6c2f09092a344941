package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
)

// Inbound is one customer message as a channel adapter parsed it, ready to store.
type Inbound struct {
	WorkspaceID    string
	ConnectionID   string
	ChatKind       string // private or group
	ExternalChatID string // wa_id, or Telegram chat id
	ChatTitle      string // group title
	// From identifies the sender; for a private chat it is the chat's contact.
	From hub.Contact
	// ReplyToKey is the provider key of the quoted message, "" when none.
	ReplyToKey string
	Message    hub.Message
}

// InboundResult says what SaveInbound did.
type InboundResult struct {
	Message    hub.Message
	Chat       hub.Chat
	Contact    hub.Contact
	Duplicate  bool // the provider key was already stored: nothing changed
	Refused    bool // the contact is blocked: stored hidden and counted (F28)
	NewContact bool
}

// SaveInbound stores a customer's message in one transaction: it finds or creates the contact
// and the chat, inserts the message unless its provider key is known, moves the chat's last
// message, unanswered count and WABA window, and logs the events. A blocked contact's message is
// kept hidden and counted, with no unanswered mark and no event.
func (s *Store) SaveInbound(ctx context.Context, in Inbound) (InboundResult, error) {
	var r InboundResult
	err := s.tx(ctx, func(q querier) error {
		var err error
		r, err = saveInbound(ctx, q, in)
		return err
	})
	return r, err
}

func saveInbound(ctx context.Context, q querier, in Inbound) (InboundResult, error) {
	var r InboundResult
	if existing, err := messageOn(ctx, q, `connection_id = $1 AND provider_key = $2`,
		in.ConnectionID, in.Message.ProviderKey); err == nil {
		return InboundResult{Message: existing, Duplicate: true}, nil
	} else if err != ErrNotFound {
		return r, err
	}
	contact, isNew, err := ensureContact(ctx, q, in.WorkspaceID, in.From)
	if err != nil {
		return r, err
	}
	r.Contact, r.NewContact = contact, isNew
	m := in.Message
	if m.CreatedAt.IsZero() {
		m.CreatedAt = time.Now()
	}
	m.CreatedAt = m.CreatedAt.UTC().Truncate(time.Millisecond)
	// A chat the message opens is as recent as the message, not as the moment it was stored:
	// a message that waited out an outage must not jump above newer conversations.
	chat := hub.Chat{WorkspaceID: in.WorkspaceID, ConnectionID: in.ConnectionID, Kind: in.ChatKind,
		ExternalChatID: in.ExternalChatID, Title: in.ChatTitle, LastActivityAt: m.CreatedAt}
	if in.ChatKind != hub.ChatGroup {
		chat.Kind, chat.ContactID = hub.ChatPrivate, contact.ID
	}
	if chat, _, err = ensureChat(ctx, q, chat); err != nil {
		return r, err
	}
	m.ID, m.WorkspaceID, m.ChatID, m.ConnectionID = NewID(), in.WorkspaceID, chat.ID, in.ConnectionID
	m.Direction, m.Status = hub.DirIn, hub.StatusReceived
	m.UpdatedAt = m.CreatedAt
	if m.AuthorName == "" && in.ChatKind == hub.ChatGroup {
		m.AuthorName = contact.Name
	}
	if in.ReplyToKey != "" {
		if quoted, err := messageOn(ctx, q, `connection_id = $1 AND provider_key = $2`, in.ConnectionID, in.ReplyToKey); err == nil {
			m.ReplyToID = quoted.ID
		}
	}
	blocked := contact.Blocked && in.ChatKind != hub.ChatGroup
	m.Hidden = blocked
	inserted, err := insertMessage(ctx, q, &m)
	if err != nil {
		return r, err
	}
	if !inserted {
		// Another worker (another instance) stored the same provider key between the check
		// above and this insert: it is a replay, and counting it again would be wrong.
		existing, err := messageOn(ctx, q, `connection_id = $1 AND provider_key = $2`, in.ConnectionID, m.ProviderKey)
		return InboundResult{Message: existing, Duplicate: true}, err
	}
	r.Message = m
	if blocked {
		r.Refused = true
		if _, err := q.ExecContext(ctx, `UPDATE chats SET refused_count = refused_count + 1 WHERE id = $1`, chat.ID); err != nil {
			return r, fmt.Errorf("store: count refused: %w", err)
		}
		if _, err := q.ExecContext(ctx, `UPDATE blacklist SET refused_count = refused_count + 1
			WHERE workspace_id = $1 AND contact_id = $2`, in.WorkspaceID, contact.ID); err != nil {
			return r, fmt.Errorf("store: count refused: %w", err)
		}
		if r.Chat, err = chatOn(ctx, q, in.WorkspaceID, chat.ID); err != nil {
			return r, err
		}
		// The refused counter shows live in the blocked chat's window (the message itself does not).
		_, err = appendEvent(ctx, q, in.WorkspaceID, hub.EventChatUpdated, chat.ID, contact.ID, r.Chat)
		return r, err
	}
	last, err := json.Marshal(m)
	if err != nil {
		return r, err
	}
	// The write returns the chat as it now is, for its chat.updated (touched).
	if r.Chat, err = scanChat(q.QueryRowContext(ctx, `UPDATE chats SET unanswered_count = unanswered_count + 1,
		last_message_id = $2, last_message_json = $3,
		last_activity_at = CASE WHEN last_activity_at > $4 THEN last_activity_at ELSE $4 END,
		last_inbound_at = CASE WHEN last_inbound_at > $4 THEN last_inbound_at ELSE $4 END
		WHERE id = $1 RETURNING `+chatCols, chat.ID, m.ID, string(last), millis(m.CreatedAt))); err != nil {
		return r, fmt.Errorf("store: update chat: %w", err)
	}
	if _, err := appendEvent(ctx, q, in.WorkspaceID, hub.EventMessageCreated, chat.ID, contact.ID, m); err != nil {
		return r, err
	}
	return r, touched(ctx, q, r.Chat)
}

// ensureContact finds the sender by wa_id, Telegram or MAX id, filling in what it lacked (a name, a
// username, a phone), or creates it.
func ensureContact(ctx context.Context, q querier, workspaceID string, from hub.Contact) (hub.Contact, bool, error) {
	from.WorkspaceID = workspaceID
	c, err := contactByIdentity(ctx, q, workspaceID, from)
	if err == ErrNotFound {
		c, err = insertContact(ctx, q, from)
		return c, err == nil, err
	}
	if err != nil {
		return c, false, err
	}
	if !mergeSender(&c, from) {
		return c, false, nil
	}
	if _, err := q.ExecContext(ctx, `UPDATE contacts SET name = $2, telegram_username = $3, max_username = $4, updated_at = $5
		WHERE id = $1`, c.ID, c.Name, c.TelegramUsername, c.MaxUsername, time.Now().UnixMilli()); err != nil {
		return c, false, fmt.Errorf("store: update contact: %w", err)
	}
	return c, false, writeContactDetails(ctx, q, c)
}

// mergeSender fills in what the contact c lacked and the sender from has (a name, a username, a
// phone) and reports whether anything changed.
func mergeSender(c *hub.Contact, from hub.Contact) bool {
	changed := false
	if c.Name == "" && from.Name != "" {
		c.Name, changed = from.Name, true
	}
	if from.TelegramUsername != "" && c.TelegramUsername != from.TelegramUsername {
		c.TelegramUsername, changed = from.TelegramUsername, true
	}
	if from.MaxUsername != "" && c.MaxUsername != from.MaxUsername {
		c.MaxUsername, changed = from.MaxUsername, true
	}
	for _, p := range from.Phones {
		if !slices.Contains(c.Phones, p) {
			c.Phones, changed = append(c.Phones, p), true
		}
	}
	return changed
}
