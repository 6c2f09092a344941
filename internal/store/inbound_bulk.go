package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
)

// saveInboundBulk stores the messages of a batch's webhooks, in their order, with a few
// statements for the whole batch instead of about ten per message: one read each for the
// provider keys already stored, the senders (with their phones and CRM links) and the chats;
// then, for each run of messages between two that need more, one multi-row write each for the
// messages, the chats, the contacts' recount, their visibility rows and the events. A message
// this does not cover — a new sender or chat, a sender whose name, username or phones change, a
// blocked sender, a replay, a quote, files, an order — is stored by saveInbound where it
// stands, and what it created is used for the messages after it. Nothing is kept between
// batches: every id comes from this transaction's own reads, so another instance's writes, a
// merge or a deletion are seen (a chat gone between the read and the write, on PostgreSQL,
// fails the batch, which is then stored message by message).
//
// Any error means the transaction must be rolled back.
func saveInboundBulk(ctx context.Context, t *txQuerier, hooks []InboundWebhook) ([]InboundSaved, error) {
	k, err := lookUpBatch(ctx, t, hooks)
	if err != nil {
		return nil, err
	}
	out := make([]InboundSaved, len(hooks))
	var run []*bulkMessage
	for i, h := range hooks {
		for _, in := range h.Messages {
			if b := k.covered(in); b != nil {
				b.hook, b.pos = i, len(out[i].Results)
				run = append(run, b)
				out[i].Results = append(out[i].Results, InboundResult{})
				continue
			}
			if err := writeRun(ctx, t, run, out); err != nil {
				return nil, err
			}
			run = run[:0]
			r, err := saveInbound(ctx, t, in)
			if err != nil {
				return nil, err
			}
			out[i].Results = append(out[i].Results, r)
			if !r.Duplicate {
				k.learn(in, r)
			}
		}
	}
	return out, writeRun(ctx, t, run, out)
}

// bulkMessage is a message saveInboundBulk writes with the others of its run.
type bulkMessage struct {
	in        Inbound
	contact   hub.Contact
	chatID    string
	hook, pos int // where its result goes
	m         hub.Message
	json      string // m as JSON: the chat's last message and the event's data
}

// batchKnown is what a batch's reads found.
type batchKnown struct {
	keys     map[[2]string]bool     // connection and provider key: stored, or met earlier in the batch
	contacts map[string]hub.Contact // by identityKey
	chats    map[[2]string]string   // chat id by connection and external chat id
}

// identity is the one messenger identity a sender has, as contactByIdentity looks it up.
func identity(c hub.Contact) (col string, v any, ok bool) {
	switch {
	case c.WAID != "" && c.TelegramUserID == 0 && c.MaxUserID == 0:
		return "wa_id", c.WAID, true
	case c.WAID == "" && c.TelegramUserID != 0 && c.MaxUserID == 0:
		return "telegram_user_id", c.TelegramUserID, true
	case c.WAID == "" && c.TelegramUserID == 0 && c.MaxUserID != 0:
		return "max_user_id", c.MaxUserID, true
	}
	return "", nil, false
}

func identityKey(workspaceID, col string, v any) string {
	return workspaceID + "\x00" + col + "\x00" + fmt.Sprint(v)
}

// covered is the message as saveInboundBulk writes it in a run, or nil when saveInbound must.
func (k *batchKnown) covered(in Inbound) *bulkMessage {
	m := in.Message
	key := [2]string{in.ConnectionID, m.ProviderKey}
	replay := k.keys[key]
	k.keys[key] = true
	if replay || m.ProviderKey == "" || in.ReplyToKey != "" || len(m.Attachments) > 0 || m.Payload.Order != nil {
		return nil
	}
	col, v, ok := identity(in.From)
	if !ok {
		return nil
	}
	c, ok := k.contacts[identityKey(in.WorkspaceID, col, v)]
	if !ok || (c.Blocked && in.ChatKind != hub.ChatGroup) {
		return nil
	}
	probe := c
	probe.Phones = slices.Clone(c.Phones)
	if mergeSender(&probe, in.From) {
		return nil
	}
	chatID, ok := k.chats[[2]string{in.ConnectionID, in.ExternalChatID}]
	if !ok {
		return nil
	}
	return &bulkMessage{in: in, contact: c, chatID: chatID}
}

