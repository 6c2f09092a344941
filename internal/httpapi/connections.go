package httpapi

import (
	"net/http"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/respond"
)

// connectionJSON is a connection as the chat window sees it: never its secrets or settings.
type connectionJSON struct {
	ID             string `json:"id"`
	Kind           string `json:"kind"`
	Name           string `json:"name"`
	Status         string `json:"status"`
	InSubscription bool   `json:"in_subscription"`
}

func renderConnection(c hub.Connection) connectionJSON {
	return connectionJSON{ID: c.ID, Kind: c.Kind, Name: c.Name, Status: c.Status, InSubscription: c.InSubscription}
}

// listConnections answers GET /api/v1/connections: the workspace's connections, for the
// create-chat form (F24). Every employee may list them; they reveal no customer.
func (s *Server) listConnections(w http.ResponseWriter, r *http.Request) error {
	c := callerOf(r.Context())
	conns, err := s.Store.Connections(r.Context(), c.Workspace.ID)
	if err != nil {
		return err
	}
	items := make([]connectionJSON, 0, len(conns))
	for _, cn := range conns {
		items = append(items, renderConnection(cn))
	}
	respond.JSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}
