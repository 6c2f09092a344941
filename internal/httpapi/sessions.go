package httpapi

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/switchboardhq/switchboard/internal/apierr"
	"github.com/switchboardhq/switchboard/internal/auth"
	"github.com/switchboardhq/switchboard/internal/crm/amocrm"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/respond"
)

// AmoCRM is the amoCRM adapter as the install, session and CRM webhook endpoints use it.
type AmoCRM interface {
	Authenticate(ctx context.Context, disposableToken string) (amocrm.Identity, error)
	// Install exchanges an OAuth code and returns the workspace and the installing CRM user.
	Install(ctx context.Context, code, referer string) (hub.Workspace, int64, error)
	Sync(ctx context.Context, ws hub.Workspace) error
	HandleHook(ctx context.Context, secret string, form url.Values) error
	HandleDisconnect(ctx context.Context, q url.Values) error
}

var _ AmoCRM = (*amocrm.Adapter)(nil)

type sessionEmployee struct {
	ID        string `json:"id"`
	CRMUserID int64  `json:"crm_user_id"`
	Name      string `json:"name"`
	Email     string `json:"email"`
	Role      string `json:"role"`
	IsAdmin   bool   `json:"is_admin"`
}

type sessionWorkspace struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type sessionResponse struct {
	Token     string           `json:"token"`
	ExpiresAt string           `json:"expires_at"`
	Employee  sessionEmployee  `json:"employee"`
	Lang      string           `json:"lang"`
	Workspace sessionWorkspace `json:"workspace"`
}

// createSession is POST /api/v1/sessions: the widget's disposable token (X-Auth-Token) for a hub
// session token (ARCHITECTURE.md §3).
func (s *Server) createSession(w http.ResponseWriter, r *http.Request) error {
	raw := strings.TrimSpace(r.Header.Get("X-Auth-Token"))
	if raw == "" {
		return apierr.Unauthorized
	}
	if s.AmoCRM == nil || s.Signer == nil {
		return apierr.CRMNotConfigured
	}
	id, err := s.AmoCRM.Authenticate(r.Context(), raw)
	if err != nil {
		return crmError(err)
	}
	token, sess := s.Signer.Issue(auth.Session{WorkspaceID: id.Workspace.ID, EmployeeID: id.Employee.ID}, time.Now())
	e := id.Employee
	respond.JSON(w, http.StatusCreated, sessionResponse{
		Token: token, ExpiresAt: sess.ExpiresAt.UTC().Format(time.RFC3339),
		Employee: sessionEmployee{ID: e.ID, CRMUserID: e.CRMUserID, Name: e.Name, Email: e.Email, Role: e.Role,
			IsAdmin: e.IsAdmin()},
		Lang:      e.Lang,
		Workspace: sessionWorkspace{ID: id.Workspace.ID, Name: id.Workspace.Name},
	})
	return nil
}

// crmError maps the adapter's errors to API errors.
func crmError(err error) error {
	var apiErr *amocrm.APIError
	switch {
	case errors.Is(err, amocrm.ErrBadToken), errors.Is(err, amocrm.ErrBadSignature):
		return apierr.Unauthorized.Because(err)
	case errors.Is(err, amocrm.ErrNotInstalled), errors.Is(err, amocrm.ErrRevoked):
		return apierr.CRMNotConnected.Because(err)
	case errors.Is(err, amocrm.ErrUserInactive):
		return apierr.Forbidden.Because(err)
	case errors.Is(err, amocrm.ErrUnreachable), errors.As(err, &apiErr):
		return apierr.CRMUnavailable.Because(err)
	}
	return err
}
