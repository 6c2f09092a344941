package amojo

import (
	"context"
	"fmt"

	"github.com/switchboardhq/switchboard/internal/crm"
	"github.com/switchboardhq/switchboard/internal/crm/amocrm"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

// Pipeline is a pipeline the cabinet offers for a connection's incoming leads.
type Pipeline = crm.Pipeline

// Pipelines lists the account's pipelines.
func (m *Mirror) Pipelines(ctx context.Context, ws hub.Workspace) ([]Pipeline, error) {
	ps, err := m.CRM.Pipelines(ctx, ws)
	if err != nil {
		return nil, err
	}
	out := make([]Pipeline, len(ps))
	for i, p := range ps {
		out[i] = Pipeline{ID: p.ID, Name: p.Name, IsMain: p.IsMain}
	}
	return out, nil
}

// Sources lists the connections' sources with their pipelines (0: the main one).
func (m *Mirror) Sources(ctx context.Context, workspaceID string) ([]store.AmojoSource, error) {
	return m.Store.AmojoSources(ctx, workspaceID)
}

// ErrNoSuchPipeline is a pipeline the account does not have.
var ErrNoSuchPipeline = fmt.Errorf("amojo: %w", crm.ErrNoSuchPipeline)

// SetPipeline sends a connection's incoming leads to a pipeline: its amoCRM source is made if
// needed and pointed there.
func (m *Mirror) SetPipeline(ctx context.Context, ws hub.Workspace, connectionID string, pipelineID int64) error {
	conn, err := m.Store.Connection(ctx, ws.ID, connectionID)
	if err != nil {
		return err
	}
	ps, err := m.CRM.Pipelines(ctx, ws)
	if err != nil {
		return err
	}
	known := false
	for _, p := range ps {
		known = known || p.ID == pipelineID
	}
	if !known {
		return ErrNoSuchPipeline
	}
	if _, err := m.source(ctx, ws, conn); err != nil {
		return err
	}
	srcs, err := m.Store.AmojoSources(ctx, ws.ID)
	if err != nil {
		return err
	}
	for _, s := range srcs {
		if s.ConnectionID != conn.ID {
			continue
		}
		if _, err := m.CRM.SaveSource(ctx, ws, amocrm.Source{ID: s.SourceID, Name: conn.Name, ExternalID: conn.ID,
			PipelineID: pipelineID, WABA: conn.Kind == hub.KindWABA}); err != nil {
			return err
		}
		s.PipelineID = pipelineID
		return m.Store.SaveAmojoSource(ctx, ws.ID, s)
	}
	return fmt.Errorf("amojo: the source of connection %s was not saved", conn.ID)
}
