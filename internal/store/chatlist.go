package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
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
// (unanswered, then answered), each a keyset range scan of the list indexes or of the
// visibility index, or cut from a few contacts read whole (planList).
func (s *Store) ChatList(ctx context.Context, q ChatListQuery) ([]ListEntry, error) {
	p, err := s.planList(ctx, q)
	if err != nil {
		return nil, err
	}
	kinds := map[string]bool{} // id → is a group
	keys, err := s.listKeys(ctx, q, p, kinds)
	if errors.Is(err, errWalkCut) {
		// A rarer term: start again from its matches in the trigram index.
		if p, err = s.planMatches(ctx, q, listPlan{terms: p.terms}, s.smallSetLimit()); err != nil {
			return nil, err
		}
		clear(kinds)
		keys, err = s.listKeys(ctx, q, p, kinds)
	}
	if err != nil {
		return nil, err
	}
	return s.hydrateEntries(ctx, q.WorkspaceID, keys, kinds)
}

// listKeys returns the keys of a page, segment by segment.
func (s *Store) listKeys(ctx context.Context, q ChatListQuery, p listPlan, kinds map[string]bool) ([]ListCursor, error) {
	var keys []ListCursor
	for _, unanswered := range []bool{true, false} {
		if q.After != nil && !q.After.Unanswered && unanswered {
			continue // the cursor is already past the unanswered segment
		}
		var after *ListCursor
		if q.After != nil && q.After.Unanswered == unanswered {
			after = q.After
		}
		seg, err := s.listSegment(ctx, q, p, unanswered, after, q.Limit-len(keys), kinds)
		if err != nil {
			return nil, err
		}
		keys = append(keys, seg...)
		if len(keys) >= q.Limit {
			break
		}
	}
	return keys, nil
}

// walkFirst is how many contacts (of all segments and visibility ranges) a search by name walks
// in list order on SQLite before it turns to the trigram index, once a probe of the index
// (probeMatches) found it common. A common name fills its page within them (at 100,000 contacts
// "иван" is in one in eight, a page after about 400), where reading up to smallSet of its
// matches from FTS5 first, only to learn that they are many, cost as much as the page. A name
// rarer than the walk can tell leaves it cut (errWalkCut), and the search starts again from its
// matches. A phone number goes to the index first: its digits are rare in any workspace.
// PostgreSQL does not walk first: there the walk reads a heap page per contact, where the matches
// come from a sequential read of the compact search table, and a rare name's wasted walk cost more
// than a common name's saved read (docs/performance.md).
const walkFirst = 2000

// probeMatches is how many of a name's matches a search on SQLite reads from the trigram index
// before it walks: a name with fewer is read whole from them, at once ("user1234": 11 of 100,000
// contacts, where walking first read 2,000 contacts in vain), and reading so few costs a common
// name a fraction of its walk (docs/performance.md).
const probeMatches = 200

// errWalkCut says a search's first walk read walkFirst contacts without filling its page.
var errWalkCut = errors.New("store: the search's walk was cut")

// smallSet is how many contacts a query reads whole and sorts by activity: the contacts a
// search matches, or those a manager may see, when there are fewer. A larger set is met by
// walking the activity index instead, checking each contact, which fills a page of n after about
// n × (contacts / set) of them; at 100,000 contacts either way costs a few milliseconds around
// this size (docs/performance.md).
const smallSet = 1500

// listPlan is where a page's query starts: from few contacts read whole (a search's matches, or
// those a manager may see), or else from the activity index.
type listPlan struct {
	terms []string
	// few, when not nil, holds every contact the page may show (fewMatches tells which set),
	// and fewKeys their places in the list, read once for every segment and page.
	few        []string
	fewMatches bool
	fewKeys    []ListCursor
	// ranges, when not nil, are the visibility index's ranges that hold every contact the
	// employee may see (rangeSegment).
	ranges []visibilityRange
	// budget, when not nil, is how many more rows the walks of a search walking first may read
	// (walkFirst), shared by its segments and ranges.
	budget *int
}

// visibilityRange is the rows of contact_visibility of one CRM user, one way.
type visibilityRange struct {
	via    string
	userID int64
}

// maxRanges is how many ranges of the visibility index a page merges at most; an employee who
// may view more users' contacts (group rights in a large group) sees many contacts, and the
// activity index, checked contact by contact, fills a page sooner.
const maxRanges = 4