// learn keeps the contact and chat saveInbound found or made, for the batch's next messages.
func (k *batchKnown) learn(in Inbound, r InboundResult) {
	if col, v, ok := identity(in.From); ok && r.Contact.ID != "" {
		k.contacts[identityKey(in.WorkspaceID, col, v)] = r.Contact
	}
	if r.Chat.ID != "" {
		k.chats[[2]string{in.ConnectionID, in.ExternalChatID}] = r.Chat.ID
	}
}

// lookUpBatch reads what the batch's messages need: the provider keys already stored, the
// senders by identity with their phones and CRM links, and the chats, a few statements in all,
// each with the same text whatever the batch's size (so SQLite compiles it once for the store).
func lookUpBatch(ctx context.Context, t *txQuerier, hooks []InboundWebhook) (*batchKnown, error) {
	k := &batchKnown{keys: map[[2]string]bool{}, contacts: map[string]hub.Contact{}, chats: map[[2]string]string{}}
	keys := map[string][]any{}  // connection → provider keys
	chats := map[string][]any{} // connection → external chat ids
	type wsCol struct{ ws, col string }
	idents := map[wsCol][]any{}
	for _, h := range hooks {
		for _, in := range h.Messages {
			if in.Message.ProviderKey != "" {
				keys[in.ConnectionID] = append(keys[in.ConnectionID], in.Message.ProviderKey)
			}
			chats[in.ConnectionID] = append(chats[in.ConnectionID], in.ExternalChatID)
			if col, v, ok := identity(in.From); ok {
				idents[wsCol{in.WorkspaceID, col}] = append(idents[wsCol{in.WorkspaceID, col}], v)
			}
		}
	}
	for conn, ks := range keys {
		found, err := collect(scanString)(queryAll(ctx, t, `SELECT provider_key FROM messages
			WHERE connection_id = $1 AND provider_key `+anyOf(t.dialect, 2), conn, listArg(t.dialect, ks)))
		if err != nil {
			return nil, err
		}
		for _, key := range found {
			k.keys[[2]string{conn, key}] = true
		}
	}
	var contactIDs []any
	for wc, vs := range idents {
		found, err := collect(scanContact)(queryAll(ctx, t, `SELECT `+contactCols+` FROM contacts
			WHERE workspace_id = $1 AND `+wc.col+` `+anyOf(t.dialect, 2), wc.ws, listArg(t.dialect, vs)))
		if err != nil {
			return nil, err
		}
		for _, c := range found {
			v := any(c.WAID)
			switch wc.col {
			case "telegram_user_id":
				v = c.TelegramUserID
			case "max_user_id":
				v = c.MaxUserID
			}
			k.contacts[identityKey(wc.ws, wc.col, v)] = c
			contactIDs = append(contactIDs, c.ID)
		}
	}
	if err := contactsDetails(ctx, t, k.contacts, contactIDs); err != nil {
		return nil, err
	}
	for conn, ids := range chats {
		rows, err := queryAll(ctx, t, `SELECT id, external_chat_id FROM chats
			WHERE connection_id = $1 AND external_chat_id `+anyOf(t.dialect, 2), conn, listArg(t.dialect, ids))
		found, err := collect(scanPair)(rows, err)
		if err != nil {
			return nil, err
		}
		for _, c := range found {
			k.chats[[2]string{conn, c[1]}] = c[0]
		}
	}
	return k, nil
}

func scanPair(row scanner) ([2]string, error) {
	var p [2]string
	err := row.Scan(&p[0], &p[1])
	return p, err
}

