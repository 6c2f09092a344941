package httpapi

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/switchboardhq/switchboard/internal/apierr"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/respond"
	"github.com/switchboardhq/switchboard/internal/store"
)

// The operator API (/api/operator/v1) is for whoever runs the hub: it sets what a workspace has
// paid for, so the refusals of F25 and F29 can be exercised. It is not part of the chat window.

// operator wraps an operator endpoint: `Authorization: Bearer <SWITCHBOARD_OPERATOR_TOKEN>`.
// Without a configured token the whole API is switched off (503), never open.
func (s *Server) operator(fn respond.Handler) http.Handler {
	return respond.Handle(func(w http.ResponseWriter, r *http.Request) error {
		if s.OperatorToken == "" {
			return apierr.OperatorDisabled
		}
		scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
		// Comparing digests keeps the comparison constant-time whatever the lengths.
		got, want := sha256.Sum256([]byte(strings.TrimSpace(token))), sha256.Sum256([]byte(s.OperatorToken))
		if !ok || !strings.EqualFold(scheme, "Bearer") || subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
			return apierr.Unauthorized.Says("error.operator_unauthorized")
		}
		return fn(w, r)
	})
}

type workspaceJSON struct {
	ID           string           `json:"id"`
	Name         string           `json:"name"`
	CRMKind      string           `json:"crm_kind"`
	CRMAccountID int64            `json:"crm_account_id"`
	CRMBaseURL   string           `json:"crm_base_url"`
	Subscription subscriptionJSON `json:"subscription"`
	CreatedAt    time.Time        `json:"created_at"`
}

// subscriptionJSON is a subscription as both the operator API and the cabinet show it: the
// flags as set, when it ends (null: never) and whether it is active now (set and not ended).
type subscriptionJSON struct {
	Active        bool       `json:"active"`
	Paid          bool       `json:"paid"`
	TemplatesPaid bool       `json:"templates_paid"`
	EndsAt        *time.Time `json:"ends_at"`
	ActiveNow     bool       `json:"active_now"`
}

func renderSubscription(sub hub.Subscription, now time.Time) subscriptionJSON {
	out := subscriptionJSON{Active: sub.Active, Paid: sub.Paid, TemplatesPaid: sub.TemplatesPaid, ActiveNow: sub.ActiveAt(now)}
	if !sub.EndsAt.IsZero() {
		ends := sub.EndsAt.UTC()
		out.EndsAt = &ends
	}
	return out
}

func (s *Server) renderWorkspace(w hub.Workspace) workspaceJSON {
	return workspaceJSON{ID: w.ID, Name: w.Name, CRMKind: w.CRMKind, CRMAccountID: w.CRMAccountID,
		CRMBaseURL: w.CRMBaseURL, CreatedAt: w.CreatedAt.UTC(), Subscription: renderSubscription(w.Subscription, s.now())}
}

// GET /api/operator/v1/workspaces
func (s *Server) operatorWorkspaces(w http.ResponseWriter, r *http.Request) error {
	all, err := s.Store.Workspaces(r.Context())
	if err != nil {
		return err
	}
	items := make([]workspaceJSON, 0, len(all))
	for _, ws := range all {
		items = append(items, s.renderWorkspace(ws))
	}
	respond.JSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}

// operatorWorkspace loads the workspace named in the path; unknown → 404.
func (s *Server) operatorWorkspace(r *http.Request) (hub.Workspace, error) {
	ws, err := s.Store.Workspace(r.Context(), r.PathValue("id"))
	if errors.Is(err, store.ErrNotFound) {
		return ws, apierr.NotFound
	}
	return ws, err
}

// PUT /api/operator/v1/workspaces/{id}/subscription {"active"?, "paid"?, "templates_paid"?,
// "ends_at"?}: the fields given replace the current ones; at least one is required. ends_at is
// an RFC 3339 time after which the subscription is inactive, or null for one that never ends.
// This is how a billing system changes a subscription.
func (s *Server) operatorSetSubscription(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Active        *bool           `json:"active"`
		Paid          *bool           `json:"paid"`
		TemplatesPaid *bool           `json:"templates_paid"`
		EndsAt        json.RawMessage `json:"ends_at"` // absent: unchanged; null: clear
	}
	if err := respond.Decode(r, &in); err != nil {
		return err
	}
	if in.Active == nil && in.Paid == nil && in.TemplatesPaid == nil && in.EndsAt == nil {
		return apierr.BadRequest.Because(errors.New("give at least one of active, paid, templates_paid, ends_at"))
	}
	var endsAt *time.Time
	if in.EndsAt != nil {
		endsAt = &time.Time{}
		if string(in.EndsAt) != "null" {
			if err := json.Unmarshal(in.EndsAt, endsAt); err != nil {
				return apierr.BadRequest.Because(errors.New("ends_at: want an RFC 3339 time such as 2026-12-31T23:59:59Z, or null"))
			}
		}
	}
	ws, err := s.operatorWorkspace(r)
	if err != nil {
		return err
	}
	set := func(dst *bool, v *bool) {
		if v != nil {
			*dst = *v
		}
	}
	set(&ws.Subscription.Active, in.Active)
	set(&ws.Subscription.Paid, in.Paid)
	set(&ws.Subscription.TemplatesPaid, in.TemplatesPaid)
	if endsAt != nil {
		ws.Subscription.EndsAt = *endsAt
	}
	if err := s.Store.SetSubscription(r.Context(), ws.ID, ws.Subscription); err != nil {
		return err
	}
	respond.JSON(w, http.StatusOK, s.renderWorkspace(ws))
	return nil
}

// GET /api/operator/v1/workspaces/{id}/connections
func (s *Server) operatorConnections(w http.ResponseWriter, r *http.Request) error {
	ws, err := s.operatorWorkspace(r)
	if err != nil {
		return err
	}
	conns, err := s.Store.Connections(r.Context(), ws.ID)
	if err != nil {
		return err
	}
	items, err := s.renderConnections(r.Context(), ws.ID, conns)
	if err != nil {
		return err
	}
	respond.JSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}

// PUT /api/operator/v1/workspaces/{id}/connections/{connection_id}/subscription
// {"in_subscription": bool}
func (s *Server) operatorSetConnection(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		InSubscription *bool `json:"in_subscription"`
	}
	if err := respond.Decode(r, &in); err != nil {
		return err
	}
	if in.InSubscription == nil {
		return apierr.BadRequest.Because(errors.New("in_subscription is required"))
	}
	ctx, wsID, id := r.Context(), r.PathValue("id"), r.PathValue("connection_id")
	err := s.Store.SetConnectionInSubscription(ctx, wsID, id, *in.InSubscription)
	if errors.Is(err, store.ErrNotFound) {
		return apierr.NotFound
	} else if err != nil {
		return err
	}
	c, err := s.Store.Connection(ctx, wsID, id)
	if err != nil {
		return err
	}
	items, err := s.renderConnections(ctx, wsID, []hub.Connection{c})
	if err != nil {
		return err
	}
	respond.JSON(w, http.StatusOK, items[0])
	return nil
}