// planList reads, from their indexes and only up to smallSet, the search's matches and then
// the contacts the employee may see; a search by name on SQLite reads only up to probeMatches,
// and walks first (walkFirst) when they are more. A scoped list (a CRM deal's or contact's)
// starts from the scope.
func (s *Store) planList(ctx context.Context, q ChatListQuery) (listPlan, error) {
	var p listPlan
	if q.Search != "" {
		p.terms = searchAlternatives(q.Search, q.Country)
	}
	if q.CRMLeadID != 0 || q.CRMContactID != 0 {
		return p, nil
	}
	if len(p.terms) > 0 {
		_, digits, _ := SearchTerms(q.Search, q.Country)
		limit := s.smallSetLimit()
		if n, probe := s.walkFirstLimit(); digits == "" && n > 0 {
			p.budget, limit = &n, probe
		}
		return s.planMatches(ctx, q, p, limit)
	}
	return s.planVisible(ctx, q, p)
}

// planMatches starts from the search's matches when they are fewer than limit, and else walks
// (planVisible), first up to p.budget when there is one.
func (s *Store) planMatches(ctx context.Context, q ChatListQuery, p listPlan, limit int64) (listPlan, error) {
	var err error
	if p.few, err = s.fewMatching(ctx, q.WorkspaceID, p.terms, limit); err != nil {
		return p, err
	}
	if p.few != nil {
		p.fewMatches, p.budget = true, nil // read whole: nothing is walked
		p.fewKeys, err = s.fewKeys(ctx, q, p)
		return p, err
	}
	return s.planVisible(ctx, q, p)
}

// planVisible starts from the contacts the employee may see when they are fewer than smallSet,
// and else walks the visibility ranges or the activity index.
func (s *Store) planVisible(ctx context.Context, q ChatListQuery, p listPlan) (listPlan, error) {
	var err error
	if p.few, err = s.fewVisible(ctx, q.WorkspaceID, q.Access); err != nil {
		return p, err
	}
	if p.few != nil {
		p.budget = nil // read whole: nothing is walked
		p.fewKeys, err = s.fewKeys(ctx, q, p)
		return p, err
	}
	p.ranges = visibilityRanges(q.Access)
	return p, nil
}

// visibilityRanges are the ranges of the visibility index that hold every contact an employee
// may see, when they are few: nil for an admin, a "view all" right or more than maxRanges.
func visibilityRanges(a hub.Access) []visibilityRange {
	if a.Admin || a.ContactsAll || a.LeadsAll || len(a.ContactOwners)+len(a.LeadOwners) > maxRanges {
		return nil
	}
	var out []visibilityRange
	for _, u := range a.ContactOwners {
		out = append(out, visibilityRange{"contact", u})
	}
	for _, u := range a.LeadOwners {
		out = append(out, visibilityRange{"lead", u})
	}
	return out
}

// fewVisible returns the contacts an employee may see when they are fewer than smallSet (from
// the visibility index), nil when they are more or the employee is an admin.
func (s *Store) fewVisible(ctx context.Context, workspaceID string, a hub.Access) ([]string, error) {
	if a.Admin {
		return nil, nil
	}
	args := []any{workspaceID}
	cond := visibilityCond(a, &args)
	if cond == "" {
		return []string{}, nil
	}
	// Counted first: most managers see many, and a count reads the index without a row each.
	query := `SELECT v.contact_id FROM contact_visibility v WHERE v.workspace_id = $1 AND ` + cond
	var n int64
	limit := s.smallSetLimit()
	if err := s.r.QueryRowContext(ctx, fmt.Sprintf(`SELECT COUNT(*) FROM (%s LIMIT %d) t`, query, limit),
		args...).Scan(&n); err != nil || n >= limit {
		return nil, err
	}
	return s.fewIDs(ctx, query, args, limit)
}

// fewMatching returns the contacts matching the search terms when they are fewer than limit
// (from the trigram index), nil when they are more.
func (s *Store) fewMatching(ctx context.Context, workspaceID string, terms []string, limit int64) ([]string, error) {
	args := []any{workspaceID}
	return s.fewIDs(ctx, s.matchesSQL(terms, &args), args, limit)
}

// fewIDs returns the distinct ids query selects when it selects fewer than limit rows, reading
// no more than that; nil otherwise.
func (s *Store) fewIDs(ctx context.Context, query string, args []any, limit int64) ([]string, error) {
	ids, err := collect(scanString)(s.r.QueryContext(ctx, fmt.Sprintf(`%s LIMIT %d`, query, limit), args...))
	if err != nil || int64(len(ids)) >= limit {
		return nil, err
	}
	if ids == nil {
		return []string{}, nil // none: an empty set, not a large one
	}
	slices.Sort(ids)
	return slices.Compact(ids), nil
}

// SearchWay is one of the ways a list or search may be read, which SetSearchWay forces so that
// tests take each on little data.
type SearchWay int

