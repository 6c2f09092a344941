package pipeline

import (
	"context"

	"github.com/switchboardhq/switchboard/internal/hub"
)

// templateStore saves synced templates.
type templateStore interface {
	UpsertTemplate(ctx context.Context, t hub.Template) (hub.Template, error)
}

// SyncTemplates copies the provider's templates of a connection into the hub (every page) and
// returns how many it saved. Channels without templates save none.
func (a *Adapters) SyncTemplates(ctx context.Context, st templateStore, c hub.Connection) (int, error) {
	ad, err := a.For(c)
	if err != nil {
		return 0, err
	}
	if !ad.Capabilities().Templates {
		return 0, nil
	}
	ts, err := ad.Templates(ctx)
	if err != nil {
		return 0, err
	}
	for _, t := range ts {
		t.WorkspaceID, t.ConnectionID = c.WorkspaceID, c.ID
		if _, err := st.UpsertTemplate(ctx, t); err != nil {
			return 0, err
		}
	}
	return len(ts), nil
}
