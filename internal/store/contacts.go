package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/phone"
)

const contactCols = `id, workspace_id, name, avatar_url, email, COALESCE(wa_id, ''),
	COALESCE(telegram_user_id, 0), telegram_username, COALESCE(max_user_id, 0), max_username, blocked,
	unanswered_chats, last_activity_at, created_at, updated_at`

func scanContact(row scanner) (hub.Contact, error) {
	var c hub.Contact
	var last, created, updated int64
	err := row.Scan(&c.ID, &c.WorkspaceID, &c.Name, &c.AvatarURL, &c.Email, &c.WAID,
		&c.TelegramUserID, &c.TelegramUsername, &c.MaxUserID, &c.MaxUsername, &c.Blocked, &c.UnansweredChats, &last, &created, &updated)
	c.LastActivityAt, c.CreatedAt, c.UpdatedAt = fromMillis(last), fromMillis(created), fromMillis(updated)
	return c, notFound(err)
}

// CreateContact inserts c (with its phones and CRM links) and indexes it for search.
func (s *Store) CreateContact(ctx context.Context, c hub.Contact) (hub.Contact, error) {
	err := s.tx(ctx, func(q querier) error {
		var err error
		c, err = insertContact(ctx, q, c)
		return err
	})
	return c, err
}

func insertContact(ctx context.Context, q querier, c hub.Contact) (hub.Contact, error) {
	if c.ID == "" {
		c.ID = NewID()
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	c.CreatedAt, c.UpdatedAt = now, now
	if c.LastActivityAt.IsZero() {
		c.LastActivityAt = now
	}
	_, err := q.ExecContext(ctx, `INSERT INTO contacts (id, workspace_id, name, avatar_url, email, wa_id,
		telegram_user_id, telegram_username, max_user_id, max_username, blocked, unanswered_chats, last_activity_at,
		created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
		c.ID, c.WorkspaceID, c.Name, c.AvatarURL, c.Email, nullStr(c.WAID), nullInt(c.TelegramUserID),
		c.TelegramUsername, nullInt(c.MaxUserID), c.MaxUsername, c.Blocked, c.UnansweredChats, millis(c.LastActivityAt), millis(now), millis(now))
	if err != nil {
		return c, fmt.Errorf("store: create contact: %w", err)
	}
	return c, writeContactDetails(ctx, q, c)
}

// writeContactDetails replaces the contact's phones and search entry and adds its CRM links.
func writeContactDetails(ctx context.Context, q querier, c hub.Contact) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM contact_phones WHERE contact_id = $1`, c.ID); err != nil {
		return fmt.Errorf("store: contact phones: %w", err)
	}
	for _, p := range c.Phones {
		if _, err := q.ExecContext(ctx, `INSERT INTO contact_phones (workspace_id, contact_id, e164, digits)
			VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, c.WorkspaceID, c.ID, p, Digits(p)); err != nil {
			return fmt.Errorf("store: contact phones: %w", err)
		}
	}
	linked := false
	for _, id := range c.CRMContactIDs {
		res, err := q.ExecContext(ctx, `INSERT INTO contact_crm_links (workspace_id, contact_id, crm_contact_id)
			VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, c.WorkspaceID, c.ID, id)
		if err != nil {
			return fmt.Errorf("store: contact crm link: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n > 0 {
			linked = true // a new link: more employees may see the contact
		}
	}
	if linked {
		if err := refreshVisibility(ctx, q, c.WorkspaceID, []string{c.ID}); err != nil {
			return err
		}
	}
	if _, err := q.ExecContext(ctx, `DELETE FROM contact_search WHERE contact_id = $1`, c.ID); err != nil {
		return fmt.Errorf("store: contact search: %w", err)
	}
	body := searchBody(c)
	if _, err := q.ExecContext(ctx, `INSERT INTO contact_search (contact_id, workspace_id, body) VALUES ($1, $2, $3)`,
		c.ID, c.WorkspaceID, body); err != nil {
		return fmt.Errorf("store: contact search: %w", err)
	}
	// The contact's own copy, which a search checks row by row when it walks the list's indexes.
	if _, err := q.ExecContext(ctx, `UPDATE contacts SET search_body = $2 WHERE id = $1`, c.ID, body); err != nil {
		return fmt.Errorf("store: contact search: %w", err)
	}
	return nil
}

// UpdateContact saves c's profile, phones and CRM links (links are only ever added).
func (s *Store) UpdateContact(ctx context.Context, c hub.Contact) error {
	return s.tx(ctx, func(q querier) error { return updateContactOn(ctx, q, c) })
}

// LinkCRMContacts adds CRM contacts to a hub contact's links and logs what the windows need:
// contact.updated, then each of the contact's chats as chat.updated. Until the link only admins
// saw the customer, so the events of their first messages reached nobody else; everyone who may
// see the chats now gets them (issue 11 #15).
func (s *Store) LinkCRMContacts(ctx context.Context, workspaceID, contactID string, ids []int64) (c hub.Contact, err error) {
	err = s.tx(ctx, func(q querier) error {
		if c, err = contactOn(ctx, q, workspaceID, contactID); err != nil {
			return err
		}
		for _, id := range ids {
			if !slices.Contains(c.CRMContactIDs, id) {
				c.CRMContactIDs = append(c.CRMContactIDs, id)
			}
		}
		if err := updateContactOn(ctx, q, c); err != nil {
			return err
		}
		if c, err = contactOn(ctx, q, workspaceID, contactID); err != nil {
			return err
		}
		if _, err := appendEvent(ctx, q, workspaceID, hub.EventContactUpdated, "", contactID, c); err != nil {
			return err
		}
		chats, err := collect(scanChat)(q.QueryContext(ctx, `SELECT `+chatCols+` FROM chats
			WHERE workspace_id = $1 AND contact_id = $2 ORDER BY last_activity_at DESC, id DESC`, workspaceID, contactID))
		if err != nil {
			return err
		}
		for _, ch := range chats {
			if _, err := appendEvent(ctx, q, workspaceID, hub.EventChatUpdated, ch.ID, contactID, ch); err != nil {
				return err
			}
		}
		return nil
	})
	return c, err
}

// Contact returns the workspace's contact with its phones and CRM links.
func (s *Store) Contact(ctx context.Context, workspaceID, id string) (hub.Contact, error) {
	return contactOn(ctx, s.r, workspaceID, id)
}

func contactOn(ctx context.Context, q querier, workspaceID, id string) (hub.Contact, error) {
	c, err := scanContact(q.QueryRowContext(ctx, `SELECT `+contactCols+` FROM contacts
		WHERE workspace_id = $1 AND id = $2`, workspaceID, id))
	if err != nil {
		return c, err
	}
	return c, contactDetails(ctx, q, &c)
}

// contactDetails reads c's phones and CRM links.
func contactDetails(ctx context.Context, q querier, c *hub.Contact) error {
	var err error
	c.Phones, err = collect(scanString)(queryAll(ctx, q,
		`SELECT e164 FROM contact_phones WHERE contact_id = $1 ORDER BY e164`, c.ID))
	if err != nil {
		return err
	}
	c.CRMContactIDs, err = collect(scanInt64)(queryAll(ctx, q,
		`SELECT crm_contact_id FROM contact_crm_links WHERE contact_id = $1 ORDER BY crm_contact_id`, c.ID))
	return err
}

// ContactByIdentity finds a contact by WhatsApp wa_id or Telegram user id (whichever is set).
func (s *Store) ContactByIdentity(ctx context.Context, workspaceID, waID string, telegramUserID int64) (hub.Contact, error) {
	return contactByIdentity(ctx, s.r, workspaceID, hub.Contact{WAID: waID, TelegramUserID: telegramUserID})
}

// ContactByMaxUser finds a contact by MAX user id.
func (s *Store) ContactByMaxUser(ctx context.Context, workspaceID string, maxUserID int64) (hub.Contact, error) {
	return contactByIdentity(ctx, s.r, workspaceID, hub.Contact{MaxUserID: maxUserID})
}

// contactByIdentity finds the contact with any of who's messenger identities.
func contactByIdentity(ctx context.Context, q querier, workspaceID string, who hub.Contact) (hub.Contact, error) {
	// Only the identities who has, each an equality on its unique index, so the lookup is an
	// index probe (an OR over every column, set or not, was not always planned as one).
	var conds []string
	args := []any{workspaceID}
	for _, c := range []struct {
		col string
		v   any
		set bool
	}{{"wa_id", who.WAID, who.WAID != ""}, {"telegram_user_id", who.TelegramUserID, who.TelegramUserID != 0},
		{"max_user_id", who.MaxUserID, who.MaxUserID != 0}} {
		if c.set {
			args = append(args, c.v)
			conds = append(conds, fmt.Sprintf("%s = $%d", c.col, len(args)))
		}
	}
	if len(conds) == 0 {
		return hub.Contact{}, ErrNotFound
	}
	c, err := scanContact(q.QueryRowContext(ctx, `SELECT `+contactCols+` FROM contacts WHERE workspace_id = $1 AND (`+
		strings.Join(conds, " OR ")+`) LIMIT 1`, args...))
	if err != nil {
		return c, err
	}
	return c, contactDetails(ctx, q, &c)
}

// ContactsByPhone lists the workspace's contacts that have a phone with these digits.
func (s *Store) ContactsByPhone(ctx context.Context, workspaceID, e164 string) ([]string, error) {
	return collect(scanString)(s.r.QueryContext(ctx, `SELECT contact_id FROM contact_phones
		WHERE workspace_id = $1 AND digits = $2 ORDER BY contact_id`, workspaceID, Digits(e164)))
}

// ContactsByCRMContact lists the hub contacts linked to a CRM contact (F12).
func (s *Store) ContactsByCRMContact(ctx context.Context, workspaceID string, crmContactID int64) ([]string, error) {
	return collect(scanString)(s.r.QueryContext(ctx, `SELECT contact_id FROM contact_crm_links
		WHERE workspace_id = $1 AND crm_contact_id = $2 ORDER BY contact_id`, workspaceID, crmContactID))
}

// SearchContacts returns ids of contacts whose name, Telegram username or phone digits contain
// query (F9), newest activity first, at most limit. The caller enforces the minimum length.
// Like a chat list's search, it starts from the index's matches when they are few, and walks the
// contacts by activity otherwise (both segments of the list indexes, merged).
func (s *Store) SearchContacts(ctx context.Context, workspaceID, query string, limit int) ([]string, error) {
	terms := searchAlternatives(query, "")
	few, err := s.fewMatching(ctx, workspaceID, terms, s.smallSetLimit())
	if err != nil {
		return nil, err
	}
	var keys []ListCursor
	if few != nil {
		// By their keys and in no order, sorted here (see fewKeys).
		args := []any{workspaceID}
		keys, err = collect(scanKey)(s.r.QueryContext(ctx, `SELECT c.last_activity_at, c.id FROM contacts c
			WHERE c.workspace_id = $1 AND `+s.inCond("c.id", few, &args)+` AND `+rowContains("c.search_body", terms, &args),
			args...))
		if err != nil {
			return nil, err
		}
	} else {
		for _, cmp := range []string{"> 0", "= 0"} {
			args := []any{workspaceID, limit}
			seg, err := collect(scanKey)(s.r.QueryContext(ctx, `SELECT c.last_activity_at, c.id FROM contacts c
				WHERE c.workspace_id = $1 AND c.unanswered_chats `+cmp+` AND `+rowContains("c.search_body", terms, &args)+`
				ORDER BY c.last_activity_at DESC, c.id DESC LIMIT $2`, args...))
			if err != nil {
				return nil, err
			}
			keys = append(keys, seg...)
		}
	}
	sortKeys(keys)
	ids := make([]string, 0, min(limit, len(keys)))
	for _, k := range keys[:min(limit, len(keys))] {
		ids = append(ids, k.ID)
	}
	return ids, nil
}

// searchAlternatives are what a search looks for: the folded text and, when the query is a phone
// number, its digits as typed and in the international form (SearchTerms), each of at least four.
func searchAlternatives(query, country string) []string {
	text, digits, intl := SearchTerms(query, country)
	terms := []string{text}
	for _, d := range []string{digits, intl} {
		if len(d) >= 4 && !slices.Contains(terms, d) {
			terms = append(terms, d)
		}
	}
	return terms
}

// matchesSQL is a query of the ids of the workspace's ($1) contacts whose search entry may hold
// any of terms, their patterns appended to args: one query of the trigram index per term
// (SQLite's FTS5 scans the whole table for an OR of LIKEs). It may return more: on SQLite a term
// of three characters or more is matched on the trigrams alone (trigramMatch), so callers check
// each contact with rowContains.
func (s *Store) matchesSQL(terms []string, args *[]any) string {
	qs := make([]string, len(terms))
	for i, t := range terms {
		cond := s.bodyContains(t, args)
		if match := trigramMatch(t); s.dialect == SQLite && match != "" {
			*args = append((*args)[:len(*args)-1], match)
			cond = fmt.Sprintf(`s.contact_search MATCH $%d`, len(*args))
		}
		qs[i] = `SELECT s.contact_id FROM contact_search s WHERE s.workspace_id = $1 AND ` + cond
	}
	return strings.Join(qs, " UNION ALL ")
}

// trigramMatch is an FTS5 query for the rows whose index holds every trigram of term, each
// quoted so that any character is literal ("" when term is shorter than a trigram). FTS5
// answers it from its index alone, where a LIKE reads and checks every row the index proposes:
// a superset of the rows containing term, which a search checks row by row anyway.
func trigramMatch(term string) string {
	r := []rune(term)
	seen := map[string]bool{}
	var parts []string
	for i := 0; i+3 <= len(r); i++ {
		if g := string(r[i : i+3]); !seen[g] {
			seen[g] = true
			parts = append(parts, `"`+strings.ReplaceAll(g, `"`, `""`)+`"`)
		}
	}
	return strings.Join(parts, " AND ")
}

// rowContains is the condition "the search body in col holds any of terms", checked row by row
// (col is the contact's own copy of its search entry, contacts.search_body).
func rowContains(col string, terms []string, args *[]any) string {
	conds := make([]string, len(terms))
	for i, t := range terms {
		*args = append(*args, "%"+likeEscape(t)+"%")
		conds[i] = fmt.Sprintf(`%s LIKE $%d ESCAPE '\'`, col, len(*args))
	}
	return "(" + strings.Join(conds, " OR ") + ")"
}

// bodyContains is the condition "the contact_search row s holds term", its pattern appended to
// args. SQLite's FTS5 trigram tokenizer serves LIKE only without an ESCAPE clause (with one, every
// search scans the table), so there a term without LIKE's wildcards is matched as it is; a term
// holding % or _ keeps the escaped form, which scans but stays literal. FTS5 itself falls back to
// a scan for terms under three characters. PostgreSQL's trigram GIN index serves either form.
func (s *Store) bodyContains(term string, args *[]any) string {
	if s.dialect == SQLite && !strings.ContainsAny(term, "%_") {
		*args = append(*args, "%"+term+"%")
		return fmt.Sprintf(`s.body LIKE $%d`, len(*args))
	}
	*args = append(*args, "%"+likeEscape(term)+"%")
	return fmt.Sprintf(`s.body LIKE $%d ESCAPE '\'`, len(*args))
}

// searchBody is what the trigram index holds for a contact: folded name and username, and
// every phone as bare digits so "916-1" and "+7 (916) 1…" meet.
func searchBody(c hub.Contact) string {
	parts := []string{Fold(c.Name), Fold(c.TelegramUsername), Fold(c.MaxUsername)}
	for _, p := range c.Phones {
		parts = append(parts, Digits(p))
	}
	if c.WAID != "" {
		parts = append(parts, Digits(c.WAID))
	}
	return strings.Join(parts, " ")
}

// SearchTerms folds a query for matching names (a leading "@" of a Telegram username
// dropped), and extracts its digits when the query is a phone number as people type them
// (digits, spaces and +-() only). With the workspace's country (ISO 3166), a number typed in the
// national form ("8 916 123…" in Russia, "0 20 7946…" in Britain) also gives its international
// digits in intl, which is what stored phones hold.
func SearchTerms(query, country string) (text, digits, intl string) {
	query = strings.TrimSpace(query)
	text = strings.TrimPrefix(Fold(query), "@")
	for _, r := range query {
		if !unicode.IsDigit(r) && !strings.ContainsRune(" +-().", r) {
			return text, "", ""
		}
	}
	digits = Digits(query)
	if !strings.HasPrefix(query, "+") {
		intl = phone.International(digits, country)
	}
	return text, digits, intl
}

// Fold lower-cases in every alphabet, treats ё as е (as Russian readers do) and drops the
// accents of Latin letters ("Fernández" → "fernandez"), so a search matches how people type.
func Fold(s string) string {
	s = strings.ReplaceAll(strings.ToLower(s), "ё", "е")
	var b strings.Builder
	var base rune
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) && base < 0x80 {
			continue // an accent on a Latin letter
		}
		if !unicode.Is(unicode.Mn, r) {
			base = r
		}
		b.WriteRune(r)
	}
	return norm.NFC.String(b.String())
}

// Digits keeps only the ASCII digits of s.
func Digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

func scanString(row scanner) (string, error) {
	var s string
	return s, row.Scan(&s)
}

func scanInt64(row scanner) (int64, error) {
	var n int64
	return n, row.Scan(&n)
}
