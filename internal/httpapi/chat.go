package httpapi

import (
	"errors"
	"net/http"
	"unicode/utf8"

	"github.com/switchboardhq/switchboard/internal/apierr"
	"github.com/switchboardhq/switchboard/internal/respond"
)

// maxDraft bounds a draft's length in characters (a message's limit on the providers is lower).
const maxDraft = 10000

// getChat answers GET /api/v1/chats/{id}: the chat with the caller's draft.
func (s *Server) getChat(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	chat, contact, err := s.requestedChat(r)
	if err != nil {
		return err
	}
	c := callerOf(ctx)
	draft, err := s.Store.Draft(ctx, c.Workspace.ID, c.Employee.ID, chat.ID)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, func(v view) any {
		out := v.chat(chat, contact)
		out.Draft = &draft
		return out
	})
}

// listMessages answers GET /api/v1/chats/{id}/messages: newest first, paged back in time.
func (s *Server) listMessages(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	chat, _, err := s.requestedChat(r)
	if err != nil {
		return err
	}
	limit := limitOf(r)
	before := r.URL.Query().Get("cursor")
	if before != "" {
		// The cursor is the last message of the previous page; it must be of this chat.
		m, err := s.Store.Message(ctx, chat.WorkspaceID, before)
		if err != nil || m.ChatID != chat.ID {
			return apierr.BadRequest.Because(errors.New("cursor is not a message of this chat"))
		}
	}
	ms, err := s.Store.Messages(ctx, chat.WorkspaceID, chat.ID, before, limit)
	if err != nil {
		return err
	}
	var next *string
	if len(ms) == limit {
		next = &ms[len(ms)-1].ID
	}
	return s.render(w, r, http.StatusOK, func(v view) any {
		items := make([]messageJSON, 0, len(ms))
		for _, m := range ms {
			items = append(items, v.message(m))
		}
		return page{Items: items, NextCursor: next}
	})
}

// noReplyNeeded answers POST /api/v1/chats/{id}/no-reply-needed (F11, F19).
func (s *Server) noReplyNeeded(w http.ResponseWriter, r *http.Request) error {
	who, err := s.actor(r.Context())
	if err != nil {
		return err
	}
	chat, contact, err := s.Messaging.NoReplyNeeded(r.Context(), who, r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, func(v view) any { return v.chat(chat, contact) })
}

// putDraft answers PUT /api/v1/chats/{id}/draft {"text"}: the caller's unsent text, kept on
// the server so it follows them across devices (B5); empty text deletes it.
func (s *Server) putDraft(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	chat, _, err := s.requestedChat(r)
	if err != nil {
		return err
	}
	var body struct {
		Text *string `json:"text"`
	}
	if err := respond.Decode(r, &body); err != nil {
		return err
	}
	if body.Text == nil || utf8.RuneCountInString(*body.Text) > maxDraft || !utf8.ValidString(*body.Text) {
		return apierr.BadRequest.Because(errors.New("text: a string of at most 10000 characters"))
	}
	c := callerOf(ctx)
	if err := s.Store.SaveDraft(ctx, c.Workspace.ID, c.Employee.ID, chat.ID, *body.Text); err != nil {
		return err
	}
	respond.JSON(w, http.StatusOK, map[string]string{"chat_id": chat.ID, "text": *body.Text})
	return nil
}
