package store

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/switchboardhq/switchboard/internal/hub"
)

// Viewer turns the cached user into the rights check's input.
func (u CRMUser) Viewer() hub.Viewer {
	return hub.Viewer{UserID: u.ID, GroupID: u.GroupID, IsAdmin: u.IsAdmin, IsActive: u.IsActive,
		ContactsView: u.ContactsView, LeadsView: u.LeadsView}
}

// AccessOf evaluates what the employee may see from the cached CRM users (hub.NewAccess). An
// employee whose CRM user is not cached yet sees only what the admin role grants.
func (s *Store) AccessOf(ctx context.Context, e hub.Employee) (hub.Access, error) {
	var v hub.Viewer
	if u, err := s.CRMUser(ctx, e.WorkspaceID, e.CRMUserID); err == nil {
		v = u.Viewer()
	} else if !errors.Is(err, ErrNotFound) {
		return hub.Access{}, err
	}
	if e.IsAdmin() || !v.IsActive || (v.ContactsView != hub.RightGroup && v.LeadsView != hub.RightGroup) {
		return hub.NewAccess(e, v, nil), nil // only group rights need the other users
	}
	users, err := s.CRMUsers(ctx, e.WorkspaceID)
	if err != nil {
		return hub.Access{}, err
	}
	refs := make([]hub.Responsible, len(users))
	for i, u := range users {
		refs[i] = hub.Responsible{UserID: u.ID, GroupID: u.GroupID}
	}
	return hub.NewAccess(e, v, refs), nil
}

// ContactLinks returns the CRM side of a hub contact, as the access policy needs it.
func (s *Store) ContactLinks(ctx context.Context, workspaceID, contactID string) (hub.ContactLinks, error) {
	var l hub.ContactLinks
	var err error
	l.CRMContacts, err = collect(scanCRMRef)(s.r.QueryContext(ctx, `SELECT l.crm_contact_id,
		COALESCE(cc.responsible_user_id, 0) FROM contact_crm_links l
		LEFT JOIN crm_contacts cc ON cc.workspace_id = l.workspace_id AND cc.crm_contact_id = l.crm_contact_id
		WHERE l.workspace_id = $1 AND l.contact_id = $2 ORDER BY l.crm_contact_id`, workspaceID, contactID))
	if err != nil {
		return l, err
	}
	l.Leads, err = collect(scanCRMRef)(s.r.QueryContext(ctx, `SELECT DISTINCT lc.crm_lead_id,
		COALESCE(ld.responsible_user_id, 0) FROM contact_crm_links l
		JOIN crm_lead_contacts lc ON lc.workspace_id = l.workspace_id AND lc.crm_contact_id = l.crm_contact_id
		LEFT JOIN crm_leads ld ON ld.workspace_id = lc.workspace_id AND ld.crm_lead_id = lc.crm_lead_id
		WHERE l.workspace_id = $1 AND l.contact_id = $2 ORDER BY lc.crm_lead_id`, workspaceID, contactID))
	return l, err
}

// CRMContactRef returns a CRM contact with its responsible user and its deals, from the cache
// (a contact the hub never fetched has responsible 0 and no deals).
func (s *Store) CRMContactRef(ctx context.Context, workspaceID string, id int64) (hub.CRMRef, []hub.CRMRef, error) {
	ref := hub.CRMRef{ID: id}
	if c, err := s.CRMContact(ctx, workspaceID, id); err == nil {
		ref.ResponsibleUserID = c.ResponsibleUserID
	} else if !errors.Is(err, ErrNotFound) {
		return ref, nil, err
	}
	leads, err := collect(scanCRMRef)(s.r.QueryContext(ctx, `SELECT lc.crm_lead_id, COALESCE(ld.responsible_user_id, 0)
		FROM crm_lead_contacts lc LEFT JOIN crm_leads ld ON ld.workspace_id = lc.workspace_id AND ld.crm_lead_id = lc.crm_lead_id
		WHERE lc.workspace_id = $1 AND lc.crm_contact_id = $2 ORDER BY lc.crm_lead_id`, workspaceID, id))
	return ref, leads, err
}

func scanCRMRef(r scanner) (hub.CRMRef, error) {
	var c hub.CRMRef
	return c, r.Scan(&c.ID, &c.ResponsibleUserID)
}

// accessCond is hub.Access as an SQL condition on the contact whose id is contactID (an SQL
// expression), appending its parameters to args: one probe of contact_visibility's key
// (visibility.go), which holds what Access.Contact reads of ContactLinks. The storetest access
// cases and the HTTP access matrix check that they agree.
func accessCond(a hub.Access, contactID string, args *[]any) string {
	if a.Admin {
		return "TRUE"
	}
	cond := visibilityCond(a, args)
	if cond == "" {
		return "FALSE"
	}
	return `EXISTS (SELECT 1 FROM contact_visibility v WHERE v.contact_id = ` + contactID + ` AND ` + cond + `)`
}

// visibilityCond is what a contact_visibility row v must be for a non-admin employee to see its
// contact ("" when no row can be): a CRM contact or deal they may view by its responsible user,
// any at all with a "view all" right.
func visibilityCond(a hub.Access, args *[]any) string {
	var parts []string
	for _, w := range []struct {
		via    string
		all    bool
		owners []int64
	}{{"contact", a.ContactsAll, a.ContactOwners}, {"lead", a.LeadsAll, a.LeadOwners}} {
		switch {
		case w.all:
			parts = append(parts, `v.via = '`+w.via+`'`)
		case len(w.owners) > 0:
			parts = append(parts, `(v.via = '`+w.via+`' AND v.user_id IN (`+placeholders(w.owners, args)+`))`)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "(" + strings.Join(parts, " OR ") + ")"
}

// placeholders appends values to args and returns their "$n, $m, …".
func placeholders(values []int64, args *[]any) string {
	ph := make([]string, len(values))
	for i, v := range values {
		*args = append(*args, v)
		ph[i] = fmt.Sprintf("$%d", len(*args))
	}
	return strings.Join(ph, ", ")
}
