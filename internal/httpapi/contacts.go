package httpapi

import (
	"encoding/json"
	"net/http"

	"github.com/switchboardhq/switchboard/internal/apierr"
)

// getContact answers GET /api/v1/contacts/{id}: the profile (F22).
func (s *Server) getContact(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a, err := s.access(ctx)
	if err != nil {
		return err
	}
	contact, err := s.visibleContact(ctx, a, r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, func(v view) any { return v.contact(contact) })
}

// blockContact answers PUT (block) and DELETE (unblock) /api/v1/contacts/{id}/block: admins
// only (F27); others get 403 before anything is read. Each change is audited (B10).
func (s *Server) blockContact(blocked bool) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		ctx := r.Context()
		c := callerOf(ctx)
		a, err := s.access(ctx)
		if err != nil {
			return err
		}
		if !a.Admin {
			return apierr.Forbidden
		}
		contact, err := s.visibleContact(ctx, a, r.PathValue("id"))
		if err != nil {
			return err
		}
		if contact.Blocked != blocked {
			if contact, err = s.Store.SetBlocked(ctx, c.Workspace.ID, contact.ID, c.Employee.ID, blocked); err != nil {
				return err
			}
			action := "contact.unblock"
			if blocked {
				action = "contact.block"
			}
			details, _ := json.Marshal(map[string]string{"name": contact.Name})
			if err := s.Store.Audit(ctx, c.Workspace.ID, c.Employee.ID, action, contact.ID, string(details)); err != nil {
				return err
			}
		}
		return s.render(w, r, http.StatusOK, func(v view) any { return v.contact(contact) })
	}
}
