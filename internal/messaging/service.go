// Package messaging holds the chat window's use cases: send, retry, create a chat, "no reply
// needed" and block. A reply typed in the chat window, one from the public API and one typed
// in a CRM's own chat go through the same method, so they meet the same refusals (hub's
// rules, in SPEC order) and the same outbox. Errors come from the apierr catalogue.
package messaging

import (
	"context"
	"time"

	"github.com/switchboardhq/switchboard/internal/crm"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

// Store is what the use cases read and write.
type Store interface {
	AccessOf(ctx context.Context, e hub.Employee) (hub.Access, error)
	Connection(ctx context.Context, workspaceID, id string) (hub.Connection, error)
	Chat(ctx context.Context, workspaceID, id string) (hub.Chat, error)
	ChatByExternal(ctx context.Context, connectionID, externalChatID string) (hub.Chat, error)
	Contact(ctx context.Context, workspaceID, id string) (hub.Contact, error)
	ContactLinks(ctx context.Context, workspaceID, contactID string) (hub.ContactLinks, error)
	ContactByIdentity(ctx context.Context, workspaceID, waID string, telegramUserID int64) (hub.Contact, error)
	ContactsByPhone(ctx context.Context, workspaceID, e164 string) ([]string, error)
	ContactByTelegramUsername(ctx context.Context, workspaceID, username string) (hub.Contact, error)
	ContactByMaxUser(ctx context.Context, workspaceID string, maxUserID int64) (hub.Contact, error)
	CRMContactRef(ctx context.Context, workspaceID string, id int64) (hub.CRMRef, []hub.CRMRef, error)
	Message(ctx context.Context, workspaceID, id string) (hub.Message, error)
	MessageByClientID(ctx context.Context, workspaceID, chatID, clientID string) (hub.Message, error)
	Template(ctx context.Context, workspaceID, id string) (hub.Template, error)
	Upload(ctx context.Context, workspaceID, employeeID, id string) (store.Upload, error)
	CreateOutbound(ctx context.Context, m hub.Message) (msg hub.Message, created bool, err error)
	Retry(ctx context.Context, workspaceID, messageID string) (hub.Message, error)
	OpenChat(ctx context.Context, contact hub.Contact, chat hub.Chat) (hub.Chat, hub.Contact, bool, error)
	ClearUnanswered(ctx context.Context, workspaceID, chatID string) (hub.Chat, error)
	SetBlocked(ctx context.Context, workspaceID, contactID, employeeID string, blocked bool) (hub.Contact, error)
	Audit(ctx context.Context, workspaceID, employeeID, action, target, detailsJSON string) error
	SetBusinessReaction(ctx context.Context, workspaceID, messageID, employeeID, emoji string, now time.Time) (hub.Message, error)
}

// CRM is what creating a chat asks of the CRM (F26, F31a).
type CRM interface {
	AddContactDetails(ctx context.Context, ws hub.Workspace, crmContactID int64, d crm.ContactDetails) error
	LinkContact(ctx context.Context, ws hub.Workspace, c hub.Contact, responsibleUserID int64) ([]int64, error)
}

var (
	_ Store = (*store.Store)(nil)
	_ CRM   = crm.Contacts(nil)
)

// Service runs the use cases. Store is required; CRM may be nil in a hub built without one
// (then creating a chat that must reach the CRM fails with crm_adapter_missing); Wake, when
// set, is signalled after a message is queued so the sender goes at once; Now defaults to
// time.Now.
type Service struct {
	Store   Store
	CRM     CRM
	Signals Signals // typing; nil answers that the hub sends none
	Wake    chan<- struct{}
	Now     func() time.Time
}

// Actor is who acts: an employee of a workspace, with their rights evaluated once (ActorOf).
type Actor struct {
	Workspace hub.Workspace
	Employee  hub.Employee
	Access    hub.Access
}

// ActorOf evaluates the employee's rights for one request or one hook call.
func (s *Service) ActorOf(ctx context.Context, ws hub.Workspace, e hub.Employee) (Actor, error) {
	a, err := s.Store.AccessOf(ctx, e)
	if err != nil {
		return Actor{}, err
	}
	return Actor{Workspace: ws, Employee: e, Access: a}, nil
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// wake tells the sender a message is waiting; a wake-up already pending is enough.
func (s *Service) wake() {
	if s.Wake == nil {
		return
	}
	select {
	case s.Wake <- struct{}{}:
	default:
	}
}
