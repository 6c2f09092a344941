package httpapi

import (
	"net/http"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/messaging"
	"github.com/switchboardhq/switchboard/internal/respond"
)

type sendBody struct {
	ClientID    string   `json:"client_id"`
	Text        string   `json:"text"`
	Attachments []string `json:"attachments"`
	Template    *struct {
		ID     string   `json:"id"`
		Params []string `json:"params"`
	} `json:"template"`
	ReplyTo string `json:"reply_to"`
}

// sendMessage answers POST /api/v1/chats/{id}/messages: 201 with the queued message, or 200
// with the first one for a client_id seen before (never a second send), or F29's refusals in
// F29's order (messaging.Send).
func (s *Server) sendMessage(w http.ResponseWriter, r *http.Request) error {
	who, err := s.actor(r.Context())
	if err != nil {
		return err
	}
	var b sendBody
	if err := respond.Decode(r, &b); err != nil {
		return err
	}
	out := messaging.Outgoing{ClientID: b.ClientID, Text: b.Text, Attachments: b.Attachments, ReplyTo: b.ReplyTo}
	if b.Template != nil {
		out.Template = &messaging.TemplateFill{ID: b.Template.ID, Params: b.Template.Params}
	}
	m, created, err := s.Messaging.Send(r.Context(), who, r.PathValue("id"), out)
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if !created {
		status = http.StatusOK
	}
	return s.writeMessage(w, r, status, m)
}

// writeMessage answers with a message just written. It answers even when the renderer's own read
// fails (the database went away right after the write committed): a message needs no connection
// names, and an error here would tell the client that a stored message was not.
func (s *Server) writeMessage(w http.ResponseWriter, r *http.Request, status int, m hub.Message) error {
	v, err := s.viewFor(r.Context())
	if err != nil {
		respond.LogError(r, "render a stored message without its connections", err)
		v = s.bareView(r.Context())
	}
	respond.JSON(w, status, v.message(m))
	return nil
}

// retryMessage answers POST /api/v1/chats/{id}/messages/{message_id}/retry: a failed message is
// queued again (B2), under the same restrictions as a new one.
func (s *Server) retryMessage(w http.ResponseWriter, r *http.Request) error {
	who, err := s.actor(r.Context())
	if err != nil {
		return err
	}
	m, err := s.Messaging.Retry(r.Context(), who, r.PathValue("id"), r.PathValue("message_id"))
	if err != nil {
		return err
	}
	return s.writeMessage(w, r, http.StatusOK, m)
}

// reactMessage answers PUT /api/v1/chats/{id}/messages/{message_id}/reaction {"emoji"}: the
// business's reaction on the message ("" takes it off), shown at once and queued for the
// messenger; 200 with the message.
func (s *Server) reactMessage(w http.ResponseWriter, r *http.Request) error {
	who, err := s.actor(r.Context())
	if err != nil {
		return err
	}
	var b struct {
		Emoji string `json:"emoji"`
	}
	if err := respond.Decode(r, &b); err != nil {
		return err
	}
	m, err := s.Messaging.React(r.Context(), who, r.PathValue("id"), r.PathValue("message_id"), b.Emoji)
	if err != nil {
		return err
	}
	return s.writeMessage(w, r, http.StatusOK, m)
}

// typing answers POST /api/v1/chats/{id}/typing: the customer's messenger shows the business
// typing for a few seconds (204); nothing is stored.
func (s *Server) typing(w http.ResponseWriter, r *http.Request) error {
	who, err := s.actor(r.Context())
	if err != nil {
		return err
	}
	if err := s.Messaging.Typing(r.Context(), who, r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
