package messaging

import (
	"context"
	"encoding/json"

	"github.com/switchboardhq/switchboard/internal/apierr"
	"github.com/switchboardhq/switchboard/internal/hub"
)

// NoReplyNeeded clears the chat's unanswered mark (F11, F19) and returns the chat with its
// contact.
func (s *Service) NoReplyNeeded(ctx context.Context, who Actor, chatID string) (hub.Chat, *hub.Contact, error) {
	chat, contact, err := s.VisibleChat(ctx, who, chatID)
	if err != nil {
		return chat, nil, err
	}
	chat, err = s.Store.ClearUnanswered(ctx, chat.WorkspaceID, chat.ID)
	return chat, contact, err
}

// SetBlocked blocks or unblocks a contact (F27): admins only (others get forbidden before
// anything is read). Each change is audited (B10); setting what is already set changes nothing.
func (s *Service) SetBlocked(ctx context.Context, who Actor, contactID string, blocked bool) (hub.Contact, error) {
	if !who.Access.Admin {
		return hub.Contact{}, apierr.Forbidden
	}
	contact, err := s.VisibleContact(ctx, who, contactID)
	if err != nil || contact.Blocked == blocked {
		return contact, err
	}
	ws, by := who.Workspace.ID, who.Employee.ID
	if contact, err = s.Store.SetBlocked(ctx, ws, contact.ID, by, blocked); err != nil {
		return contact, err
	}
	action := "contact.unblock"
	if blocked {
		action = "contact.block"
	}
	details, _ := json.Marshal(map[string]string{"name": contact.Name})
	return contact, s.Store.Audit(ctx, ws, by, action, contact.ID, string(details))
}
