package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/switchboardhq/switchboard/internal/events"
	"github.com/switchboardhq/switchboard/internal/hub"
)

// accessTTL is how long a socket trusts the CRM rights it read; after that it reads them again,
// so a right taken away in the CRM stops the flow within a minute, as a page reload would.
const accessTTL = time.Minute

// eventView decides, for the socket's caller (in ctx), which events they see and renders each
// with the same policy and the same renderers as the HTTP API: a frame's data is what a GET of
// that message, chat or contact would show at that seq.
func (s *Server) eventView(ctx context.Context) events.View {
	var a hub.Access
	var checked time.Time
	return func(ctx context.Context, e hub.Event) (json.RawMessage, bool, error) {
		if time.Since(checked) > accessTTL {
			var err error
			if a, err = s.access(ctx); err != nil {
				return nil, false, err
			}
			checked = time.Now()
		}
		v, err := s.viewFor(ctx)
		if err != nil {
			return nil, false, err
		}
		var out any
		switch e.Type {
		case hub.EventMessageCreated, hub.EventMessageUpdated:
			var m hub.Message
			if err := json.Unmarshal(e.Data, &m); err != nil {
				return nil, false, fmt.Errorf("event %d: %w", e.Seq, err)
			}
			if _, _, err := s.visibleChat(ctx, a, e.ChatID); err != nil || m.Hidden {
				return nil, false, hiddenOr(err)
			}
			out = v.message(m)
		case hub.EventChatUpdated:
			var c hub.Chat
			if err := json.Unmarshal(e.Data, &c); err != nil {
				return nil, false, fmt.Errorf("event %d: %w", e.Seq, err)
			}
			_, contact, err := s.visibleChat(ctx, a, e.ChatID)
			if err != nil {
				return nil, false, hiddenOr(err)
			}
			out = v.chat(c, contact)
		case hub.EventContactUpdated:
			var c hub.Contact
			if err := json.Unmarshal(e.Data, &c); err != nil {
				return nil, false, fmt.Errorf("event %d: %w", e.Seq, err)
			}
			if _, err := s.visibleContact(ctx, a, e.ContactID); err != nil {
				return nil, false, hiddenOr(err)
			}
			out = v.contact(c)
		default:
			return nil, false, nil // a type this version does not show
		}
		data, err := json.Marshal(out)
		return data, err == nil, err
	}
}

// hiddenOr maps "not visible" (the policy's not_found) to a silent skip and keeps real errors.
func hiddenOr(err error) error {
	if err == nil || errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}
