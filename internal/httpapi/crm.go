package httpapi

import (
	"context"
	"log/slog"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
)

// cardFresh is how long a card's refresh from the CRM serves the card's next first page. The
// window reads a card's first page twice as it opens (at once, and again after its event
// socket's hello), and each refresh costs the CRM three or more calls, which all of an
// account's managers share (amoCRM allows 7 a second). Short, so a deal taken away in the CRM
// is closed to its former manager within seconds even when its webhook is lost; a deal handed
// over opens at the next try (a refusal is never reused).
const cardFresh = 5 * time.Second

// refreshCRM refreshes a deal or contact before a card opens (F33), unless this instance did
// so within cardFresh and let the employee in (checkScope forgets a refresh that kept them
// out). A CRM that does not answer leaves the cache as it was: the window still opens on what
// the hub knows, and the next opening asks again.
func (s *Server) refreshCRM(ctx context.Context, ws hub.Workspace, card cardKey) {
	if s.CRM == nil || s.cards.Fresh(card, s.now(), cardFresh) {
		return
	}
	var err error
	if card.kind == "lead" {
		err = s.CRM.RefreshLead(ctx, ws, card.id)
	} else {
		err = s.CRM.RefreshContact(ctx, ws, card.id)
	}
	if err != nil {
		slog.Warn("crm refresh failed; using the cached copy", "workspace", ws.ID, "kind", card.kind, "id", card.id, "err", err)
		return
	}
	s.cards.Mark(card, s.now(), cardFresh)
}

// cardKey names a deal ("lead") or contact card of a workspace.
type cardKey struct {
	workspaceID, kind string
	id                int64
}
