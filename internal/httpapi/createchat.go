package httpapi

import (
	"net/http"

	"github.com/switchboardhq/switchboard/internal/messaging"
	"github.com/switchboardhq/switchboard/internal/respond"
)

type createChatBody struct {
	ConnectionID string `json:"connection_id"`
	Phone        string `json:"phone"`
	Telegram     string `json:"telegram"`
	MaxUserID    int64  `json:"max_user_id"`
	ContactID    string `json:"contact_id"`
	CRMContactID int64  `json:"crm_contact_id"`
	Name         string `json:"name"`
}

// createChat answers POST /api/v1/chats (F23–F26): 201 with the new chat, or one of F25's
// outcomes (messaging.CreateChat).
func (s *Server) createChat(w http.ResponseWriter, r *http.Request) error {
	who, err := s.actor(r.Context())
	if err != nil {
		return err
	}
	var b createChatBody
	if err := respond.Decode(r, &b); err != nil {
		return err
	}
	chat, contact, err := s.Messaging.CreateChat(r.Context(), who, messaging.NewChat(b))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusCreated, func(v view) any { return v.chat(chat, &contact) })
}
