package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/switchboardhq/switchboard/internal/hub"
)

const messageCols = `id, workspace_id, chat_id, connection_id, direction, type, text,
	COALESCE(author_employee_id, ''), author_name, status, error_code, error_message,
	COALESCE(reply_to_id, ''), COALESCE(provider_key, ''), COALESCE(client_id, ''), payload_json, hidden,
	created_at, updated_at`

func scanMessage(row scanner) (hub.Message, error) {
	var m hub.Message
	var payload string
	var created, updated int64
	err := row.Scan(&m.ID, &m.WorkspaceID, &m.ChatID, &m.ConnectionID, &m.Direction, &m.Type, &m.Text,
		&m.AuthorID, &m.AuthorName, &m.Status, &m.ErrorCode, &m.ErrorMessage,
		&m.ReplyToID, &m.ProviderKey, &m.ClientID, &payload, &m.Hidden, &created, &updated)
	if err != nil {
		return m, notFound(err)
	}
	m.CreatedAt, m.UpdatedAt = fromMillis(created), fromMillis(updated)
	if err := json.Unmarshal([]byte(payload), &m.Payload); err != nil {
		return m, fmt.Errorf("store: message %s payload: %w", m.ID, err)
	}
	return m, nil
}

// insertMessage writes m with its attachments and order lines. With a provider key or client id
// already present it writes nothing and reports inserted=false (a replay, not an error).
func insertMessage(ctx context.Context, q querier, m *hub.Message) (inserted bool, err error) {
	pj, err := payloadJSON(m.Payload)
	if err != nil {
		return false, err
	}
	res, err := q.ExecContext(ctx, `INSERT INTO messages (id, workspace_id, chat_id, connection_id, direction,
		type, text, author_employee_id, author_name, status, error_code, error_message, reply_to_id,
		provider_key, client_id, payload_json, hidden, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
		ON CONFLICT DO NOTHING`,
		m.ID, m.WorkspaceID, m.ChatID, m.ConnectionID, m.Direction, m.Type, m.Text, nullStr(m.AuthorID),
		m.AuthorName, m.Status, m.ErrorCode, m.ErrorMessage, nullStr(m.ReplyToID), nullStr(m.ProviderKey),
		nullStr(m.ClientID), pj, m.Hidden, millis(m.CreatedAt), millis(m.UpdatedAt))
	if err != nil {
		return false, fmt.Errorf("store: insert message: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return false, nil
	}
	for i := range m.Attachments {
		a := &m.Attachments[i]
		if a.ID == "" {
			a.ID = NewID()
		}
		a.MessageID = m.ID
		if _, err := q.ExecContext(ctx, `INSERT INTO attachments (id, workspace_id, message_id, position, name,
			mime, size, storage_key, provider_media_id, duration_ms, width, height, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
			a.ID, m.WorkspaceID, m.ID, i, a.Name, a.MIME, a.Size, a.StorageKey, a.ProviderMediaID,
			a.DurationMS, a.Width, a.Height, millis(m.CreatedAt)); err != nil {
			return false, fmt.Errorf("store: insert attachment: %w", err)
		}
	}
	if m.Payload.Order != nil {
		for i, it := range m.Payload.Order.Items {
			if _, err := q.ExecContext(ctx, `INSERT INTO order_items (message_id, position, sku, name,
				quantity, price, currency) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
				m.ID, i, it.SKU, it.Name, it.Quantity, it.Price, it.Currency); err != nil {
				return false, fmt.Errorf("store: insert order item: %w", err)
			}
		}
	}
	return true, nil
}

// Message returns the workspace's message with its attachments and order lines.
func (s *Store) Message(ctx context.Context, workspaceID, id string) (hub.Message, error) {
	return messageOn(ctx, s.r, `workspace_id = $1 AND id = $2`, workspaceID, id)
}

// MessageByProviderKey finds a message by the provider's id on a connection.
func (s *Store) MessageByProviderKey(ctx context.Context, connectionID, key string) (hub.Message, error) {
	return messageOn(ctx, s.r, `connection_id = $1 AND provider_key = $2`, connectionID, key)
}

func messageOn(ctx context.Context, q querier, where string, args ...any) (hub.Message, error) {
	m, err := scanMessage(q.QueryRowContext(ctx, `SELECT `+messageCols+` FROM messages WHERE `+where, args...))
	if err != nil {
		return m, err
	}
	ms := []hub.Message{m}
	err = loadMessageParts(ctx, q, ms)
	return ms[0], err
}

