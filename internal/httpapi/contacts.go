package httpapi

import (
	"net/http"

	"github.com/switchboardhq/switchboard/internal/respond"
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
// only (F27), audited (B10) (messaging.SetBlocked).
func (s *Server) blockContact(blocked bool) respond.Handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		who, err := s.actor(r.Context())
		if err != nil {
			return err
		}
		contact, err := s.Messaging.SetBlocked(r.Context(), who, r.PathValue("id"), blocked)
		if err != nil {
			return err
		}
		return s.render(w, r, http.StatusOK, func(v view) any { return v.contact(contact) })
	}
}
