package httpapi

import (
	"context"
	"net/http"

	"github.com/switchboardhq/switchboard/internal/connections"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/respond"
	"github.com/switchboardhq/switchboard/internal/store"
)

// connectionJSON is a connection as the chat window sees it: never its secrets or settings.
type connectionJSON struct {
	ID             string `json:"id"`
	Kind           string `json:"kind"`
	Name           string `json:"name"`
	Status         string `json:"status"`
	InSubscription bool   `json:"in_subscription"`
	// Disabled: an admin switched it off (sending and creating chats answer
	// connection_disabled); State is the measured state the cabinet shows (connections.State),
	// so the create form can mark a broken connection.
	Disabled bool   `json:"disabled"`
	State    string `json:"state"`
}

func renderConnection(c hub.Connection, h store.ConnectionHealth) connectionJSON {
	return connectionJSON{ID: c.ID, Kind: c.Kind, Name: c.Name, Status: c.Status, InSubscription: c.InSubscription,
		Disabled: c.Disabled(), State: connections.State(c, h)}
}

// listConnections answers GET /api/v1/connections: the workspace's connections, for the
// create-chat form (F24). Every employee may list them; they reveal no customer.
func (s *Server) listConnections(w http.ResponseWriter, r *http.Request) error {
	c := callerOf(r.Context())
	conns, err := s.Store.Connections(r.Context(), c.Workspace.ID)
	if err != nil {
		return err
	}
	items, err := s.renderConnections(r.Context(), c.Workspace.ID, conns)
	if err != nil {
		return err
	}
	respond.JSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}

// renderConnections renders a workspace's connections with their measured health.
func (s *Server) renderConnections(ctx context.Context, workspaceID string, conns []hub.Connection) ([]connectionJSON, error) {
	health, err := s.Store.Health(ctx, workspaceID, s.now())
	if err != nil {
		return nil, err
	}
	items := make([]connectionJSON, 0, len(conns))
	for _, cn := range conns {
		items = append(items, renderConnection(cn, health[cn.ID]))
	}
	return items, nil
}
