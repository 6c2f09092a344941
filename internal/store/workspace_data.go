package store

import (
	"context"
	"fmt"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
)

// Templates lists the workspace's WABA templates of a connection and its quick replies.
func (s *Store) Templates(ctx context.Context, workspaceID, connectionID string) ([]hub.Template, error) {
	return collect(scanTemplate)(s.r.QueryContext(ctx, `SELECT id, workspace_id, connection_id, kind, name, language,
		body, params, status, category, updated_at FROM templates
		WHERE workspace_id = $1 AND (connection_id = $2 OR kind = 'quick_reply') ORDER BY kind, name, language`,
		workspaceID, connectionID))
}

// Template returns one of the workspace's templates.
func (s *Store) Template(ctx context.Context, workspaceID, id string) (hub.Template, error) {
	t, err := scanTemplate(s.r.QueryRowContext(ctx, `SELECT id, workspace_id, connection_id, kind, name, language,
		body, params, status, category, updated_at FROM templates WHERE workspace_id = $1 AND id = $2`, workspaceID, id))
	return t, notFound(err)
}

// UpsertTemplate inserts t or updates the template with the same connection, kind, name and
// language (a WABA sync replaces what it finds).
func (s *Store) UpsertTemplate(ctx context.Context, t hub.Template) (hub.Template, error) {
	if t.ID == "" {
		t.ID = NewID()
	}
	t.UpdatedAt = time.Now().UTC().Truncate(time.Millisecond)
	_, err := s.w.ExecContext(ctx, `INSERT INTO templates (id, workspace_id, connection_id, kind, name, language,
		body, params, status, category, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
		ON CONFLICT (workspace_id, connection_id, kind, name, language) DO UPDATE SET body = excluded.body,
		params = excluded.params, status = excluded.status, category = excluded.category, updated_at = excluded.updated_at`,
		t.ID, t.WorkspaceID, t.ConnectionID, t.Kind, t.Name, t.Language, t.Body, t.Params, t.Status, t.Category,
		millis(t.UpdatedAt))
	if err != nil {
		return t, fmt.Errorf("store: upsert template: %w", err)
	}
	err = s.w.QueryRowContext(ctx, `SELECT id FROM templates WHERE workspace_id = $1 AND connection_id = $2
		AND kind = $3 AND name = $4 AND language = $5`, t.WorkspaceID, t.ConnectionID, t.Kind, t.Name, t.Language).Scan(&t.ID)
	return t, err
}

func scanTemplate(r scanner) (hub.Template, error) {
	var t hub.Template
	var updated int64
	err := r.Scan(&t.ID, &t.WorkspaceID, &t.ConnectionID, &t.Kind, &t.Name, &t.Language, &t.Body, &t.Params,
		&t.Status, &t.Category, &updated)
	t.UpdatedAt = fromMillis(updated)
	return t, err
}

// SaveDraft keeps an employee's unsent text for a chat (B5); empty text deletes it.
func (s *Store) SaveDraft(ctx context.Context, workspaceID, employeeID, chatID, text string) error {
	if text == "" {
		_, err := s.w.ExecContext(ctx, `DELETE FROM drafts WHERE workspace_id = $1 AND employee_id = $2 AND chat_id = $3`,
			workspaceID, employeeID, chatID)
		return err
	}
	_, err := s.w.ExecContext(ctx, `INSERT INTO drafts (workspace_id, employee_id, chat_id, text, updated_at)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (employee_id, chat_id) DO UPDATE SET text = excluded.text,
		updated_at = excluded.updated_at`, workspaceID, employeeID, chatID, text, time.Now().UnixMilli())
	if err != nil {
		return fmt.Errorf("store: save draft: %w", err)
	}
	return nil
}

// Draft returns the employee's draft for a chat, "" when none.
func (s *Store) Draft(ctx context.Context, workspaceID, employeeID, chatID string) (string, error) {
	var text string
	err := s.r.QueryRowContext(ctx, `SELECT text FROM drafts WHERE workspace_id = $1 AND employee_id = $2 AND chat_id = $3`,
		workspaceID, employeeID, chatID).Scan(&text)
	if notFound(err) == ErrNotFound {
		return "", nil
	}
	return text, err
}

// BlacklistEntry is a blocked contact (F27, F28).
type BlacklistEntry struct {
	ContactID    string
	BlockedBy    string // employee id
	BlockedAt    time.Time
	RefusedCount int
}

