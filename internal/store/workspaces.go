package store

import (
	"context"
	"fmt"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
)

const workspaceCols = `id, name, crm_kind, crm_account_id, crm_base_url, country,
	sub_active, sub_paid, templates_paid, sub_ends_at, created_at`

func scanWorkspace(row scanner) (hub.Workspace, error) {
	var w hub.Workspace
	var ends, created int64
	err := row.Scan(&w.ID, &w.Name, &w.CRMKind, &w.CRMAccountID, &w.CRMBaseURL, &w.Country,
		&w.Subscription.Active, &w.Subscription.Paid, &w.Subscription.TemplatesPaid, &ends, &created)
	w.CreatedAt = fromMillis(created)
	if ends != 0 {
		w.Subscription.EndsAt = fromMillis(ends)
	}
	return w, notFound(err)
}

// CreateWorkspace inserts w, or returns the existing workspace of the same CRM account
// (installing twice never makes two workspaces, and the existing one keeps its subscription).
// w.ID is assigned when empty.
func (s *Store) CreateWorkspace(ctx context.Context, w hub.Workspace) (hub.Workspace, error) {
	if w.ID == "" {
		w.ID = NewID()
	}
	if w.Country == "" {
		w.Country = "RU"
	}
	if w.CreatedAt.IsZero() {
		w.CreatedAt = time.Now()
	}
	_, err := s.w.ExecContext(ctx, `INSERT INTO workspaces (`+workspaceCols+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
		ON CONFLICT (crm_kind, crm_account_id) DO NOTHING`,
		w.ID, w.Name, w.CRMKind, w.CRMAccountID, w.CRMBaseURL, w.Country,
		w.Subscription.Active, w.Subscription.Paid, w.Subscription.TemplatesPaid, endsMillis(w.Subscription), millis(w.CreatedAt))
	if err != nil {
		return hub.Workspace{}, fmt.Errorf("store: create workspace: %w", err)
	}
	return s.WorkspaceByCRM(ctx, w.CRMKind, w.CRMAccountID)
}

// Workspace returns the workspace with that id.
func (s *Store) Workspace(ctx context.Context, id string) (hub.Workspace, error) {
	return scanWorkspace(s.r.QueryRowContext(ctx, `SELECT `+workspaceCols+` FROM workspaces WHERE id = $1`, id))
}

// WorkspaceByCRM finds the workspace of a CRM account.
func (s *Store) WorkspaceByCRM(ctx context.Context, kind string, accountID int64) (hub.Workspace, error) {
	return scanWorkspace(s.w.QueryRowContext(ctx, `SELECT `+workspaceCols+` FROM workspaces
		WHERE crm_kind = $1 AND crm_account_id = $2`, kind, accountID))
}

// Workspaces lists every workspace, oldest first.
func (s *Store) Workspaces(ctx context.Context) ([]hub.Workspace, error) {
	return collect(scanWorkspace)(s.r.QueryContext(ctx, `SELECT `+workspaceCols+` FROM workspaces ORDER BY created_at, id`))
}

// UpdateWorkspace changes the name, CRM base URL and country.
func (s *Store) UpdateWorkspace(ctx context.Context, w hub.Workspace) error {
	return s.execOne(ctx, "update workspace", `UPDATE workspaces SET name = $2, crm_base_url = $3, country = $4
		WHERE id = $1`, w.ID, w.Name, w.CRMBaseURL, w.Country)
}

// SetSubscription replaces the workspace's subscription: its flags and its end (operator API).
// The change is logged as an event, so the workspace's open windows learn it live.
func (s *Store) SetSubscription(ctx context.Context, workspaceID string, sub hub.Subscription) error {
	return s.tx(ctx, func(q querier) error {
		if err := execOneOn(ctx, q, "set subscription", `UPDATE workspaces SET sub_active = $2, sub_paid = $3,
			templates_paid = $4, sub_ends_at = $5 WHERE id = $1`, workspaceID, sub.Active, sub.Paid, sub.TemplatesPaid,
			endsMillis(sub)); err != nil {
			return err
		}
		_, err := appendEvent(ctx, q, workspaceID, hub.EventSubscriptionUpdated, "", "", sub)
		return err
	})
}

// endsMillis stores "does not end" as 0.
func endsMillis(sub hub.Subscription) int64 {
	if sub.EndsAt.IsZero() {
		return 0
	}
	return millis(sub.EndsAt)
}

// execOne runs a statement that must change exactly one row; zero rows is ErrNotFound.
func (s *Store) execOne(ctx context.Context, what, query string, args ...any) error {
	return execOneOn(ctx, s.w, what, query, args...)
}

func execOneOn(ctx context.Context, q querier, what, query string, args ...any) error {
	res, err := q.ExecContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("store: %s: %w", what, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("store: %s: %w", what, err)
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}
