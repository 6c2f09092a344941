package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/switchboardhq/switchboard/internal/hub"
)

// hydrateEntries loads the contacts, their chats and the groups of a list page with one query
// per kind of row (no N+1), in the order of keys.
func (s *Store) hydrateEntries(ctx context.Context, workspaceID string, keys []ListCursor, groups map[string]bool) ([]ListEntry, error) {
	var contactIDs, groupIDs []string
	for _, k := range keys {
		if groups[k.ID] {
			groupIDs = append(groupIDs, k.ID)
		} else {
			contactIDs = append(contactIDs, k.ID)
		}
	}
	contacts, err := s.ContactsByIDs(ctx, workspaceID, contactIDs)
	if err != nil {
		return nil, err
	}
	chats, err := s.chatsWhere(ctx, workspaceID, "contact_id", contactIDs)
	if err != nil {
		return nil, err
	}
	byContact := map[string][]hub.Chat{}
	for _, c := range chats {
		byContact[c.ContactID] = append(byContact[c.ContactID], c)
	}
	groupChats, err := s.chatsWhere(ctx, workspaceID, "id", groupIDs)
	if err != nil {
		return nil, err
	}
	byID := map[string]hub.Chat{}
	for _, g := range groupChats {
		byID[g.ID] = g
	}
	out := make([]ListEntry, 0, len(keys))
	for _, k := range keys {
		if g, ok := byID[k.ID]; ok {
			out = append(out, ListEntry{Group: &g, Cursor: k})
		} else if c, ok := contacts[k.ID]; ok {
			out = append(out, ListEntry{Contact: &c, Chats: byContact[k.ID], Cursor: k})
		}
	}
	return out, nil
}

// ContactsByIDs loads the workspace's contacts with those ids, with phones and CRM links.
func (s *Store) ContactsByIDs(ctx context.Context, workspaceID string, ids []string) (map[string]hub.Contact, error) {
	out := map[string]hub.Contact{}
	if len(ids) == 0 {
		return out, nil
	}
	in, args := inList(workspaceID, ids)
	list, err := collect(scanContact)(s.r.QueryContext(ctx, `SELECT `+contactCols+` FROM contacts
		WHERE workspace_id = $1 AND id IN (`+in+`)`, args...))
	if err != nil {
		return nil, err
	}
	for _, c := range list {
		out[c.ID] = c
	}
	rows, err := s.r.QueryContext(ctx, `SELECT contact_id, e164 FROM contact_phones
		WHERE workspace_id = $1 AND contact_id IN (`+in+`) ORDER BY contact_id, e164`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: contact phones: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, p string
		if err := rows.Scan(&id, &p); err != nil {
			return nil, err
		}
		c := out[id]
		c.Phones = append(c.Phones, p)
		out[id] = c
	}
	links, err := s.r.QueryContext(ctx, `SELECT contact_id, crm_contact_id FROM contact_crm_links
		WHERE workspace_id = $1 AND contact_id IN (`+in+`) ORDER BY contact_id, crm_contact_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: contact links: %w", err)
	}
	defer links.Close()
	for links.Next() {
		var id string
		var crm int64
		if err := links.Scan(&id, &crm); err != nil {
			return nil, err
		}
		c := out[id]
		c.CRMContactIDs = append(c.CRMContactIDs, crm)
		out[id] = c
	}
	return out, links.Err()
}

// chatsWhere loads the workspace's chats whose col is one of values, most recently active first.
func (s *Store) chatsWhere(ctx context.Context, workspaceID, col string, values []string) ([]hub.Chat, error) {
	if len(values) == 0 {
		return nil, nil
	}
	in, args := inList(workspaceID, values)
	return collect(scanChat)(s.r.QueryContext(ctx, `SELECT `+chatCols+` FROM chats
		WHERE workspace_id = $1 AND `+col+` IN (`+in+`) ORDER BY last_activity_at DESC, id DESC`, args...))
}

// inList makes "$2, $3, …" for values, after first (a workspace id, mostly) as $1.
func inList(first any, values []string) (string, []any) {
	ph := make([]string, len(values))
	args := make([]any, 0, len(values)+1)
	args = append(args, first)
	for i, v := range values {
		args = append(args, v)
		ph[i] = fmt.Sprintf("$%d", i+2)
	}
	return strings.Join(ph, ", "), args
}
