package cabinet

import (
	"context"
	"errors"
	"net/http"

	"github.com/switchboardhq/switchboard/internal/apierr"
	"github.com/switchboardhq/switchboard/internal/crm"
	"github.com/switchboardhq/switchboard/internal/httpapi"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/respond"
	"github.com/switchboardhq/switchboard/internal/store"
)

// CRMChats is the mirror into the CRM's own chats as the cabinet uses it (crm/amocrm/amojo's
// Mirror).
type CRMChats interface {
	StatusOf(ctx context.Context, workspaceID string) (crm.ChatsStatus, error)
	SetEnabled(ctx context.Context, ws hub.Workspace, on bool) (crm.ChatsStatus, error)
	Pipelines(ctx context.Context, ws hub.Workspace) ([]crm.Pipeline, error)
	Sources(ctx context.Context, workspaceID string) ([]store.AmojoSource, error)
	SetPipeline(ctx context.Context, ws hub.Workspace, connectionID string, pipelineID int64) error
}

const partCRMChats = "SWITCHBOARD_AMOJO_CHANNEL_ID, SWITCHBOARD_AMOJO_SECRET"

// cabinetCRMChats answers GET /api/cabinet/v1/crm-chats: whether the mirror into amoCRM's own
// chats is configured on this hub, on for the workspace and connected, how many calls wait,
// and each connection's pipeline for incoming leads (with the pipelines to pick from; an
// unreachable CRM leaves that list empty rather than failing the page).
func (a *API) cabinetCRMChats(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ws := httpapi.CallerOf(ctx).Workspace
	if a.CRMChats == nil {
		respond.JSON(w, http.StatusOK, map[string]any{"configured": false})
		return nil
	}
	st, err := a.CRMChats.StatusOf(ctx, ws.ID)
	if err != nil {
		return err
	}
	out := map[string]any{"configured": true, "enabled": st.Enabled, "connected": st.Connected,
		"last_error": st.LastError, "backlog": st.Backlog, "pipelines": []any{}, "connections": []any{}}
	if !st.Enabled {
		respond.JSON(w, http.StatusOK, out)
		return nil
	}
	if ps, err := a.CRMChats.Pipelines(ctx, ws); err == nil {
		items := make([]map[string]any, len(ps))
		for i, p := range ps {
			items[i] = map[string]any{"id": p.ID, "name": p.Name, "is_main": p.IsMain}
		}
		out["pipelines"] = items
	}
	srcs, err := a.CRMChats.Sources(ctx, ws.ID)
	if err != nil {
		return err
	}
	pipeline := map[string]int64{}
	for _, x := range srcs {
		pipeline[x.ConnectionID] = x.PipelineID
	}
	conns, err := a.Store.Connections(ctx, ws.ID)
	if err != nil {
		return err
	}
	items := make([]map[string]any, len(conns))
	for i, c := range conns {
		items[i] = map[string]any{"id": c.ID, "name": c.Name, "kind": c.Kind, "pipeline_id": pipeline[c.ID]}
	}
	out["connections"] = items
	respond.JSON(w, http.StatusOK, out)
	return nil
}

// cabinetSetCRMChats answers PUT /api/cabinet/v1/crm-chats {"enabled"}: the mirror is switched
// on (the channel connected to the account) or off.
func (a *API) cabinetSetCRMChats(w http.ResponseWriter, r *http.Request) error {
	if a.CRMChats == nil {
		return unconfigured(partCRMChats)
	}
	var body struct {
		Enabled *bool `json:"enabled"`
	}
	if err := respond.Decode(r, &body); err != nil {
		return err
	}
	if body.Enabled == nil {
		return apierr.BadRequest.Because(errors.New("enabled is required"))
	}
	ws := httpapi.CallerOf(r.Context()).Workspace
	if _, err := a.CRMChats.SetEnabled(r.Context(), ws, *body.Enabled); err != nil {
		return err
	}
	a.audit(r, "crm_chats.switch", ws.ID, map[string]any{"enabled": *body.Enabled})
	return a.cabinetCRMChats(w, r)
}

// cabinetSetCRMChatsPipeline answers PUT /api/cabinet/v1/crm-chats/connections/{id}
// {"pipeline_id"}: the connection's incoming leads go to that pipeline.
func (a *API) cabinetSetCRMChatsPipeline(w http.ResponseWriter, r *http.Request) error {
	if a.CRMChats == nil {
		return unconfigured(partCRMChats)
	}
	var body struct {
		PipelineID int64 `json:"pipeline_id"`
	}
	if err := respond.Decode(r, &body); err != nil {
		return err
	}
	ctx := r.Context()
	ws := httpapi.CallerOf(ctx).Workspace
	id := r.PathValue("id")
	if _, err := a.Store.Connection(ctx, ws.ID, id); errors.Is(err, store.ErrNotFound) {
		return apierr.NotFound.Because(err)
	} else if err != nil {
		return err
	}
	switch err := a.CRMChats.SetPipeline(ctx, ws, id, body.PipelineID); {
	case errors.Is(err, crm.ErrNoSuchPipeline):
		return apierr.InvalidField.With("field", "pipeline_id").Because(err)
	case err != nil:
		return apierr.CRMUnavailable.Because(err)
	}
	a.audit(r, "crm_chats.pipeline", id, map[string]any{"pipeline_id": body.PipelineID})
	return a.cabinetCRMChats(w, r)
}
