package httpapi

import (
	"context"
	"log/slog"

	"github.com/switchboardhq/switchboard/internal/hub"
)

// refreshCRM refreshes a deal or contact before a card opens (F33). A CRM that does not
// answer leaves the cache as it was: the window still opens on what the hub knows.
func (s *Server) refreshCRM(ctx context.Context, ws hub.Workspace, kind string, id int64) {
	if s.CRM == nil {
		return
	}
	var err error
	if kind == "lead" {
		err = s.CRM.RefreshLead(ctx, ws, id)
	} else {
		err = s.CRM.RefreshContact(ctx, ws, id)
	}
	if err != nil {
		slog.Warn("crm refresh failed; using the cached copy", "workspace", ws.ID, "kind", kind, "id", id, "err", err)
	}
}
