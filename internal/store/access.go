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
// expression) in the workspace whose id is the placeholder ws, appending its parameters to args.
// It must agree with Access.Contact; the storetest access cases and the HTTP access matrix
// check that it does. "May view any" rights are checked per row (most contacts pass, so a page
// fills early); rights limited to some responsible users are an IN set built from the
// responsible-user indexes, so a page costs what the employee may see, never a lookup per
// contact of the workspace.
func accessCond(a hub.Access, contactID, ws string, perRow bool, args *[]any) string {
	if a.Admin {
		return "TRUE"
	}
	if perRow {
		return accessPerRow(a, contactID, args)
	}
	var parts []string
	switch {
	case a.ContactsAll:
		parts = append(parts, `EXISTS (SELECT 1 FROM contact_crm_links l WHERE l.contact_id = `+contactID+`)`)
	case len(a.ContactOwners) > 0:
		parts = append(parts, contactID+` IN (SELECT l.contact_id FROM crm_contacts cc
			JOIN contact_crm_links l ON l.workspace_id = cc.workspace_id AND l.crm_contact_id = cc.crm_contact_id
			WHERE cc.workspace_id = `+ws+` AND cc.responsible_user_id IN (`+placeholders(a.ContactOwners, args)+`))`)
	}
	switch {
	case a.LeadsAll:
		parts = append(parts, `EXISTS (SELECT 1 FROM contact_crm_links l
			JOIN crm_lead_contacts lc ON lc.workspace_id = l.workspace_id AND lc.crm_contact_id = l.crm_contact_id
			WHERE l.contact_id = `+contactID+`)`)
	case len(a.LeadOwners) > 0:
		parts = append(parts, contactID+` IN (SELECT l.contact_id FROM crm_leads ld
			JOIN crm_lead_contacts lc ON lc.workspace_id = ld.workspace_id AND lc.crm_lead_id = ld.crm_lead_id
			JOIN contact_crm_links l ON l.workspace_id = lc.workspace_id AND l.crm_contact_id = lc.crm_contact_id
			WHERE ld.workspace_id = `+ws+` AND ld.responsible_user_id IN (`+placeholders(a.LeadOwners, args)+`))`)
	}
	if len(parts) == 0 {
		return "FALSE"
	}
	return "(" + strings.Join(parts, " OR ") + ")"
}

// accessPerRow is accessCond checked contact by contact, for a query whose other conditions
// (a search) already keep the rows few.
func accessPerRow(a hub.Access, contactID string, args *[]any) string {
	var parts []string
	if a.ContactsAll || len(a.ContactOwners) > 0 {
		cond := "TRUE"
		if !a.ContactsAll {
			cond = "cc.responsible_user_id IN (" + placeholders(a.ContactOwners, args) + ")"
		}
		parts = append(parts, `EXISTS (SELECT 1 FROM contact_crm_links l
			LEFT JOIN crm_contacts cc ON cc.workspace_id = l.workspace_id AND cc.crm_contact_id = l.crm_contact_id
			WHERE l.contact_id = `+contactID+` AND `+cond+`)`)
	}
	if a.LeadsAll || len(a.LeadOwners) > 0 {
		cond := "TRUE"
		if !a.LeadsAll {
			cond = "ld.responsible_user_id IN (" + placeholders(a.LeadOwners, args) + ")"
		}
		parts = append(parts, `EXISTS (SELECT 1 FROM contact_crm_links l
			JOIN crm_lead_contacts lc ON lc.workspace_id = l.workspace_id AND lc.crm_contact_id = l.crm_contact_id
			LEFT JOIN crm_leads ld ON ld.workspace_id = lc.workspace_id AND ld.crm_lead_id = lc.crm_lead_id
			WHERE l.contact_id = `+contactID+` AND `+cond+`)`)
	}
	if len(parts) == 0 {
		return "FALSE"
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