const (
	WayChosen SearchWay = iota // as the store chooses
	// WayIndex never walks first: a search starts from its matches in the trigram index (and a
	// manager's list from the contacts they may see) when they are fewer than smallSet.
	WayIndex
	WayWalk // always walks the activity index or the visibility ranges
	// WayCutWalk walks as WayWalk, but a search by name with any match first walks three
	// contacts of each segment and range and starts again when that did not fill its page.
	WayCutWalk
	// WayProbe is the store's choice on SQLite at small bounds, on either engine: a search by
	// name reads fewer than probeWay of its matches whole, and else walks three contacts first
	// and then starts again from its matches when they are fewer than smallSet.
	WayProbe
)

// probeWay is WayProbe's probeMatches.
const probeWay = 10

// SearchWays are every way, for tests.
var SearchWays = []SearchWay{WayChosen, WayIndex, WayWalk, WayCutWalk, WayProbe}

// SetSearchWay forces a way of reading lists and searches (WayChosen restores the store's choice).
func (s *Store) SetSearchWay(w SearchWay) { s.searchWay.Store(int64(w)) }

// smallSetLimit is smallSet, or 1 when the way walks.
func (s *Store) smallSetLimit() int64 {
	if w := SearchWay(s.searchWay.Load()); w == WayWalk || w == WayCutWalk {
		return 1
	}
	return smallSet
}

// walkFirstLimit is how far a search by name walks first (walkFirst on SQLite, 3 when the way is
// WayCutWalk or WayProbe, 0 for none) once probe or more of its matches were found (WayCutWalk's
// probe is its smallSetLimit).
func (s *Store) walkFirstLimit() (walk int, probe int64) {
	switch SearchWay(s.searchWay.Load()) {
	case WayChosen:
		if s.dialect == SQLite {
			return walkFirst, probeMatches
		}
	case WayCutWalk:
		return 3, 1
	case WayProbe:
		return 3, probeWay
	}
	return 0, 0
}

// listSegment returns up to limit keys of one segment after the cursor, merging contacts and
// (when asked) groups.
func (s *Store) listSegment(ctx context.Context, q ChatListQuery, p listPlan, unanswered bool, after *ListCursor,
	limit int, kinds map[string]bool) ([]ListCursor, error) {
	cmp := "= 0"
	if unanswered {
		cmp = "> 0"
	}
	contacts, err := s.contactSegment(ctx, q, p, unanswered, after, limit)
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
			where = append(where, s.inCond("g.id", ids, &args))
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
	sortKeys(all)
	if len(all) > limit {
		all = all[:limit]
	}
	for i := range all {
		all[i].Unanswered = unanswered
	}
	return all, nil
}

// contactSegment returns up to limit keys of the contacts of one segment after the cursor.
func (s *Store) contactSegment(ctx context.Context, q ChatListQuery, p listPlan, unanswered bool, after *ListCursor,
	limit int) ([]ListCursor, error) {
	if p.ranges != nil {
		return s.rangeSegment(ctx, q, p, unanswered, after, limit)
	}
	if p.few != nil {
		return fewSegment(p.fewKeys, unanswered, after, limit), nil
	}
	cmp := "= 0"
	if unanswered {
		cmp = "> 0"
	}
	// The cheapest checks first: the copy of the search entry on the row, then the probes.
	args := []any{q.WorkspaceID}
	where := []string{`c.workspace_id = $1`, `c.unanswered_chats ` + cmp}
	where = append(where, s.scopeConds(q, &args)...)
	if len(p.terms) > 0 {
		where = append(where, rowContains("c.search_body", p.terms, &args))
	}
	where = append(where, accessCond(q.Access, "c.id", &args),
		`EXISTS (SELECT 1 FROM chats x WHERE x.workspace_id = $1 AND x.contact_id = c.id)`)
	where = append(where, keysetCond(after, "c.last_activity_at", "c.id", &args)...)
	var edge *ListCursor
	if p.budget != nil {
		eargs := []any{q.WorkspaceID}
		var err error
		if edge, err = s.walkEdge(ctx, `SELECT c.last_activity_at, c.id FROM contacts c WHERE c.workspace_id = $1
			AND c.unanswered_chats `+cmp+` AND `+strings.Join(append([]string{"TRUE"},
			keysetCond(after, "c.last_activity_at", "c.id", &eargs)...), " AND ")+`
			ORDER BY c.last_activity_at DESC, c.id DESC`, eargs, p.budget); err != nil {
			return nil, err
		}
		where = append(where, edgeCond(edge, "c.last_activity_at", "c.id", &args)...)
	}
	args = append(args, limit)
	keys, err := collect(scanKey)(s.r.QueryContext(ctx, `SELECT c.last_activity_at, c.id FROM contacts c
		WHERE `+strings.Join(where, " AND ")+fmt.Sprintf(` ORDER BY c.last_activity_at DESC, c.id DESC LIMIT $%d`, len(args)),
		args...))
	if err == nil && edge != nil && len(keys) < limit {
		return nil, errWalkCut
	}
	return keys, err
}

