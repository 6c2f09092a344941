package httpapi

import (
	"errors"
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
// session token (ARCHITECTURE.md §3). A session for a card names it (crm_lead_id or
// crm_contact_id, as the window's frame does).
func (s *Server) createSession(w http.ResponseWriter, r *http.Request) error {
	raw := strings.TrimSpace(r.Header.Get("X-Auth-Token"))
	if raw == "" {
		return apierr.Unauthorized
	}
	lead, err := cardParam(r.URL.Query(), "crm_lead_id")
	if err != nil {
		return err
	}
	contact, err := cardParam(r.URL.Query(), "crm_contact_id")
	if err != nil {
		return err
	}
	if lead != 0 && contact != 0 {
		return apierr.BadRequest.Because(errors.New("at most one of crm_lead_id, crm_contact_id"))
	}
	if s.Sessions == nil || s.Signer == nil {
		return apierr.CRMNotConfigured
	}
	id, err := s.Sessions.Authenticate(r.Context(), raw)
	if err != nil {
		return crm.APIError(err)
	}
	// A session asked for a card starts the card's refresh from the CRM (F33) now, while the
	// window's frame loads; the card's first page waits for it there, and access is decided
	// there, on its answer.
	if s.CRM != nil && lead != 0 {
		s.startRefresh(id.Workspace, cardKey{id.Workspace.ID, "lead", lead})
	} else if s.CRM != nil && contact != 0 {
		s.startRefresh(id.Workspace, cardKey{id.Workspace.ID, "contact", contact})
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
