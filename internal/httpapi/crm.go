package httpapi

import (
	"context"
	"log/slog"

	"github.com/switchboardhq/switchboard/internal/crm/amocrm"
	"github.com/switchboardhq/switchboard/internal/hub"
)

// CRM is what the chat API asks of the CRM adapter (the amoCRM adapter implements it). The
// Server's CRM field may be nil in a hub built without one: reads then use the cache as it is,
// and writes that must reach the CRM fail with crm_adapter_missing.
type CRM interface {
	// RefreshLead re-reads a deal (its responsible user and contacts) into the hub's cache (F33).
	RefreshLead(ctx context.Context, ws hub.Workspace, leadID int64) error
	// RefreshContact re-reads a CRM contact (its responsible user and deals) into the cache.
	RefreshContact(ctx context.Context, ws hub.Workspace, contactID int64) error
	// AddContactDetails adds a phone (E.164) and/or a Telegram user id and username to a CRM
	// contact, keeping what it has (F26). Empty values are not written.
	AddContactDetails(ctx context.Context, ws hub.Workspace, crmContactID int64, d ContactDetails) error
	// LinkContact finds the CRM contacts of a new hub contact by phone or messenger id, or
	// creates one with that responsible user, and returns their ids (F31a).
	LinkContact(ctx context.Context, ws hub.Workspace, c hub.Contact, responsibleUserID int64) ([]int64, error)
}

// ContactDetails is what F26 adds to a CRM contact: a phone (E.164), a Telegram user id and
// username. It is the amoCRM adapter's type, so the adapter is this interface as it is.
type ContactDetails = amocrm.ContactDetails

var _ CRM = (*amocrm.Adapter)(nil)

// refreshCRM refreshes a deal or contact before a card opens (F33). A CRM that does not
// answer leaves the cache as it was: the window still opens on what the hub knows.
func (s *Server) refreshCRM(ctx context.Context, ws hub.Workspace, kind string, id int64) {
	if s.CRM == nil {
		return
	}
	var err error
	if kind == "lead" {
		err = s.CRM.RefreshLead(ctx, ws, id)
	} else {
		err = s.CRM.RefreshContact(ctx, ws, id)
	}
	if err != nil {
		slog.Warn("crm refresh failed; using the cached copy", "workspace", ws.ID, "kind", kind, "id", id, "err", err)
	}
}