// Messages pages a chat's visible history backwards: newest first, starting strictly before
// the (createdAt, id) of the message before, or from the newest when before is "".
func (s *Store) Messages(ctx context.Context, workspaceID, chatID, before string, limit int) ([]hub.Message, error) {
	where := `workspace_id = $1 AND chat_id = $2 AND hidden = FALSE`
	args := []any{workspaceID, chatID, limit}
	if before != "" {
		where += ` AND (created_at, id) < (SELECT created_at, id FROM messages WHERE id = $4 AND chat_id = $2)`
		args = append(args, before)
	}
	ms, err := collect(scanMessage)(s.r.QueryContext(ctx, `SELECT `+messageCols+` FROM messages
		WHERE `+where+` ORDER BY created_at DESC, id DESC LIMIT $3`, args...))
	if err != nil {
		return nil, err
	}
	return ms, loadMessageParts(ctx, s.r, ms)
}

// HiddenMessages lists the messages a blocked contact sent that were kept out of sight (F28),
// newest first, at most limit: an admin reads them from the blacklist.
func (s *Store) HiddenMessages(ctx context.Context, workspaceID, contactID string, limit int) ([]hub.Message, error) {
	ms, err := collect(scanMessage)(s.r.QueryContext(ctx, `SELECT `+messageCols+` FROM messages
		WHERE workspace_id = $1 AND hidden = TRUE AND chat_id IN (SELECT id FROM chats WHERE workspace_id = $1 AND contact_id = $2)
		ORDER BY created_at DESC, id DESC LIMIT $3`, workspaceID, contactID, limit))
	if err != nil {
		return nil, err
	}
	return ms, loadMessageParts(ctx, s.r, ms)
}

// loadMessageParts fills attachments and order lines of ms with one query each.
func loadMessageParts(ctx context.Context, q querier, ms []hub.Message) error {
	if len(ms) == 0 {
		return nil
	}
	idx := map[string]int{}
	ph := make([]string, len(ms))
	args := make([]any, len(ms))
	for i, m := range ms {
		idx[m.ID] = i
		ph[i] = fmt.Sprintf("$%d", i+1)
		args[i] = m.ID
	}
	in := strings.Join(ph, ", ")
	rows, err := q.QueryContext(ctx, `SELECT id, message_id, name, mime, size, storage_key, provider_media_id,
		duration_ms, width, height, error_code FROM attachments WHERE message_id IN (`+in+`) ORDER BY message_id, position`, args...)
	if err != nil {
		return fmt.Errorf("store: attachments: %w", err)
	}
	for rows.Next() {
		var a hub.Attachment
		if err := rows.Scan(&a.ID, &a.MessageID, &a.Name, &a.MIME, &a.Size, &a.StorageKey, &a.ProviderMediaID,
			&a.DurationMS, &a.Width, &a.Height, &a.ErrorCode); err != nil {
			rows.Close()
			return err
		}
		m := &ms[idx[a.MessageID]]
		m.Attachments = append(m.Attachments, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = q.QueryContext(ctx, `SELECT message_id, sku, name, quantity, price, currency
		FROM order_items WHERE message_id IN (`+in+`) ORDER BY message_id, position`, args...)
	if err != nil {
		return fmt.Errorf("store: order items: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var it hub.OrderItem
		if err := rows.Scan(&id, &it.SKU, &it.Name, &it.Quantity, &it.Price, &it.Currency); err != nil {
			return err
		}
		if o := ms[idx[id]].Payload.Order; o != nil {
			o.Items = append(o.Items, it)
		}
	}
	return rows.Err()
}

// SetAttachmentFailed records why a file could not be fetched (code from the catalogue's
// error.*); the attachment stays without a stored file.
func (s *Store) SetAttachmentFailed(ctx context.Context, workspaceID, id, code string) error {
	return s.execOne(ctx, "set attachment failed", `UPDATE attachments SET error_code = $3
		WHERE workspace_id = $1 AND id = $2`, workspaceID, id, code)
}

// SetAttachmentStored records where the media store keeps a fetched attachment.
func (s *Store) SetAttachmentStored(ctx context.Context, workspaceID, id, storageKey string, size int64, mime string) error {
	return s.execOne(ctx, "set attachment stored", `UPDATE attachments SET storage_key = $3, size = $4, mime = $5
		WHERE workspace_id = $1 AND id = $2`, workspaceID, id, storageKey, size, mime)
}

// payloadJSON encodes a message payload for its column; order lines live in order_items.
func payloadJSON(p hub.Payload) (string, error) {
	if p.Order != nil {
		o := *p.Order
		o.Items = nil
		p.Order = &o
	}
	b, err := json.Marshal(p)
	return string(b), err
}
