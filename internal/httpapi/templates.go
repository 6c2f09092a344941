package httpapi

import (
	"errors"
	"net/http"
	"strings"

	"github.com/switchboardhq/switchboard/internal/apierr"
	"github.com/switchboardhq/switchboard/internal/respond"
	"github.com/switchboardhq/switchboard/internal/store"
)

type templateJSON struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Language string `json:"language"`
	Body     string `json:"body"`
	Params   int    `json:"params"`
	Kind     string `json:"kind"`
}

// listTemplates answers GET /api/v1/templates?connection_id=: the connection's WABA templates
// and the workspace's quick replies (F14).
func (s *Server) listTemplates(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c := callerOf(ctx)
	id := r.URL.Query().Get("connection_id")
	if id == "" {
		return apierr.BadRequest.Because(errors.New("connection_id is required"))
	}
	if _, err := s.Store.Connection(ctx, c.Workspace.ID, id); errors.Is(err, store.ErrNotFound) {
		return apierr.NotFound
	} else if err != nil {
		return err
	}
	ts, err := s.Store.Templates(ctx, c.Workspace.ID, id)
	if err != nil {
		return err
	}
	items := make([]templateJSON, 0, len(ts))
	for _, t := range ts {
		if t.Kind == "waba" && t.Status != "" && !strings.EqualFold(t.Status, "approved") {
			continue // WhatsApp refuses templates that are pending or rejected
		}
		items = append(items, templateJSON{ID: t.ID, Name: t.Name, Language: t.Language, Body: t.Body, Params: t.Params, Kind: t.Kind})
	}
	respond.JSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}