// contactsDetails fills the phones and CRM links of the contacts ids (keyed as in batchKnown),
// as contactDetails does for one.
func contactsDetails(ctx context.Context, t *txQuerier, contacts map[string]hub.Contact, ids []any) error {
	if len(ids) == 0 {
		return nil
	}
	phones, err := collect(scanPair)(queryAll(ctx, t, `SELECT contact_id, e164 FROM contact_phones
		WHERE contact_id `+anyOf(t.dialect, 1)+` ORDER BY e164`, listArg(t.dialect, ids)))
	if err != nil {
		return err
	}
	links := map[string][]int64{}
	rows, err := queryAll(ctx, t, `SELECT contact_id, crm_contact_id FROM contact_crm_links
		WHERE contact_id `+anyOf(t.dialect, 1)+` ORDER BY crm_contact_id`, listArg(t.dialect, ids))
	if err != nil {
		return fmt.Errorf("store: query: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var crm int64
		if err := rows.Scan(&id, &crm); err != nil {
			return err
		}
		links[id] = append(links[id], crm)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for key, c := range contacts {
		c.Phones, c.CRMContactIDs = nil, links[c.ID]
		for _, p := range phones {
			if p[0] == c.ID {
				c.Phones = append(c.Phones, p[1])
			}
		}
		contacts[key] = c
	}
	return nil
}

// anyOf is the condition "is one of the list in parameter n" (listArg): on SQLite the
// elements of a JSON array, on PostgreSQL an array. Its text does not depend on the list's length.
func anyOf(dialect string, n int) string {
	if dialect == SQLite {
		return fmt.Sprintf("IN (SELECT value FROM json_each($%d))", n)
	}
	return fmt.Sprintf("= ANY($%d)", n)
}

// listArg is vs (all strings or all int64) as anyOf's parameter.
func listArg(dialect string, vs []any) any {
	if dialect == SQLite {
		b, _ := json.Marshal(vs) // strings and integers always encode
		return string(b)
	}
	if len(vs) > 0 {
		if _, ok := vs[0].(int64); ok {
			ns := make([]int64, len(vs))
			for i, v := range vs {
				ns[i] = v.(int64)
			}
			return ns
		}
	}
	ss := make([]string, len(vs))
	for i, v := range vs {
		ss[i] = v.(string)
	}
	return ss
}

// writeRun writes a run of messages found covered, their chats, the senders' recount and the
// events, in the order saveInbound would have: each message's message.created, and each chat's
// chat.updated (as the run leaves it) after its last message of the run.
func writeRun(ctx context.Context, t *txQuerier, run []*bulkMessage, out []InboundSaved) error {
	if len(run) == 0 {
		return nil
	}
	var messages [][]any
	type chatMove struct {
		n    int
		last *bulkMessage
		at   int64
	}
	moves := map[string]*chatMove{}
	var chatOrder []any
	for _, b := range run {
		m := b.in.Message
		if m.CreatedAt.IsZero() {
			m.CreatedAt = time.Now()
		}
		m.CreatedAt = m.CreatedAt.UTC().Truncate(time.Millisecond)
		m.ID, m.WorkspaceID, m.ChatID, m.ConnectionID = NewID(), b.in.WorkspaceID, b.chatID, b.in.ConnectionID
		m.Direction, m.Status = hub.DirIn, hub.StatusReceived
		m.UpdatedAt = m.CreatedAt
		if m.AuthorName == "" && b.in.ChatKind == hub.ChatGroup {
			m.AuthorName = b.contact.Name
		}
		pj, err := payloadJSON(m.Payload)
		if err != nil {
			return err
		}
		js, err := json.Marshal(m)
		if err != nil {
			return err
		}
		b.m, b.json = m, string(js)
		messages = append(messages, []any{m.ID, m.WorkspaceID, m.ChatID, m.ConnectionID, m.Direction, m.Type, m.Text,
			nullStr(m.AuthorID), m.AuthorName, m.Status, m.ErrorCode, m.ErrorMessage, nullStr(m.ReplyToID),
			nullStr(m.ProviderKey), nullStr(m.ClientID), pj, m.Hidden, millis(m.CreatedAt), millis(m.UpdatedAt)})
		mv := moves[m.ChatID]
		if mv == nil {
			mv = &chatMove{}
			moves[m.ChatID] = mv
			chatOrder = append(chatOrder, m.ChatID)
		}
		mv.n, mv.last, mv.at = mv.n+1, b, max(mv.at, millis(m.CreatedAt))
	}
	inserted, err := execRows(ctx, t, t.dialect, `INSERT INTO messages (id, workspace_id, chat_id, connection_id, direction,
		type, text, author_employee_id, author_name, status, error_code, error_message, reply_to_id,
		provider_key, client_id, payload_json, hidden, created_at, updated_at) VALUES `, messages, ` ON CONFLICT DO NOTHING`)
	if err != nil {
		return fmt.Errorf("store: insert messages: %w", err)
	}
	if inserted != int64(len(run)) {
		// Another instance stored one of these provider keys since the batch's read: stored
		// message by message, that one is found a replay.
		return fmt.Errorf("store: insert messages: %d of %d inserted", inserted, len(run))
	}
	var chatRows [][]any
	for _, id := range chatOrder {
		mv := moves[id.(string)]
		chatRows = append(chatRows, []any{id, mv.n, mv.last.m.ID, mv.last.json, mv.at})
	}
	chats := map[string]hub.Chat{}
	if err := eachChunk(chatRows, func(part [][]any) error {
		rows, err := query(ctx, t, `UPDATE chats SET unanswered_count = unanswered_count + v.column2,
			last_message_id = v.column3, last_message_json = v.column4,
			last_activity_at = CASE WHEN last_activity_at > v.column5 THEN last_activity_at ELSE v.column5 END,
			last_inbound_at = CASE WHEN last_inbound_at > v.column5 THEN last_inbound_at ELSE v.column5 END
			FROM (VALUES `, valuesOf(part, []string{"TEXT", "INTEGER", "TEXT", "TEXT", "BIGINT"}), `) AS v
			WHERE chats.id = v.column1 RETURNING `+chatColsNoLast)
		found, err := collect(scanChat)(rows, err)
		for _, c := range found {
			last := moves[c.ID].last.m
			c.LastMessage = &last
			chats[c.ID] = c
		}
		return err
	}); err != nil {
		return fmt.Errorf("store: update chats: %w", err)
	}
	if len(chats) != len(chatOrder) {
		return fmt.Errorf("store: update chats: %d of %d found", len(chats), len(chatOrder))
	}
	var contactIDs []any
	seen := map[string]bool{}
	for _, id := range chatOrder {
		if c := chats[id.(string)]; c.ContactID != "" && !seen[c.ContactID] {
			seen[c.ContactID] = true
			contactIDs = append(contactIDs, c.ContactID)
		}
	}
	if err := recountContacts(ctx, t, contactIDs); err != nil {
		return err
	}
	var events []bulkEvent
	for _, b := range run {
		events = append(events, bulkEvent{b.m.WorkspaceID, hub.EventMessageCreated, b.m.ChatID, b.contact.ID, b.json})
		if mv := moves[b.m.ChatID]; mv.last == b {
			c := chats[b.m.ChatID]
			js, err := json.Marshal(c)
			if err != nil {
				return err
			}
			events = append(events, bulkEvent{c.WorkspaceID, hub.EventChatUpdated, c.ID, c.ContactID, string(js)})
		}
		out[b.hook].Results[b.pos] = InboundResult{Message: b.m, Chat: chats[b.m.ChatID], Contact: b.contact}
	}
	return appendEvents(ctx, t, events)
}

// chatColsNoLast is chatCols without the last message, which writeRun has in hand rather than
// decoding it back from JSON.
var chatColsNoLast = strings.Replace(chatCols, "last_message_json", "NULL", 1)

// recountContacts is touched's recount of unanswered chats and last activity, and its move of
// the contacts' visibility rows, for several contacts in two statements.
func recountContacts(ctx context.Context, t *txQuerier, ids []any) error {
	if len(ids) == 0 {
		return nil
	}
	if _, err := t.ExecContext(ctx, `UPDATE contacts SET
		unanswered_chats = (SELECT COUNT(*) FROM chats WHERE chats.workspace_id = contacts.workspace_id
			AND chats.contact_id = contacts.id AND chats.unanswered_count > 0),
		last_activity_at = (SELECT MAX(chats.last_activity_at) FROM chats WHERE chats.workspace_id = contacts.workspace_id
			AND chats.contact_id = contacts.id)
		WHERE id `+anyOf(t.dialect, 1), listArg(t.dialect, ids)); err != nil {
		return fmt.Errorf("store: contact activity: %w", err)
	}
	if _, err := t.ExecContext(ctx, `UPDATE contact_visibility SET
		unanswered = (SELECT CASE WHEN c.unanswered_chats > 0 THEN 1 ELSE 0 END FROM contacts c WHERE c.id = contact_visibility.contact_id),
		last_activity_at = (SELECT c.last_activity_at FROM contacts c WHERE c.id = contact_visibility.contact_id)
		WHERE contact_id `+anyOf(t.dialect, 1), listArg(t.dialect, ids)); err != nil {
		return fmt.Errorf("store: contact visibility: %w", err)
	}
	return nil
}

type bulkEvent struct {
	workspaceID, typ, chatID, contactID, data string
}

// appendEvents is appendEvent for several events, in their order: one counter write per
// workspace (in the order of their ids, so two transactions never wait on each other's) and
// one multi-row insert.
func appendEvents(ctx context.Context, t *txQuerier, events []bulkEvent) error {
	count := map[string]int64{}
	for _, e := range events {
		count[e.workspaceID]++
	}
	next := map[string]int64{}
	for _, ws := range slices.Sorted(mapKeys(count)) {
		if last, ok := t.lastSeq(ws); ok {
			next[ws] = last + 1
			t.seqsTaken[ws] = true
			continue
		}
		var last int64
		if err := t.Tx.QueryRowContext(ctx, `UPDATE workspaces SET event_seq = event_seq + `+placeholder(t.dialect, 1)+
			` WHERE id = `+placeholder(t.dialect, 2)+` RETURNING event_seq`, count[ws], ws).Scan(&last); err != nil {
			return fmt.Errorf("store: allocate seq: %w", notFound(err))
		}
		next[ws] = last - count[ws] + 1
	}
	now := time.Now().UnixMilli()
	rows := make([][]any, len(events))
	for i, e := range events {
		seq := next[e.workspaceID]
		next[e.workspaceID]++
		rows[i] = []any{e.workspaceID, seq, e.typ, e.chatID, e.contactID, e.data, now}
		t.noteEvent(hub.Event{WorkspaceID: e.workspaceID, Seq: seq, Type: e.typ, ChatID: e.chatID, ContactID: e.contactID,
			Data: []byte(e.data), CreatedAt: fromMillis(now)})
	}
	if _, err := execRows(ctx, t, t.dialect, `INSERT INTO events (workspace_id, seq, type, chat_id, contact_id, data_json, created_at) VALUES `,
		rows, ``); err != nil {
		return fmt.Errorf("store: append events: %w", err)
	}
	return nil
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// placeholder is the n-th parameter's placeholder: $n on PostgreSQL, ? on SQLite (which
// resolves a named $n by a linear search over the statement's parameters).
func placeholder(dialect string, n int) string {
	if dialect == SQLite {
		return "?"
	}
	return "$" + strconv.Itoa(n)
}

// param is one parameter of a statement built by build; a []any part is a parenthesized list
// of parameters, a rowValues part the rows of a VALUES list, a string part text.
type param struct{ v any }

type rowValues struct {
	rows  [][]any
	casts []string // each column's type, for PostgreSQL to know it in a VALUES list; nil: none
}

func valuesOf(rows [][]any, casts []string) rowValues { return rowValues{rows, casts} }

// build makes the statement of parts, with the dialect's placeholders.
func build(dialect string, parts []any) (string, []any) {
	var sb strings.Builder
	var args []any
	add := func(v any, cast string) {
		args = append(args, v)
		p := placeholder(dialect, len(args))
		if cast != "" {
			p = "CAST(" + p + " AS " + cast + ")"
		}
		sb.WriteString(p)
	}
	row := func(r []any, casts []string) {
		sb.WriteByte('(')
		for j, v := range r {
			if j > 0 {
				sb.WriteString(", ")
			}
			cast := ""
			if casts != nil {
				cast = casts[j]
			}
			add(v, cast)
		}
		sb.WriteByte(')')
	}
	for _, p := range parts {
		switch p := p.(type) {
		case string:
			sb.WriteString(p)
		case param:
			add(p.v, "")
		case []any:
			row(p, nil)
		case rowValues:
			for i, r := range p.rows {
				if i > 0 {
					sb.WriteString(", ")
				}
				row(r, p.casts)
			}
		default:
			panic(fmt.Sprintf("store: build: part %T", p))
		}
	}
	return sb.String(), args
}

// query runs a statement built from parts, unprepared: its text varies with the
// number of its parameters.
func query(ctx context.Context, t *txQuerier, parts ...any) (*sql.Rows, error) {
	text, args := build(t.dialect, parts)
	return t.Tx.QueryContext(ctx, text, args...)
}

// execRows runs prefix, rows as a VALUES list, suffix, in as few statements as the parameter
// limit allows, and returns the rows they affected.
func execRows(ctx context.Context, q querier, dialect, prefix string, rows [][]any, suffix string) (int64, error) {
	var n int64
	err := eachChunk(rows, func(part [][]any) error {
		text, args := build(dialect, []any{prefix, valuesOf(part, nil), suffix})
		res, err := q.ExecContext(ctx, text, args...)
		if err != nil {
			return err
		}
		affected, err := res.RowsAffected()
		n += affected
		return err
	})
	return n, err
}

// eachChunk calls fn with rows in parts small enough for the parameter limit.
func eachChunk(rows [][]any, fn func(part [][]any) error) error {
	if len(rows) == 0 {
		return nil
	}
	per := maxParams / len(rows[0])
	for start := 0; start < len(rows); start += per {
		if err := fn(rows[start:min(start+per, len(rows))]); err != nil {
			return err
		}
	}
	return nil
}
