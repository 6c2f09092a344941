package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
)

// ErrInUse is returned when a row cannot go because others still point at it (a connection
// that has chats).
var ErrInUse = errors.New("store: still in use")

// ErrDuplicate is returned when a name is already taken in the workspace.
var ErrDuplicate = errors.New("store: already exists")

// DeleteConnection removes a connection that never carried a chat, with its templates. A
// connection with chats answers ErrInUse: its history must stay readable.
func (s *Store) DeleteConnection(ctx context.Context, workspaceID, id string) error {
	defer s.forgetConnection(id)
	return s.tx(ctx, func(q querier) error {
		var chats int
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM chats WHERE workspace_id = $1 AND connection_id = $2`,
			workspaceID, id).Scan(&chats); err != nil {
			return fmt.Errorf("store: delete connection: %w", err)
		}
		if chats > 0 {
			return ErrInUse
		}
		if _, err := q.ExecContext(ctx, `DELETE FROM templates WHERE workspace_id = $1 AND connection_id = $2`,
			workspaceID, id); err != nil {
			return fmt.Errorf("store: delete connection templates: %w", err)
		}
		if err := execOneOn(ctx, q, "delete connection", `DELETE FROM connections WHERE workspace_id = $1 AND id = $2`,
			workspaceID, id); err != nil {
			return err
		}
		for _, table := range []string{"connection_health", "connection_failures"} {
			if _, err := q.ExecContext(ctx, `DELETE FROM `+table+` WHERE connection_id = $1`, id); err != nil {
				return fmt.Errorf("store: delete connection health: %w", err)
			}
		}
		return nil
	})
}

// QuickReplies lists the workspace's quick replies by name.
func (s *Store) QuickReplies(ctx context.Context, workspaceID string) ([]hub.Template, error) {
	return collect(scanTemplate)(s.r.QueryContext(ctx, `SELECT id, workspace_id, connection_id, kind, name, language,
		body, params, status, category, updated_at FROM templates
		WHERE workspace_id = $1 AND kind = $2 ORDER BY name, id`, workspaceID, hub.TemplateQuickReply))
}

// SaveQuickReply creates a quick reply (t.ID empty) or rewrites the workspace's quick reply
// t.ID. Its language is optional ("" for any): the chat window offers an employee the replies
// in their language first. A name another quick reply of the workspace has in the same
// language answers ErrDuplicate.
func (s *Store) SaveQuickReply(ctx context.Context, t hub.Template) (hub.Template, error) {
	t.Kind, t.ConnectionID = hub.TemplateQuickReply, ""
	t.UpdatedAt = time.Now().UTC().Truncate(time.Millisecond)
	err := s.tx(ctx, func(q querier) error {
		var taken int
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM templates WHERE workspace_id = $1 AND kind = $2
			AND connection_id = '' AND name = $3 AND language = $4 AND id <> $5`,
			t.WorkspaceID, t.Kind, t.Name, t.Language, t.ID).Scan(&taken); err != nil {
			return fmt.Errorf("store: save quick reply: %w", err)
		}
		if taken > 0 {
			return ErrDuplicate
		}
		if t.ID != "" {
			return execOneOn(ctx, q, "save quick reply", `UPDATE templates SET name = $3, body = $4, params = $5,
				updated_at = $6, language = $8 WHERE workspace_id = $1 AND id = $2 AND kind = $7`,
				t.WorkspaceID, t.ID, t.Name, t.Body, t.Params, millis(t.UpdatedAt), t.Kind, t.Language)
		}
		t.ID = NewID()
		_, err := q.ExecContext(ctx, `INSERT INTO templates (id, workspace_id, connection_id, kind, name, language,
			body, params, status, category, updated_at) VALUES ($1, $2, '', $3, $4, $5, $6, $7, '', '', $8)`,
			t.ID, t.WorkspaceID, t.Kind, t.Name, t.Language, t.Body, t.Params, millis(t.UpdatedAt))
		if err != nil {
			return fmt.Errorf("store: save quick reply: %w", err)
		}
		return nil
	})
	return t, err
}

// DeleteQuickReply removes one of the workspace's quick replies (never a WABA template, which
// the provider owns).
func (s *Store) DeleteQuickReply(ctx context.Context, workspaceID, id string) error {
	return s.execOne(ctx, "delete quick reply", `DELETE FROM templates WHERE workspace_id = $1 AND id = $2 AND kind = $3`,
		workspaceID, id, hub.TemplateQuickReply)
}

// CRMCounts is how much of the CRM the hub has cached: the initial sync's progress.
type CRMCounts struct {
	Users, Contacts, Leads int
}

// CRMCounts counts the workspace's cached CRM users, contacts and deals.
func (s *Store) CRMCounts(ctx context.Context, workspaceID string) (CRMCounts, error) {
	var c CRMCounts
	err := s.r.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM crm_users WHERE workspace_id = $1),
		(SELECT COUNT(*) FROM crm_contacts WHERE workspace_id = $1),
		(SELECT COUNT(*) FROM crm_leads WHERE workspace_id = $1)`, workspaceID).Scan(&c.Users, &c.Contacts, &c.Leads)
	if err != nil {
		return c, fmt.Errorf("store: crm counts: %w", err)
	}
	return c, nil
}

// AuditEntry is one recorded admin action.
type AuditEntry struct {
	ID, EmployeeID, Action, Target, DetailsJSON string
	CreatedAt                                   time.Time
}

// AuditLog lists the workspace's latest admin actions, newest first.
// AuditHas reports whether the workspace's audit log has an entry of action (so the cabinet can
// tell the first install from a reconnect).
func (s *Store) AuditHas(ctx context.Context, workspaceID, action string) (bool, error) {
	var n int
	err := s.w.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE workspace_id = $1 AND action = $2`,
		workspaceID, action).Scan(&n)
	return n > 0, err
}

func (s *Store) AuditLog(ctx context.Context, workspaceID string, limit int) ([]AuditEntry, error) {
	return collect(func(r scanner) (AuditEntry, error) {
		var e AuditEntry
		var at int64
		err := r.Scan(&e.ID, &e.EmployeeID, &e.Action, &e.Target, &e.DetailsJSON, &at)
		e.CreatedAt = fromMillis(at)
		return e, err
	})(s.r.QueryContext(ctx, `SELECT id, employee_id, action, target, details_json, created_at FROM audit_log
		WHERE workspace_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`, workspaceID, limit))
}
