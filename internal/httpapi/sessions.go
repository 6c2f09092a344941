package httpapi

import (
	"net/http"
	"strings"
	"time"

	"github.com/switchboardhq/switchboard/internal/apierr"
	"github.com/switchboardhq/switchboard/internal/auth"
	"github.com/switchboardhq/switchboard/internal/crm"
	"github.com/switchboardhq/switchboard/internal/respond"
)

type sessionEmployee struct {
	ID        string `json:"id"`
	CRMUserID int64  `json:"crm_user_id"`
	Name      string `json:"name"`
	Email     string `json:"email"`
	Role      string `json:"role"`
	IsAdmin   bool   `json:"is_admin"`
}

// sessionWorkspace carries the subscription so the chat window can say before a send that it
// will be refused, and switch at the moment it ends; subscription.updated events renew it.
type sessionWorkspace struct {
	ID           string           `json:"id"`
	Name         string           `json:"name"`
	Subscription subscriptionJSON `json:"subscription"`
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
	if s.Sessions == nil || s.Signer == nil {
		return apierr.CRMNotConfigured
	}
	id, err := s.Sessions.Authenticate(r.Context(), raw)
	if err != nil {
		return crm.APIError(err)
	}
	token, sess := s.Signer.Issue(auth.Session{WorkspaceID: id.Workspace.ID, EmployeeID: id.Employee.ID}, time.Now())
	e := id.Employee
	respond.JSON(w, http.StatusCreated, sessionResponse{
		Token: token, ExpiresAt: sess.ExpiresAt.UTC().Format(time.RFC3339),
		Employee: sessionEmployee{ID: e.ID, CRMUserID: e.CRMUserID, Name: e.Name, Email: e.Email, Role: e.Role,
			IsAdmin: e.IsAdmin()},
		Lang: e.Lang,
		Workspace: sessionWorkspace{ID: id.Workspace.ID, Name: id.Workspace.Name,
			Subscription: renderSubscription(id.Workspace.Subscription, s.now())},
	})
	return nil
}
