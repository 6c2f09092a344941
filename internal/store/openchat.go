package store

import (
	"context"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
)

// OpenChat saves a chat an employee creates (F25, F26) in one transaction: the contact (new
// when its ID is "", else its identity, phones and CRM links are updated — links only ever
// added) and the chat, which is linked to it. When the connection already has a chat with that
// external id, nothing is written and that chat comes back with created=false.
func (s *Store) OpenChat(ctx context.Context, contact hub.Contact, chat hub.Chat) (hub.Chat, hub.Contact, bool, error) {
	var created bool
	err := s.tx(ctx, func(q querier) error {
		existing, err := chatByExternal(ctx, q, chat.ConnectionID, chat.ExternalChatID)
		if err == nil {
			chat, created = existing, false
			return nil
		} else if err != ErrNotFound {
			return err
		}
		contact.WorkspaceID = chat.WorkspaceID
		if contact.ID == "" {
			if contact, err = insertContact(ctx, q, contact); err != nil {
				return err
			}
		} else if err := updateContactOn(ctx, q, contact); err != nil {
			return err
		}
		chat.ContactID, chat.Kind = contact.ID, hub.ChatPrivate
		if chat, created, err = ensureChat(ctx, q, chat); err != nil || !created {
			return err
		}
		if chat, err = touchChat(ctx, q, chat.WorkspaceID, chat.ID); err != nil {
			return err
		}
		contact, err = contactOn(ctx, q, chat.WorkspaceID, contact.ID)
		if err == nil {
			_, err = appendEvent(ctx, q, chat.WorkspaceID, hub.EventContactUpdated, "", contact.ID, contact)
		}
		return err
	})
	return chat, contact, created, err
}

func updateContactOn(ctx context.Context, q querier, c hub.Contact) error {
	err := execOneOn(ctx, q, "update contact", `UPDATE contacts SET name = $3, avatar_url = $4, email = $5,
		wa_id = $6, telegram_user_id = $7, telegram_username = $8, max_user_id = $9, max_username = $10, updated_at = $11
		WHERE workspace_id = $1 AND id = $2`, c.WorkspaceID, c.ID, c.Name, c.AvatarURL, c.Email,
		nullStr(c.WAID), nullInt(c.TelegramUserID), c.TelegramUsername, nullInt(c.MaxUserID), c.MaxUsername,
		time.Now().UnixMilli())
	if err != nil {
		return err
	}
	return writeContactDetails(ctx, q, c)
}

// ContactByTelegramUsername finds a contact by Telegram username, case-insensitively.
func (s *Store) ContactByTelegramUsername(ctx context.Context, workspaceID, username string) (hub.Contact, error) {
	var id string
	err := s.r.QueryRowContext(ctx, `SELECT id FROM contacts WHERE workspace_id = $1 AND telegram_username <> ''
		AND LOWER(telegram_username) = LOWER($2) ORDER BY last_activity_at DESC LIMIT 1`, workspaceID, username).Scan(&id)
	if err != nil {
		return hub.Contact{}, notFound(err)
	}
	return contactOn(ctx, s.r, workspaceID, id)
}
