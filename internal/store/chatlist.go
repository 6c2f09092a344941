package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/switchboardhq/switchboard/internal/hub"
)

// ChatListQuery selects a page of the chat list (F8–F12).
type ChatListQuery struct {
	WorkspaceID string
	Access      hub.Access
	// Groups includes group chats as entries of their own (full page, and only for admins:
	// the list also asks Access).
	Groups bool
	// At most one scope: the contacts of a CRM deal, or of a CRM contact; none is the full page.
	CRMLeadID, CRMContactID int64
	// Search restricts to contacts whose name, Telegram username or phone digits contain it,
	// and to groups whose title does (F9); the caller enforces its minimum length.
	Search string
	// Country is the workspace's (ISO 3166): a phone typed in its national form is searched
	// by its international digits too.
	Country string
	After   *ListCursor // nil for the first page
	Limit   int
}

// ListCursor is the keyset position of a list entry: unanswered entries first, then newest
// activity, then id, all descending.
type ListCursor struct {
	Unanswered bool
	ActivityAt int64 // Unix ms
	ID         string
}

// ListEntry is a contact with its chats (most recently active first), or a group chat.
type ListEntry struct {
	Contact *hub.Contact
	Chats   []hub.Chat
	Group   *hub.Chat
	Cursor  ListCursor
}

// ChatList returns a page of entries in list order. The order is served segment by segment
// (unanswered, then answered), so each segment is a keyset range scan of the list indexes.
func (s *Store) ChatList(ctx context.Context, q ChatListQuery) ([]ListEntry, error) {
	var keys []ListCursor
	kinds := map[string]bool{} // id → is a group
	for _, unanswered := range []bool{true, false} {
		if q.After != nil && !q.After.Unanswered && unanswered {
			continue // the cursor is already past the unanswered segment
		}
		var after *ListCursor
		if q.After != nil && q.After.Unanswered == unanswered {
			after = q.After
		}
		seg, err := s.listSegment(ctx, q, unanswered, after, q.Limit-len(keys), kinds)
		if err != nil {
			return nil, err
		}
		keys = append(keys, seg...)
		if len(keys) >= q.Limit {
			break
		}
	}
	return s.hydrateEntries(ctx, q.WorkspaceID, keys, kinds)
}

// listSegment returns up to limit keys of one segment after the cursor, merging contacts and
// (when asked) groups.
func (s *Store) listSegment(ctx context.Context, q ChatListQuery, unanswered bool, after *ListCursor, limit int,
	kinds map[string]bool) ([]ListCursor, error) {
	cmp := "= 0"
	if unanswered {
		cmp = "> 0"
	}
	args := []any{q.WorkspaceID}
	where := []string{`c.workspace_id = $1`, `c.unanswered_chats ` + cmp,
		`EXISTS (SELECT 1 FROM chats x WHERE x.workspace_id = $1 AND x.contact_id = c.id)`,
		accessCond(q.Access, "c.id", "$1", q.Search != "", &args)}
	where = append(where, s.scopeConds(q, &args)...)
	where = append(where, keysetCond(after, "c.last_activity_at", "c.id", &args)...)
	args = append(args, limit)
	contacts, err := collect(scanKey)(s.r.QueryContext(ctx, `SELECT c.last_activity_at, c.id FROM contacts c
		WHERE `+strings.Join(where, " AND ")+fmt.Sprintf(` ORDER BY c.last_activity_at DESC, c.id DESC LIMIT $%d`, len(args)),
		args...))
	if err != nil {
		return nil, err
	}
	var groups []ListCursor
	if q.Groups && q.Access.Admin && q.CRMLeadID == 0 && q.CRMContactID == 0 {
		args := []any{q.WorkspaceID}
		where := []string{`g.workspace_id = $1`, `g.kind = 'group'`, `g.unanswered_count ` + cmp}
		if q.Search != "" {
			ids, err := s.groupsTitled(ctx, q.WorkspaceID, q.Search)
			if err != nil {
				return nil, err
			}
			where = append(where, inCond("g.id", ids, &args))
		}
		where = append(where, keysetCond(after, "g.last_activity_at", "g.id", &args)...)
		args = append(args, limit)
		groups, err = collect(scanKey)(s.r.QueryContext(ctx, `SELECT g.last_activity_at, g.id FROM chats g
			WHERE `+strings.Join(where, " AND ")+fmt.Sprintf(` ORDER BY g.last_activity_at DESC, g.id DESC LIMIT $%d`, len(args)),
			args...))
		if err != nil {
			return nil, err
		}
	}
	for _, g := range groups {
		kinds[g.ID] = true
	}
	all := append(contacts, groups...)
	slices.SortFunc(all, func(a, b ListCursor) int {
		if a.ActivityAt != b.ActivityAt {
			return -cmpInt(a.ActivityAt, b.ActivityAt)
		}
		return -strings.Compare(a.ID, b.ID)
	})
	if len(all) > limit {
		all = all[:limit]
	}
	for i := range all {
		all[i].Unanswered = unanswered
	}
	return all, nil
}

