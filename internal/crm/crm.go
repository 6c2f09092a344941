// Package crm is the hub's one port to a CRM: what the chat window, the services and the
// workers ask of whichever CRM a workspace is connected to. The amoCRM adapter
// (crm/amocrm) implements it; nothing outside the adapter needs to know which CRM it is.
package crm

import (
	"context"
	"errors"

	"github.com/switchboardhq/switchboard/internal/apierr"
	"github.com/switchboardhq/switchboard/internal/hub"
)

// ContactDetails is what a new chat adds to a CRM contact (F26): a phone (E.164), a Telegram
// user id and username. Empty values are not written.
type ContactDetails struct {
	Phone            string // E.164
	TelegramUserID   int64
	TelegramUsername string
}

// Contacts reads and writes the CRM's contacts and deals on the hub's behalf. Every method
// reaches the CRM; an error means the CRM did not answer or refused, and nothing in the hub's
// cache was changed by the failed call.
type Contacts interface {
	// RefreshLead re-reads a deal (its responsible user and contacts) into the hub's cache (F33).
	RefreshLead(ctx context.Context, ws hub.Workspace, leadID int64) error
	// RefreshContact re-reads a CRM contact (its responsible user and deals) into the cache.
	RefreshContact(ctx context.Context, ws hub.Workspace, contactID int64) error
	// AddContactDetails adds details to a CRM contact, keeping what it has (F26).
	AddContactDetails(ctx context.Context, ws hub.Workspace, crmContactID int64, d ContactDetails) error
	// LinkContact finds the CRM contacts of a new hub contact by phone or messenger id, or
	// creates one with that responsible user, and returns their ids (F31a).
	LinkContact(ctx context.Context, ws hub.Workspace, c hub.Contact, responsibleUserID int64) ([]int64, error)
}

// Identity is who a CRM's signed widget token names: the workspace and its employee,
// provisioned on first sight (F2); Created says this call made the employee.
type Identity struct {
	Workspace hub.Workspace
	Employee  hub.Employee
	Created   bool
}

// Sessions turns the token a CRM's widget signs for its user into the hub identity it names
// (F2, F3, F34). Errors wrap the port's errors below.
type Sessions interface {
	Authenticate(ctx context.Context, widgetToken string) (Identity, error)
}

// The port's errors: an adapter wraps its own in these, so callers tell them apart without
// knowing which CRM answered.
var (
	// ErrUnauthenticated: a token or signature the CRM did not make.
	ErrUnauthenticated = errors.New("crm: not signed by the CRM")
	// ErrNotConnected: the account is not installed, or the CRM revoked the hub's access.
	ErrNotConnected = errors.New("crm: the account is not connected")
	// ErrUserInactive: the CRM user is deactivated.
	ErrUserInactive = errors.New("crm: the user is deactivated")
	// ErrUnavailable: the CRM did not answer, or answered with an error.
	ErrUnavailable = errors.New("crm: the CRM did not answer or refused")
)

// APIError maps the port's errors to the API's (apierr); anything else is returned as it is.
func APIError(err error) error {
	switch {
	case errors.Is(err, ErrUnauthenticated):
		return apierr.Unauthorized.Because(err)
	case errors.Is(err, ErrNotConnected):
		return apierr.CRMNotConnected.Because(err)
	case errors.Is(err, ErrUserInactive):
		return apierr.Forbidden.Because(err)
	case errors.Is(err, ErrUnavailable):
		return apierr.CRMUnavailable.Because(err)
	}
	return err
}

// ChatsStatus is the state of a workspace's mirror into the CRM's own chats (amoCRM's Chats
// API), as the cabinet shows it.
type ChatsStatus struct {
	Enabled   bool
	Connected bool
	LastError string
	Backlog   int
}

// Pipeline is a CRM sales pipeline that new customers' incoming leads can go to.
type Pipeline struct {
	ID     int64
	Name   string
	IsMain bool
}

// ErrNoSuchPipeline: the pipeline is not one of the account's.
var ErrNoSuchPipeline = errors.New("crm: no such pipeline")
