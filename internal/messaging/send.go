package messaging

import (
	"context"
	"errors"
	"fmt"
	"strings"
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

// Outgoing is a message an employee sends.
type Outgoing struct {
	// ClientID is the sender's own id for the message (required): the same id again returns
	// the first message, never a second send.
	ClientID string
	Text     string
	// Attachments are ids of the actor's own uploads (store.CreateUpload); at most one.
	Attachments []string
	// Template, when set, sends a WABA template or a quick reply filled with Params.
	Template *TemplateFill
	// ReplyTo is the id of a message of the same chat being quoted.
	ReplyTo string
}

// TemplateFill names a template and its parameters.
type TemplateFill struct {
	ID     string
	Params []string
}

// refusals maps hub refusal codes to API errors.
var refusals = map[string]*apierr.Error{
	hub.RefuseChatBlocked: apierr.ChatBlocked, hub.RefuseSubscriptionInactive: apierr.SubscriptionInactive,
	hub.RefuseSubscriptionUnpaid: apierr.SubscriptionUnpaid, hub.RefuseConnectionNotInSubscription: apierr.ConnectionNotInSubscription,
	hub.RefuseWABAWindowClosed: apierr.WABAWindowClosed, hub.RefuseTemplatesUnpaid: apierr.TemplatesUnpaid,
	hub.RefuseChannelAuthFailed: apierr.ChannelAuthFailed, hub.RefuseBotStopped: apierr.BotStopped,
	hub.RefuseConnectionDisabled: apierr.ConnectionDisabled,
}

// Send queues the actor's message in the chat (F29): created is true for a new message, false
// for the first one with the same ClientID (never a second send). Refusals come in F29's
// order, after access (a chat the actor may not see is not_found); a refused message changes
// nothing.
func (s *Service) Send(ctx context.Context, who Actor, chatID string, out Outgoing) (m hub.Message, created bool, err error) {
	chat, contact, err := s.VisibleChat(ctx, who, chatID)
	if err != nil {
		return m, false, err
	}
	if out.ClientID == "" || len(out.ClientID) > maxClientID {
		return m, false, apierr.BadRequest.Because(errors.New("client_id is required (at most 100 characters)"))
	}
	if m, err := s.Store.MessageByClientID(ctx, who.Workspace.ID, chat.ID, out.ClientID); err == nil {
		return m, false, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return m, false, err
	}
	m, err = s.buildOutgoing(ctx, who, chat, out)
	if err != nil {
		return m, false, err
	}
	if err := s.refuseSend(ctx, who.Workspace, chat, contact, m); err != nil {
		return m, false, err
	}
	m.WorkspaceID, m.ChatID, m.ConnectionID, m.ClientID = who.Workspace.ID, chat.ID, chat.ConnectionID, out.ClientID
	m.AuthorID, m.AuthorName = who.Employee.ID, who.Employee.Name
	m, created, err = s.Store.CreateOutbound(ctx, m)
	if err != nil {
		return m, false, err
	}
	if created {
		s.wake()
	} // else a concurrent send with the same client id won
	return m, created, nil
}

// refuseSend applies F29 after access: blacklist, subscription, connection, window, templates.
func (s *Service) refuseSend(ctx context.Context, ws hub.Workspace, chat hub.Chat, contact *hub.Contact, m hub.Message) error {
	conn, err := s.Store.Connection(ctx, ws.ID, chat.ConnectionID)
	if err != nil {
		return err
	}
	blocked := contact != nil && contact.Blocked
	send := hub.Send{WABATemplate: m.Type == hub.TypeTemplate}
	if code := hub.SendRefusal(ws, conn, chat, blocked, send, s.now()); code != "" {
		return refusals[code]
	}
	return nil
}

// buildOutgoing validates what is sent and turns it into the message to queue.
func (s *Service) buildOutgoing(ctx context.Context, who Actor, chat hub.Chat, b Outgoing) (hub.Message, error) {
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
		t, err := s.Store.Template(ctx, who.Workspace.ID, b.Template.ID)
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
		u, err := s.Store.Upload(ctx, who.Workspace.ID, who.Employee.ID, id)
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
		q, err := s.Store.Message(ctx, who.Workspace.ID, b.ReplyTo)
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

// Retry queues a failed outgoing message of the chat again (B2), under the same refusals as a
// new one; it really goes out again.
func (s *Service) Retry(ctx context.Context, who Actor, chatID, messageID string) (hub.Message, error) {
	chat, contact, err := s.VisibleChat(ctx, who, chatID)
	if err != nil {
		return hub.Message{}, err
	}
	m, err := s.Store.Message(ctx, chat.WorkspaceID, messageID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && m.ChatID != chat.ID) {
		return m, apierr.NotFound
	} else if err != nil {
		return m, err
	}
	if m.Direction != hub.DirOut || m.Status != hub.StatusFailed {
		return m, apierr.BadRequest.Because(errors.New("only a failed outgoing message can be retried"))
	}
	if err := s.refuseSend(ctx, who.Workspace, chat, contact, m); err != nil {
		return m, err
	}
	m, err = s.Store.Retry(ctx, chat.WorkspaceID, m.ID)
	if errors.Is(err, store.ErrNotFound) {
		return m, apierr.BadRequest.Because(errors.New("the message is no longer failed"))
	} else if err != nil {
		return m, err
	}
	s.wake()
	return m, nil
}