// groupsTitled returns the ids of the workspace's groups whose folded title contains the folded
// query. Titles are folded here rather than in SQL (SQLite lower-cases ASCII only); a workspace
// has few groups.
func (s *Store) groupsTitled(ctx context.Context, workspaceID, query string) ([]string, error) {
	text, _, _ := SearchTerms(query, "")
	rows, err := s.r.QueryContext(ctx, `SELECT id, title FROM chats WHERE workspace_id = $1 AND kind = 'group'`, workspaceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id, title string
		if err := rows.Scan(&id, &title); err != nil {
			return nil, err
		}
		if strings.Contains(Fold(title), text) {
			ids = append(ids, id)
		}
	}
	return ids, rows.Err()
}

// inCond is "col IN (…)" with ids as parameters (a condition nothing meets when there are none).
func inCond(col string, ids []string, args *[]any) string {
	if len(ids) == 0 {
		return "1 = 0"
	}
	ps := make([]string, len(ids))
	for i, id := range ids {
		*args = append(*args, id)
		ps[i] = fmt.Sprintf("$%d", len(*args))
	}
	return col + " IN (" + strings.Join(ps, ", ") + ")"
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func scanKey(r scanner) (ListCursor, error) {
	var k ListCursor
	return k, r.Scan(&k.ActivityAt, &k.ID)
}

// keysetCond is "(ts, id) < cursor" for descending pages.
func keysetCond(after *ListCursor, ts, id string, args *[]any) []string {
	if after == nil {
		return nil
	}
	*args = append(*args, after.ActivityAt, after.ID)
	n := len(*args)
	return []string{fmt.Sprintf(`(%s < $%d OR (%s = $%d AND %s < $%d))`, ts, n-1, ts, n-1, id, n)}
}

// scopeConds restricts the contacts to a CRM deal's or contact's, or to a search.
func (s *Store) scopeConds(q ChatListQuery, args *[]any) []string {
	var out []string
	if q.CRMLeadID != 0 {
		*args = append(*args, q.CRMLeadID)
		out = append(out, fmt.Sprintf(`c.id IN (SELECT l.contact_id FROM contact_crm_links l
			JOIN crm_lead_contacts lc ON lc.workspace_id = l.workspace_id AND lc.crm_contact_id = l.crm_contact_id
			WHERE l.workspace_id = $1 AND lc.crm_lead_id = $%d)`, len(*args)))
	}
	if q.CRMContactID != 0 {
		*args = append(*args, q.CRMContactID)
		out = append(out, fmt.Sprintf(`c.id IN (SELECT contact_id FROM contact_crm_links
			WHERE workspace_id = $1 AND crm_contact_id = $%d)`, len(*args)))
	}
	if q.Search != "" {
		text, digits, intl := SearchTerms(q.Search, q.Country)
		cond := s.bodyContains(text, args)
		for _, d := range []string{digits, intl} {
			if len(d) >= 4 && d != text {
				cond = `(` + cond + ` OR ` + s.bodyContains(d, args) + `)`
			}
		}
		out = append(out, `c.id IN (SELECT s.contact_id FROM contact_search s WHERE s.workspace_id = $1 AND `+cond+`)`)
	}
	return out
}
