package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"time"

	"github.com/switchboardhq/switchboard/internal/apierr"
	"github.com/switchboardhq/switchboard/internal/auth"
	"github.com/switchboardhq/switchboard/internal/events"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

// callerTTL is how long a socket trusts the employee and CRM rights it read; then it reads them
// again, so a demoted admin or a right taken away in the CRM stops the flow within a minute (F34),
// and a deleted employee's socket closes.
var callerTTL = time.Minute

// eventView decides, for the socket's caller, which events they see and renders each with the
// same policy and the same renderers as the HTTP API: a frame's data is what a GET of that
// message, chat or contact would show at that seq.
func (s *Server) eventView(caller Caller) events.View {
	var a hub.Access
	var checked time.Time
	return func(ctx context.Context, e hub.Event) (json.RawMessage, bool, error) {
		if time.Since(checked) > callerTTL {
			fresh, err := s.callerOfSession(ctx, auth.Session{WorkspaceID: caller.Workspace.ID, EmployeeID: caller.Employee.ID})
			if err != nil {
				return nil, false, err
			}
			if a, err = s.Store.AccessOf(ctx, fresh.Employee); err != nil {
				return nil, false, err
			}
			caller, checked = fresh, time.Now()
		}
		ctx = withCaller(ctx, caller)
		v, err := s.viewFor(ctx)
		if err != nil {
			return nil, false, err
		}
		out, err := s.eventData(ctx, a, v, e, caller.Employee.ID)
		if out == nil || err != nil {
			return nil, false, err
		}
		data, err := json.Marshal(out)
		return data, err == nil, err
	}
}

// eventData renders e for the caller, or returns nil when they may not see it.
func (s *Server) eventData(ctx context.Context, a hub.Access, v view, e hub.Event, employeeID string) (any, error) {
	switch e.Type {
	case hub.EventEmployeeUpdated:
		var who struct{ ID, Lang, Role string }
		if !decodeEvent(e, &who) || who.ID != employeeID {
			return nil, nil // another employee's language is theirs alone
		}
		return map[string]string{"lang": who.Lang, "role": who.Role}, nil
	case hub.EventMessageCreated, hub.EventMessageUpdated:
		var m hub.Message
		if !decodeEvent(e, &m) || m.Hidden {
			return nil, nil
		}
		if _, _, err := s.visibleChat(ctx, a, e.ChatID); err != nil {
			return nil, hiddenOr(err)
		}
		return v.message(m), nil
	case hub.EventChatUpdated:
		var c hub.Chat
		if !decodeEvent(e, &c) {
			return nil, nil
		}
		_, contact, err := s.visibleChat(ctx, a, e.ChatID)
		if err != nil {
			return nil, hiddenOr(err)
		}
		return v.chat(c, contact), nil
	case hub.EventContactUpdated:
		var c hub.Contact
		if !decodeEvent(e, &c) {
			return nil, nil
		}
		if _, err := s.visibleContact(ctx, a, e.ContactID); err != nil {
			return nil, hiddenOr(err)
		}
		return v.contact(c), nil
	case hub.EventSubscriptionUpdated:
		var sub hub.Subscription
		if !decodeEvent(e, &sub) {
			return nil, nil
		}
		return renderSubscription(sub, s.now()), nil // every employee's sends depend on it
	case hub.EventConnectionUpdated:
		var ref struct{ ID string }
		if !decodeEvent(e, &ref) {
			return nil, nil
		}
		// Every employee may list the connections; the frame shows one as it is now.
		c, err := s.Store.Connection(ctx, e.WorkspaceID, ref.ID)
		if errors.Is(err, store.ErrNotFound) {
			return nil, nil // deleted since
		} else if err != nil {
			return nil, err
		}
		items, err := s.renderConnections(ctx, e.WorkspaceID, []hub.Connection{c})
		if err != nil {
			return nil, err
		}
		return items[0], nil
	}
	return nil, nil // a type this version does not show
}

// decodeEvent reads an event's object. One that cannot be read is logged and skipped: failing
// the socket instead would fail every reconnect's replay at the same seq.
func decodeEvent(e hub.Event, into any) bool {
	if err := json.Unmarshal(e.Data, into); err != nil {
		slog.Error("events: unreadable event skipped", "workspace", e.WorkspaceID, "seq", e.Seq, "type", e.Type, "err", err)
		return false
	}
	return true
}

// hiddenOr maps "not visible" (the policy's not_found) to a silent skip and keeps real errors.
func hiddenOr(err error) error {
	if errors.Is(err, apierr.NotFound) {
		return nil
	}
	return err
}
