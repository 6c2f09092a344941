package messaging

import (
	"context"
	"errors"

	"github.com/switchboardhq/switchboard/internal/apierr"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

// VisibleChat loads a chat of the actor's workspace that the actor may see, with its contact
// (nil for groups). Any other id — unknown, of another workspace, or not visible — is
// apierr.NotFound, so the answer never reveals that a chat exists.
func (s *Service) VisibleChat(ctx context.Context, who Actor, id string) (hub.Chat, *hub.Contact, error) {
	chat, err := s.Store.Chat(ctx, who.Workspace.ID, id)
	if errors.Is(err, store.ErrNotFound) {
		return chat, nil, apierr.NotFound
	} else if err != nil {
		return chat, nil, err
	}
	if chat.ContactID == "" {
		if !SeesChat(who.Access, chat, hub.ContactLinks{}) {
			return chat, nil, apierr.NotFound
		}
		return chat, nil, nil
	}
	contact, err := s.VisibleContact(ctx, who, chat.ContactID)
	if err != nil {
		return chat, nil, err
	}
	return chat, &contact, nil
}

// SeesChat is VisibleChat's decision on what is already read: links are those of the chat's
// contact, which must exist. The realtime feed reads an event's chat once and asks this per socket.
func SeesChat(a hub.Access, chat hub.Chat, links hub.ContactLinks) bool {
	if chat.ContactID == "" {
		return a.Chat(chat, links)
	}
	return a.Contact(links) // VisibleContact's rule: admins see every contact
}

// VisibleContact loads a contact the actor may see; anything else is apierr.NotFound.
func (s *Service) VisibleContact(ctx context.Context, who Actor, id string) (hub.Contact, error) {
	ws := who.Workspace.ID
	contact, err := s.Store.Contact(ctx, ws, id)
	if errors.Is(err, store.ErrNotFound) {
		return contact, apierr.NotFound
	} else if err != nil {
		return contact, err
	}
	if !who.Access.Admin {
		links, err := s.Store.ContactLinks(ctx, ws, id)
		if err != nil {
			return contact, err
		}
		if !who.Access.Contact(links) {
			return contact, apierr.NotFound
		}
	}
	return contact, nil
}
