package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
)

const employeeCols = `id, workspace_id, crm_user_id, name, email, role, lang, created_at`

func scanEmployee(row scanner) (hub.Employee, error) {
	var e hub.Employee
	var created int64
	err := row.Scan(&e.ID, &e.WorkspaceID, &e.CRMUserID, &e.Name, &e.Email, &e.Role, &e.Lang, &created)
	e.CreatedAt = fromMillis(created)
	return e, notFound(err)
}

// ProvisionEmployee returns the workspace's employee for e.CRMUserID, creating it from e on
// first sight (F2). Concurrent calls for one CRM user make exactly one row; an existing
// employee's name, e-mail, role and language are refreshed from e.
func (s *Store) ProvisionEmployee(ctx context.Context, e hub.Employee) (emp hub.Employee, created bool, err error) {
	id := NewID()
	err = s.tx(ctx, func(q querier) error {
		before, err := scanEmployee(q.QueryRowContext(ctx, `SELECT `+employeeCols+` FROM employees
			WHERE workspace_id = $1 AND crm_user_id = $2`, e.WorkspaceID, e.CRMUserID))
		if err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		_, err = q.ExecContext(ctx, `INSERT INTO employees (`+employeeCols+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
			ON CONFLICT (workspace_id, crm_user_id) DO UPDATE
			SET name = excluded.name, email = excluded.email, role = excluded.role, lang = excluded.lang`,
			id, e.WorkspaceID, e.CRMUserID, e.Name, e.Email, e.Role, e.Lang, time.Now().UnixMilli())
		if err != nil {
			return fmt.Errorf("store: provision employee: %w", err)
		}
		emp, err = scanEmployee(q.QueryRowContext(ctx, `SELECT `+employeeCols+` FROM employees
			WHERE workspace_id = $1 AND crm_user_id = $2`, e.WorkspaceID, e.CRMUserID))
		if err != nil || before.ID == "" || before.Lang == emp.Lang && before.Role == emp.Role {
			return err
		}
		// The employee's open windows switch language (or role) without a reload (F34).
		_, err = appendEvent(ctx, q, e.WorkspaceID, hub.EventEmployeeUpdated, "", "",
			map[string]string{"id": emp.ID, "lang": emp.Lang, "role": emp.Role})
		return err
	})
	return emp, err == nil && emp.ID == id, err
}

// Employee returns the workspace's employee with that id.
func (s *Store) Employee(ctx context.Context, workspaceID, id string) (hub.Employee, error) {
	return scanEmployee(s.r.QueryRowContext(ctx, `SELECT `+employeeCols+` FROM employees
		WHERE workspace_id = $1 AND id = $2`, workspaceID, id))
}

// Employees lists the workspace's employees by name.
func (s *Store) Employees(ctx context.Context, workspaceID string) ([]hub.Employee, error) {
	return collect(scanEmployee)(s.r.QueryContext(ctx, `SELECT `+employeeCols+` FROM employees
		WHERE workspace_id = $1 ORDER BY name, id`, workspaceID))
}