// SetBlocked puts the contact on the workspace's blacklist (blocked=true) or takes it off, logs
// contact.updated, and returns the contact.
func (s *Store) SetBlocked(ctx context.Context, workspaceID, contactID, employeeID string, blocked bool) (hub.Contact, error) {
	var c hub.Contact
	err := s.tx(ctx, func(q querier) error {
		if err := execOneOn(ctx, q, "block", `UPDATE contacts SET blocked = $3, updated_at = $4 WHERE workspace_id = $1 AND id = $2`,
			workspaceID, contactID, blocked, time.Now().UnixMilli()); err != nil {
			return err
		}
		var err error
		if blocked {
			_, err = q.ExecContext(ctx, `INSERT INTO blacklist (workspace_id, contact_id, blocked_by_employee_id, blocked_at)
				VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, workspaceID, contactID, employeeID, time.Now().UnixMilli())
		} else {
			_, err = q.ExecContext(ctx, `DELETE FROM blacklist WHERE workspace_id = $1 AND contact_id = $2`, workspaceID, contactID)
		}
		if err != nil {
			return fmt.Errorf("store: blacklist: %w", err)
		}
		if c, err = contactOn(ctx, q, workspaceID, contactID); err != nil {
			return err
		}
		_, err = appendEvent(ctx, q, workspaceID, hub.EventContactUpdated, "", contactID, c)
		return err
	})
	return c, err
}

// Blacklist lists the workspace's blocked contacts, most recently blocked first.
func (s *Store) Blacklist(ctx context.Context, workspaceID string) ([]BlacklistEntry, error) {
	return collect(func(r scanner) (BlacklistEntry, error) {
		var e BlacklistEntry
		var at int64
		err := r.Scan(&e.ContactID, &e.BlockedBy, &at, &e.RefusedCount)
		e.BlockedAt = fromMillis(at)
		return e, err
	})(s.r.QueryContext(ctx, `SELECT contact_id, blocked_by_employee_id, blocked_at, refused_count FROM blacklist
		WHERE workspace_id = $1 ORDER BY blocked_at DESC, contact_id`, workspaceID))
}

// Upload is a file an employee uploaded, waiting to be attached to a message.
type Upload struct {
	ID, WorkspaceID, EmployeeID, Name, MIME, StorageKey string
	Size                                                int64
	CreatedAt                                           time.Time
}

// CreateUpload records an uploaded file.
func (s *Store) CreateUpload(ctx context.Context, u Upload) (Upload, error) {
	if u.ID == "" {
		u.ID = NewID()
	}
	u.CreatedAt = time.Now().UTC().Truncate(time.Millisecond)
	_, err := s.w.ExecContext(ctx, `INSERT INTO uploads (id, workspace_id, employee_id, name, mime, size, storage_key, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, u.ID, u.WorkspaceID, u.EmployeeID, u.Name, u.MIME, u.Size, u.StorageKey,
		millis(u.CreatedAt))
	if err != nil {
		return u, fmt.Errorf("store: create upload: %w", err)
	}
	return u, nil
}

// Upload returns an upload of the workspace's employee.
func (s *Store) Upload(ctx context.Context, workspaceID, employeeID, id string) (Upload, error) {
	var u Upload
	var at int64
	err := s.r.QueryRowContext(ctx, `SELECT id, workspace_id, employee_id, name, mime, size, storage_key, created_at
		FROM uploads WHERE workspace_id = $1 AND employee_id = $2 AND id = $3`, workspaceID, employeeID, id).
		Scan(&u.ID, &u.WorkspaceID, &u.EmployeeID, &u.Name, &u.MIME, &u.Size, &u.StorageKey, &at)
	u.CreatedAt = fromMillis(at)
	return u, notFound(err)
}

// Audit records an admin action (B10).
func (s *Store) Audit(ctx context.Context, workspaceID, employeeID, action, target, detailsJSON string) error {
	if detailsJSON == "" {
		detailsJSON = "{}"
	}
	_, err := s.w.ExecContext(ctx, `INSERT INTO audit_log (id, workspace_id, employee_id, action, target, details_json, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, NewID(), workspaceID, employeeID, action, target, detailsJSON, time.Now().UnixMilli())
	if err != nil {
		return fmt.Errorf("store: audit: %w", err)
	}
	return nil
}
