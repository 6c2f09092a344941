package amocrm

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/switchboardhq/switchboard/internal/crm"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/i18n"
	"github.com/switchboardhq/switchboard/internal/store"
)

// userMaxAge is how old a cached CRM user may be when someone opens the chat window; older
// ones are re-read so name, rights, admin flag and language are at most 10 minutes stale (F34).
const userMaxAge = 10 * time.Minute

// ErrUnreachable is returned when the CRM did not give what the hub needs and has no copy of.
var ErrUnreachable = fmt.Errorf("amocrm: the CRM did not answer: %w", crm.ErrUnavailable)

// ErrUserInactive is returned when the CRM user is deactivated.
var ErrUserInactive = fmt.Errorf("amocrm: %w", crm.ErrUserInactive)

// Identity is who opened the chat window.
type Identity = crm.Identity

// Authenticate turns the widget's disposable token into the workspace and employee it speaks
// for, provisioning the employee on first open (F2, exactly once under concurrent opens) with
// the CRM's admin flag as role (F3) and the CRM user's language (F34). A token is accepted once.
func (a *Adapter) Authenticate(ctx context.Context, raw string) (Identity, error) {
	c, err := a.VerifyDisposable(raw)
	if err != nil {
		return Identity{}, err
	}
	ws, err := a.workspaceOf(ctx, c.AccountID)
	if err != nil {
		return Identity{}, err
	}
	if strings.TrimSuffix(c.Issuer, "/") != strings.TrimSuffix(ws.CRMBaseURL, "/") {
		return Identity{}, fmt.Errorf("%w: issuer %q is not the account's address", ErrBadToken, c.Issuer)
	}
	fresh, err := a.store.UseTokenID(ctx, c.ID, c.ExpiresAt.Time.Add(clockLeeway))
	if err != nil {
		return Identity{}, err
	}
	if !fresh {
		return Identity{}, fmt.Errorf("%w: replayed (jti %s)", ErrBadToken, c.ID)
	}
	u, err := a.currentUser(ctx, ws, c.UserID)
	if err != nil {
		return Identity{}, err
	}
	if !u.IsActive {
		return Identity{}, ErrUserInactive
	}
	role := hub.RoleManager
	if c.IsAdmin { // the token is the CRM's word as of now; the cache may be minutes old
		role = hub.RoleAdmin
	}
	emp, created, err := a.store.ProvisionEmployee(ctx, hub.Employee{WorkspaceID: ws.ID, CRMUserID: u.ID,
		Name: u.Name, Email: u.Email, Role: role, Lang: i18n.Lang(u.Lang)})
	if err != nil {
		return Identity{}, err
	}
	return Identity{Workspace: ws, Employee: emp, Created: created}, nil
}

// currentUser returns the CRM user from the cache when recent, else re-reads it from the API.
// When the CRM cannot be reached, a cached copy of any age is better than refusing the open.
func (a *Adapter) currentUser(ctx context.Context, ws hub.Workspace, id int64) (store.CRMUser, error) {
	cached, err := a.store.CRMUser(ctx, ws.ID, id)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return cached, err
	}
	if err == nil && a.now().Sub(cached.FetchedAt) < userMaxAge {
		return cached, nil
	}
	u, apiErr := a.User(ctx, ws, id)
	if apiErr == nil {
		if apiErr = a.saveUser(ctx, ws, u); apiErr == nil {
			return a.store.CRMUser(ctx, ws.ID, id)
		}
	}
	if err == nil {
		slog.Warn("amocrm: using cached CRM user", "workspace", ws.ID, "user", id, "err", apiErr)
		return cached, nil
	}
	if errors.Is(apiErr, ErrNotInstalled) || errors.Is(apiErr, ErrRevoked) {
		return store.CRMUser{}, apiErr
	}
	return store.CRMUser{}, fmt.Errorf("%w: read CRM user %d: %v", ErrUnreachable, id, apiErr)
}
