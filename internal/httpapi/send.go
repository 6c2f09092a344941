package httpapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/switchboardhq/switchboard/internal/apierr"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

// Limits of one outgoing message.
const (
	maxText     = 4096 // WhatsApp's and Telegram's limit for a text message
	maxClientID = 100
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

// refusals maps hub refusal codes to API errors.
var refusals = map[string]*apierr.Error{
	hub.RefuseChatBlocked: apierr.ChatBlocked, hub.RefuseSubscriptionInactive: apierr.SubscriptionInactive,
	hub.RefuseSubscriptionUnpaid: apierr.SubscriptionUnpaid, hub.RefuseConnectionNotInSubscription: apierr.ConnectionNotInSubscription,
	hub.RefuseWABAWindowClosed: apierr.WABAWindowClosed, hub.RefuseTemplatesUnpaid: apierr.TemplatesUnpaid,
	hub.RefuseChannelAuthFailed: apierr.ChannelAuthFailed,
}

// sendMessage answers POST /api/v1/chats/{id}/messages: 201 with the queued message, or 200
// with the first one for a client_id seen before (never a second send), or F29's refusals in
// F29's order.
func (s *Server) sendMessage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c := callerOf(ctx)
	chat, contact, err := s.requestedChat(r)
	if err != nil {
		return err
	}
	var body sendBody
	if err := decodeJSON(r, &body); err != nil {
		return err
	}
	if body.ClientID == "" || len(body.ClientID) > maxClientID {
		return apierr.BadRequest.Because(errors.New("client_id is required (at most 100 characters)"))
	}
	if m, err := s.Store.MessageByClientID(ctx, c.Workspace.ID, chat.ID, body.ClientID); err == nil {
		return s.writeMessage(w, r, http.StatusOK, m)
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	m, err := s.buildOutgoing(ctx, chat, body)
	if err != nil {
		return err
	}
	if err := s.refuseSend(ctx, chat, contact, m); err != nil {
		return err
	}
	m.WorkspaceID, m.ChatID, m.ConnectionID, m.ClientID = c.Workspace.ID, chat.ID, chat.ConnectionID, body.ClientID
	m.AuthorID, m.AuthorName = c.Employee.ID, c.Employee.Name
	m, created, err := s.Store.CreateOutbound(ctx, m)
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if created {
		s.wakeSender()
	} else {
		status = http.StatusOK // a concurrent POST with the same client_id won
	}
	return s.writeMessage(w, r, status, m)
}

// refuseSend applies F29 after access: blacklist, subscription, connection, window, templates.
func (s *Server) refuseSend(ctx context.Context, chat hub.Chat, contact *hub.Contact, m hub.Message) error {
	ws := callerOf(ctx).Workspace
	conn, err := s.Store.Connection(ctx, ws.ID, chat.ConnectionID)
	if err != nil {
		return err
	}
	blocked := contact != nil && contact.Blocked
	send := hub.Send{WABATemplate: m.Type == hub.TypeTemplate}
	if code := hub.SendRefusal(ws, conn, chat, blocked, send, time.Now()); code != "" {
		return refusals[code]
	}
	return nil
}

// buildOutgoing validates the body and turns it into the message to queue.
func (s *Server) buildOutgoing(ctx context.Context, chat hub.Chat, b sendBody) (hub.Message, error) {
	c := callerOf(ctx)
	m := hub.Message{Type: hub.TypeText, Text: b.Text}
	if !utf8.ValidString(b.Text) || utf8.RuneCountInString(b.Text) > maxText {
		return m, apierr.BadRequest.Because(fmt.Errorf("text: at most %d characters", maxText))
	}
	if len(b.Attachments) > 1 {
		return m, apierr.OneFile
	}
	if b.Template != nil {
		if len(b.Attachments) > 0 || strings.TrimSpace(b.Text) != "" {
			return m, apierr.BadRequest.Because(errors.New("a template goes without text or attachments"))
		}
		t, err := s.Store.Template(ctx, c.Workspace.ID, b.Template.ID)
		if err != nil || (t.Kind == hub.KindWABA && t.ConnectionID != chat.ConnectionID) {
			return m, apierr.BadRequest.Because(fmt.Errorf("template %q is not one of this chat's", b.Template.ID))
		}
		if len(b.Template.Params) != t.Params {
			return m, apierr.BadRequest.Because(fmt.Errorf("template %q takes %d params", t.Name, t.Params))
		}
		m.Text = hub.FillTemplate(t.Body, b.Template.Params)
		if t.Kind == hub.KindWABA {
			m.Type = hub.TypeTemplate
			m.Payload.Template = &hub.TemplateRef{ID: t.ID, Name: t.Name, Params: b.Template.Params}
		} // a quick reply is the hub's own canned text: it goes as a text message
	}
	for _, id := range b.Attachments {
		u, err := s.Store.Upload(ctx, c.Workspace.ID, c.Employee.ID, id)
		if errors.Is(err, store.ErrNotFound) {
			return m, apierr.BadRequest.Because(fmt.Errorf("attachment %q is not an upload of yours", id))
		} else if err != nil {
			return m, err
		}
		m.Attachments = append(m.Attachments, hub.Attachment{Name: u.Name, MIME: u.MIME, Size: u.Size, StorageKey: u.StorageKey})
	}
	if len(m.Attachments) > 0 {
		m.Type = typeOfMIME(m.Attachments[0].MIME)
	}
	if m.Type == hub.TypeText && strings.TrimSpace(m.Text) == "" {
		return m, apierr.BadRequest.Because(errors.New("nothing to send"))
	}
	if b.ReplyTo != "" {
		q, err := s.Store.Message(ctx, c.Workspace.ID, b.ReplyTo)
		if err != nil || q.ChatID != chat.ID || q.Hidden {
			return m, apierr.BadRequest.Because(errors.New("reply_to is not a message of this chat"))
		}
		m.ReplyToID = q.ID
	}
	return m, nil
}

// typeOfMIME is the message type a file is sent as. Ogg/Opus and WebM audio are what the
// browser's recorder makes: voice notes.
func typeOfMIME(mime string) string {
	switch {
	case strings.HasPrefix(mime, "image/"):
		return hub.TypeImage
	case strings.HasPrefix(mime, "video/"):
		return hub.TypeVideo
	case strings.HasPrefix(mime, "audio/ogg"), strings.HasPrefix(mime, "audio/webm"):
		return hub.TypeVoice
	case strings.HasPrefix(mime, "audio/"):
		return hub.TypeAudio
	}
	return hub.TypeFile
}

func (s *Server) writeMessage(w http.ResponseWriter, r *http.Request, status int, m hub.Message) error {
	return s.render(w, r, status, func(v view) any { return v.message(m) })
}

// retryMessage answers POST /api/v1/chats/{id}/messages/{message_id}/retry: a failed message is
// queued again (B2), under the same restrictions as a new one.
func (s *Server) retryMessage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	chat, contact, err := s.requestedChat(r)
	if err != nil {
		return err
	}
	m, err := s.Store.Message(ctx, chat.WorkspaceID, r.PathValue("message_id"))
	if errors.Is(err, store.ErrNotFound) || (err == nil && m.ChatID != chat.ID) {
		return apierr.NotFound
	} else if err != nil {
		return err
	}
	if m.Direction != hub.DirOut || m.Status != hub.StatusFailed {
		return apierr.BadRequest.Because(errors.New("only a failed outgoing message can be retried"))
	}
	if err := s.refuseSend(ctx, chat, contact, m); err != nil {
		return err
	}
	m, err = s.Store.Retry(ctx, chat.WorkspaceID, m.ID)
	if errors.Is(err, store.ErrNotFound) {
		return apierr.BadRequest.Because(errors.New("the message is no longer failed"))
	} else if err != nil {
		return err
	}
	s.wakeSender()
	return s.writeMessage(w, r, http.StatusOK, m)
}

// wakeSender tells the sender a message is waiting; a wake-up already pending is enough.
func (s *Server) wakeSender() {
	if s.SenderWake == nil {
		return
	}
	select {
	case s.SenderWake <- struct{}{}:
	default:
	}
}
