package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/switchboardhq/switchboard/internal/hub"
)

// Bulk is generated data (scale tests, benchmarks) written as given: ids, counters, last
// messages and activity times must already agree, nothing is deduplicated and no events are
// logged; a contact's CRM contacts are in the same Bulk (who may see it is derived from them).
// Never use it for real traffic.
type Bulk struct {
	WorkspaceID string
	CRMContacts []CRMEntity
	Contacts    []hub.Contact // with Phones and CRMContactIDs
	Chats       []hub.Chat    // with LastMessage
	Messages    []hub.Message // text only: attachments and order lines are not written
}

// BulkInsert writes b in one transaction with multi-row INSERTs, the fast way to fill a
// workspace with millions of rows.
func (s *Store) BulkInsert(ctx context.Context, b Bulk) error {
	return s.tx(ctx, func(q querier) error {
		ws := b.WorkspaceID
		var crm, contacts, phones, links, visibility, search, chats, messages [][]any
		responsible := map[int64]int64{}
		for _, e := range b.CRMContacts {
			crm = append(crm, []any{ws, e.ID, e.Name, e.ResponsibleUserID, millis(e.FetchedAt)})
			responsible[e.ID] = e.ResponsibleUserID
		}
		for _, c := range b.Contacts {
			body := searchBody(c)
			contacts = append(contacts, []any{c.ID, ws, c.Name, nullStr(c.WAID), nullInt(c.TelegramUserID),
				c.TelegramUsername, c.UnansweredChats, millis(c.LastActivityAt), millis(c.CreatedAt), millis(c.UpdatedAt), body})
			for _, p := range c.Phones {
				phones = append(phones, []any{ws, c.ID, p, Digits(p)})
			}
			users := map[int64]bool{}
			for _, id := range c.CRMContactIDs {
				links = append(links, []any{ws, c.ID, id})
				if u := responsible[id]; !users[u] {
					users[u] = true
					visibility = append(visibility, []any{ws, c.ID, "contact", u, min(c.UnansweredChats, 1),
						millis(c.LastActivityAt)})
				}
			}
			search = append(search, []any{c.ID, ws, body})
		}
		for _, c := range b.Chats {
			var lastID, lastJSON any
			if c.LastMessage != nil {
				j, err := json.Marshal(c.LastMessage)
				if err != nil {
					return err
				}
				lastID, lastJSON = c.LastMessage.ID, string(j)
			}
			chats = append(chats, []any{c.ID, ws, c.ConnectionID, c.Kind, nullStr(c.ContactID), c.ExternalChatID,
				c.Title, c.UnansweredCount, lastID, lastJSON, millis(c.LastActivityAt), millis(c.LastInboundAt),
				millis(c.CreatedAt)})
		}
		for _, m := range b.Messages {
			messages = append(messages, []any{m.ID, ws, m.ChatID, m.ConnectionID, m.Direction, m.Type, m.Text,
				nullStr(m.AuthorID), m.AuthorName, m.Status, nullStr(m.ProviderKey), millis(m.CreatedAt), millis(m.UpdatedAt)})
		}
		for _, t := range []struct {
			table string
			cols  string
			rows  [][]any
		}{
			{"crm_contacts", "workspace_id, crm_contact_id, name, responsible_user_id, fetched_at", crm},
			{"contacts", "id, workspace_id, name, wa_id, telegram_user_id, telegram_username, unanswered_chats, " +
				"last_activity_at, created_at, updated_at, search_body", contacts},
			{"contact_phones", "workspace_id, contact_id, e164, digits", phones},
			{"contact_crm_links", "workspace_id, contact_id, crm_contact_id", links},
			{"contact_visibility", "workspace_id, contact_id, via, user_id, unanswered, last_activity_at", visibility},
			{"contact_search", "contact_id, workspace_id, body", search},
			{"chats", "id, workspace_id, connection_id, kind, contact_id, external_chat_id, title, unanswered_count, " +
				"last_message_id, last_message_json, last_activity_at, last_inbound_at, created_at", chats},
			{"messages", "id, workspace_id, chat_id, connection_id, direction, type, text, author_employee_id, " +
				"author_name, status, provider_key, created_at, updated_at", messages},
		} {
			if err := insertRows(ctx, q, s.dialect, t.table, t.cols, t.rows); err != nil {
				return err
			}
		}
		return nil
	})
}

// maxParams stays under SQLite's default limit of 32766 bound variables per statement
// (PostgreSQL allows 65535).
const maxParams = 32000

// insertRows writes rows with as few statements as the parameter limit allows.
func insertRows(ctx context.Context, q querier, dialect, table, cols string, rows [][]any) error {
	if _, err := execRows(ctx, q, dialect, "INSERT INTO "+table+" ("+cols+") VALUES ", rows, ""); err != nil {
		return fmt.Errorf("store: bulk insert into %s: %w", table, err)
	}
	return nil
}

// Analyze refreshes the planner's statistics, which a bulk load leaves stale.
func (s *Store) Analyze(ctx context.Context) error {
	if _, err := s.w.ExecContext(ctx, `ANALYZE`); err != nil {
		return fmt.Errorf("store: analyze: %w", err)
	}
	return nil
}
