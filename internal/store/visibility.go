package store

import (
	"context"
	"fmt"
)

// contact_visibility (migration 0024) holds, per hub contact, the responsible users of the CRM
// contacts it is linked to (via 'contact') and of the deals those belong to (via 'lead'), 0 for
// an entity not fetched yet: what hub.Access.Contact reads of ContactLinks, as rows an index can
// answer; and the contact's place in the chat list (unanswered, last_activity_at), so a manager's
// list is a range of that index per user they may see. Every write that changes a contact's
// links, a CRM contact's or deal's responsible user or a deal's contacts rewrites the rows of
// the contacts it touches in the same transaction, and touchChat moves them with the contact.

// refreshVisibility rewrites the visibility rows of the workspace's contacts ids from their
// links, CRM contacts and deals.
func refreshVisibility(ctx context.Context, q querier, workspaceID string, ids []string) error {
	for _, id := range ids {
		if _, err := q.ExecContext(ctx, `DELETE FROM contact_visibility WHERE contact_id = $1`, id); err != nil {
			return fmt.Errorf("store: contact visibility: %w", err)
		}
		if _, err := q.ExecContext(ctx, `INSERT INTO contact_visibility (workspace_id, contact_id, via, user_id,
				unanswered, last_activity_at)
			SELECT DISTINCT l.workspace_id, l.contact_id, 'contact', COALESCE(cc.responsible_user_id, 0),
				CASE WHEN c.unanswered_chats > 0 THEN 1 ELSE 0 END, c.last_activity_at
			FROM contact_crm_links l
			JOIN contacts c ON c.id = l.contact_id
			LEFT JOIN crm_contacts cc ON cc.workspace_id = l.workspace_id AND cc.crm_contact_id = l.crm_contact_id
			WHERE l.workspace_id = $1 AND l.contact_id = $2
			UNION
			SELECT l.workspace_id, l.contact_id, 'lead', COALESCE(ld.responsible_user_id, 0),
				CASE WHEN c.unanswered_chats > 0 THEN 1 ELSE 0 END, c.last_activity_at
			FROM contact_crm_links l
			JOIN contacts c ON c.id = l.contact_id
			JOIN crm_lead_contacts lc ON lc.workspace_id = l.workspace_id AND lc.crm_contact_id = l.crm_contact_id
			LEFT JOIN crm_leads ld ON ld.workspace_id = lc.workspace_id AND ld.crm_lead_id = lc.crm_lead_id
			WHERE l.workspace_id = $1 AND l.contact_id = $2`, workspaceID, id); err != nil {
			return fmt.Errorf("store: contact visibility: %w", err)
		}
	}
	return nil
}

// moveVisibility gives a contact's visibility rows its new place in the list.
func moveVisibility(ctx context.Context, q querier, contactID string, unanswered bool, lastActivityAt int64) error {
	u := 0
	if unanswered {
		u = 1
	}
	if _, err := q.ExecContext(ctx, `UPDATE contact_visibility SET unanswered = $2, last_activity_at = $3
		WHERE contact_id = $1`, contactID, u, lastActivityAt); err != nil {
		return fmt.Errorf("store: contact visibility: %w", err)
	}
	return nil
}

// contactsOfCRMContacts lists the hub contacts linked to any of the CRM contacts crmIDs.
func contactsOfCRMContacts(ctx context.Context, q querier, workspaceID string, crmIDs []int64) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	for _, crmID := range crmIDs {
		ids, err := collect(scanString)(q.QueryContext(ctx, `SELECT contact_id FROM contact_crm_links
			WHERE workspace_id = $1 AND crm_contact_id = $2`, workspaceID, crmID))
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			if !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
	}
	return out, nil
}