// walkEdge returns the row at which a walk of query (rows in walk order) stops when it may read
// budget rows more, nil when it has fewer (then it reads them all), and takes what the walk may
// read from budget; errWalkCut when nothing is left. Read from the index alone, it bounds the
// walk that checks each row.
func (s *Store) walkEdge(ctx context.Context, query string, args []any, budget *int) (*ListCursor, error) {
	if *budget <= 0 {
		return nil, errWalkCut
	}
	k, err := scanKey(s.r.QueryRowContext(ctx, fmt.Sprintf(`%s LIMIT 1 OFFSET %d`, query, *budget-1), args...))
	if err == nil {
		*budget = 0
		return &k, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	var n int
	if err := s.r.QueryRowContext(ctx, fmt.Sprintf(`SELECT COUNT(*) FROM (%s) t`, query), args...).Scan(&n); err != nil {
		return nil, err
	}
	*budget -= n
	return nil, nil
}

// edgeCond is "(ts, id) ≥ edge": the rows a walk cut at edge reads.
func edgeCond(edge *ListCursor, ts, id string, args *[]any) []string {
	if edge == nil {
		return nil
	}
	*args = append(*args, edge.ActivityAt, edge.ID)
	n := len(*args)
	return []string{fmt.Sprintf(`(%s > $%d OR (%s = $%d AND %s >= $%d))`, ts, n-1, ts, n-1, id, n)}
}

// fewKeys reads the list places of the contacts of p.few the page may show, by their keys and in
// no order (with an order and a limit, PostgreSQL's planner may walk the activity index instead
// and test each contact against the whole set).
func (s *Store) fewKeys(ctx context.Context, q ChatListQuery, p listPlan) ([]ListCursor, error) {
	args := []any{q.WorkspaceID}
	where := []string{`c.workspace_id = $1`, s.inCond("c.id", p.few, &args)}
	if len(p.terms) > 0 { // the index's matches may be more than the search's (matchesSQL)
		where = append(where, rowContains("c.search_body", p.terms, &args))
	}
	if p.fewMatches {
		where = append(where, accessCond(q.Access, "c.id", &args))
	}
	where = append(where, `EXISTS (SELECT 1 FROM chats x WHERE x.workspace_id = $1 AND x.contact_id = c.id)`)
	return collect(func(r scanner) (ListCursor, error) {
		var k ListCursor
		return k, r.Scan(&k.Unanswered, &k.ActivityAt, &k.ID)
	})(s.r.QueryContext(ctx, `SELECT c.unanswered_chats > 0, c.last_activity_at, c.id FROM contacts c
		WHERE `+strings.Join(where, " AND "), args...))
}

// fewSegment cuts a segment's page after the cursor out of keys.
func fewSegment(keys []ListCursor, unanswered bool, after *ListCursor, limit int) []ListCursor {
	var out []ListCursor
	for _, k := range keys {
		if k.Unanswered == unanswered && (after == nil || k.ActivityAt < after.ActivityAt ||
			(k.ActivityAt == after.ActivityAt && k.ID < after.ID)) {
			out = append(out, ListCursor{ActivityAt: k.ActivityAt, ID: k.ID})
		}
	}
	sortKeys(out)
	return out[:min(limit, len(out))]
}

// sortKeys orders keys newest activity first, then by id descending.
func sortKeys(keys []ListCursor) {
	slices.SortFunc(keys, func(a, b ListCursor) int {
		if a.ActivityAt != b.ActivityAt {
			return -cmpInt(a.ActivityAt, b.ActivityAt)
		}
		return -strings.Compare(a.ID, b.ID)
	})
}

// rangeSegment is contactSegment read from the visibility index: for each CRM user whose
// contacts or deals the employee may view, a range of that user's rows newest first (limit at
// most each, a search checking each row's contact), merged.
func (s *Store) rangeSegment(ctx context.Context, q ChatListQuery, p listPlan, unanswered bool, after *ListCursor,
	limit int) ([]ListCursor, error) {
	u := 0
	if unanswered {
		u = 1
	}
	args := []any{q.WorkspaceID, u}
	parts := make([]string, len(p.ranges))
	edges := make([]*ListCursor, len(p.ranges))
	for i, r := range p.ranges {
		args = append(args, r.via, r.userID)
		from := `contact_visibility v`
		where := []string{`v.workspace_id = $1`, fmt.Sprintf(`v.via = $%d AND v.user_id = $%d`, len(args)-1, len(args)),
			`v.unanswered = $2`}
		where = append(where, keysetCond(after, "v.last_activity_at", "v.contact_id", &args)...)
		if p.budget != nil {
			eargs := []any{q.WorkspaceID, u, r.via, r.userID}
			ewhere := append([]string{`v.workspace_id = $1 AND v.via = $3 AND v.user_id = $4 AND v.unanswered = $2`},
				keysetCond(after, "v.last_activity_at", "v.contact_id", &eargs)...)
			var err error
			if edges[i], err = s.walkEdge(ctx, `SELECT v.last_activity_at, v.contact_id FROM contact_visibility v
				WHERE `+strings.Join(ewhere, " AND ")+` ORDER BY v.last_activity_at DESC, v.contact_id DESC`, eargs, p.budget); err != nil {
				return nil, err
			}
			where = append(where, edgeCond(edges[i], "v.last_activity_at", "v.contact_id", &args)...)
		}
		if len(p.terms) > 0 {
			// Each row's contact read by its key as the range is walked. Joined plainly,
			// PostgreSQL's planner hashed the whole contacts table to walk a range of 2,000 rows
			// (100,000 rows read for a common name); a subquery it may not flatten (OFFSET 0)
			// keeps the walk. SQLite has no LATERAL, and walks the join.
			if s.dialect == SQLite {
				from += ` JOIN contacts c ON c.id = v.contact_id`
			} else {
				from += `, LATERAL (SELECT c.search_body FROM contacts c WHERE c.id = v.contact_id OFFSET 0) c`
			}
			where = append(where, rowContains("c.search_body", p.terms, &args))
		}
		where = append(where, `EXISTS (SELECT 1 FROM chats x WHERE x.workspace_id = $1 AND x.contact_id = v.contact_id)`)
		parts[i] = fmt.Sprintf(`SELECT * FROM (SELECT v.last_activity_at, v.contact_id, %d AS r FROM %s WHERE %s
			ORDER BY v.last_activity_at DESC, v.contact_id DESC LIMIT %d) r%d`, i, from, strings.Join(where, " AND "), limit, i)
	}
	type ranged struct {
		key   ListCursor
		index int
	}
	rows, err := collect(func(r scanner) (ranged, error) {
		var k ranged
		return k, r.Scan(&k.key.ActivityAt, &k.key.ID, &k.index)
	})(s.r.QueryContext(ctx, strings.Join(parts, " UNION ALL "), args...))
	if err != nil {
		return nil, err
	}
	// Merged: a contact visible several ways is in several ranges.
	read := make([]int, len(p.ranges))
	seen := map[string]bool{}
	var keys []ListCursor
	for _, r := range rows {
		read[r.index]++
		if !seen[r.key.ID] {
			seen[r.key.ID] = true
			keys = append(keys, r.key)
		}
	}
	sortKeys(keys)
	keys = keys[:min(limit, len(keys))]
	// A range cut at its edge before it gave its page holds more rows past the edge, which the
	// page needs unless it ends before them.
	for i, e := range edges {
		if e != nil && read[i] < limit && (len(keys) < limit || olderThan(keys[len(keys)-1], *e)) {
			return nil, errWalkCut
		}
	}
	return keys, nil
}

// olderThan says whether a comes after b in list order (within a segment).
func olderThan(a, b ListCursor) bool {
	return a.ActivityAt < b.ActivityAt || (a.ActivityAt == b.ActivityAt && a.ID < b.ID)
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

// inCond is "col IN (…)" with ids as one parameter: a JSON array on SQLite, an array on
// PostgreSQL (a condition nothing meets when there are none). A parameter per id made SQLite
// spend a third of a search's time compiling the statement (its lookup of numbered parameters
// is linear, so a list of a thousand costs a million steps).
func (s *Store) inCond(col string, ids []string, args *[]any) string {
	if len(ids) == 0 {
		return "1 = 0"
	}
	if s.dialect == SQLite {
		b, _ := json.Marshal(ids) // strings always marshal
		*args = append(*args, string(b))
		return fmt.Sprintf("%s IN (SELECT value FROM json_each($%d))", col, len(*args))
	}
	*args = append(*args, ids)
	return fmt.Sprintf("%s = ANY($%d)", col, len(*args))
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

// scopeConds restricts the contacts to a CRM deal's or contact's.
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
	return out
}
