// Package crmlink links a new customer to a CRM contact as soon as their first message is
// stored (SPEC F31a): found by phone or messenger id, or created with the connection's default
// responsible user. Until a contact is linked only admins see it, so a failure (CRM
// unreachable) is logged and tried again with the customer's next message.
package crmlink

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/switchboardhq/switchboard/internal/hub"
)

// CRM finds or creates the CRM contacts of a hub contact.
type CRM interface {
	LinkContact(ctx context.Context, ws hub.Workspace, c hub.Contact, responsibleUserID int64) ([]int64, error)
}

// Store is what the linker writes.
type Store interface {
	Contact(ctx context.Context, workspaceID, id string) (hub.Contact, error)
	LinkCRMContacts(ctx context.Context, workspaceID, contactID string, ids []int64) (hub.Contact, error)
}

// Linker links customers through a CRM, in the background: the inbound worker never waits for
// the CRM (whose API allows a few requests a second), so admins see a new customer at once and
// the responsible managers a moment later.
type Linker struct {
	CRM   CRM
	Store Store
	// Skip, when set, names workspaces whose customers the linker leaves alone: with the mirror
	// into amoCRM's own chats on, amoCRM makes a new customer's contact with its incoming lead,
	// and the mirror links the customer to it.
	Skip  func(ctx context.Context, workspaceID string) bool
	queue chan job
}

type job struct {
	ws      hub.Workspace
	conn    hub.Connection
	contact hub.Contact
}

// New returns a linker with room for backlog customers waiting for the CRM.
func New(crm CRM, st Store, backlog int) *Linker {
	return &Linker{CRM: crm, Store: st, queue: make(chan job, backlog)}
}

// Enqueue asks for c to be linked unless it is linked already. When the backlog is full the
// customer is skipped; their next message asks again.
func (l *Linker) Enqueue(ws hub.Workspace, conn hub.Connection, c hub.Contact) {
	if len(c.CRMContactIDs) > 0 {
		return
	}
	select {
	case l.queue <- job{ws, conn, c}:
	default:
		slog.Warn("crm link: backlog full, the customer is linked on their next message", "contact", c.ID)
	}
}

// Run links queued customers until ctx ends.
func (l *Linker) Run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case j := <-l.queue:
			if err := l.Link(ctx, j.ws, j.conn, j.contact); err != nil {
				slog.Error("crm link", "contact", j.contact.ID, "err", err)
			}
		}
	}
}

// Link links contact c (of a private chat on conn) unless it is linked already. The store logs
// the link and the contact's chats again, so every window that may now see them shows them.
func (l *Linker) Link(ctx context.Context, ws hub.Workspace, conn hub.Connection, c hub.Contact) error {
	if len(c.CRMContactIDs) > 0 || (l.Skip != nil && l.Skip(ctx, ws.ID)) {
		return nil
	}
	ids, err := l.CRM.LinkContact(ctx, ws, c, conn.DefaultResponsibleUserID)
	if err != nil {
		slog.Warn("crm link: customer stays visible to admins only until the CRM answers",
			"workspace", ws.ID, "contact", c.ID, "err", err)
		return nil // the message is stored; the next one tries again
	}
	if len(ids) == 0 {
		return fmt.Errorf("crm link: the CRM neither found nor created a contact for %s", c.ID)
	}
	_, err = l.Store.LinkCRMContacts(ctx, ws.ID, c.ID, ids)
	return err
}
