// Package crm is the hub's one port to a CRM: what the chat window, the services and the
// workers ask of whichever CRM a workspace is connected to. The amoCRM adapter
// (crm/amocrm) implements it; nothing outside the adapter needs to know which CRM it is.
package crm

import (
	"context"

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
