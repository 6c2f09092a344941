package store

import (
	"context"
	"errors"

	"github.com/switchboardhq/switchboard/internal/hub"
)

// MessageByClientID finds a chat's message by the chat window's idempotency key.
func (s *Store) MessageByClientID(ctx context.Context, workspaceID, chatID, clientID string) (hub.Message, error) {
	return messageOn(ctx, s.r, `workspace_id = $1 AND chat_id = $2 AND client_id = $3`, workspaceID, chatID, clientID)
}

// AttachmentOf returns a workspace's attachment with the chat its message belongs to, for a
// download to check access. Attachments of hidden messages (a blocked contact's) are not found.
func (s *Store) AttachmentOf(ctx context.Context, workspaceID, id string) (hub.Attachment, string, error) {
	var a hub.Attachment
	var chatID string
	err := s.r.QueryRowContext(ctx, `SELECT a.id, a.message_id, a.name, a.mime, a.size, a.storage_key,
		a.provider_media_id, a.duration_ms, a.width, a.height, m.chat_id
		FROM attachments a JOIN messages m ON m.id = a.message_id
		WHERE a.workspace_id = $1 AND a.id = $2 AND m.workspace_id = $1 AND m.hidden = FALSE`, workspaceID, id).
		Scan(&a.ID, &a.MessageID, &a.Name, &a.MIME, &a.Size, &a.StorageKey, &a.ProviderMediaID, &a.DurationMS,
			&a.Width, &a.Height, &chatID)
	return a, chatID, notFound(err)
}

// CRMLeadRef returns a CRM deal with its responsible user from the cache (0 when never fetched).
func (s *Store) CRMLeadRef(ctx context.Context, workspaceID string, id int64) (hub.CRMRef, error) {
	ref := hub.CRMRef{ID: id}
	l, err := s.CRMLead(ctx, workspaceID, id)
	if err == nil {
		ref.ResponsibleUserID = l.ResponsibleUserID
	} else if !errors.Is(err, ErrNotFound) {
		return ref, err
	}
	return ref, nil
}
