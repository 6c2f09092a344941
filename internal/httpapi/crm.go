package httpapi

import (
	"context"
	"log/slog"
	"strconv"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/recent"
	"golang.org/x/sync/singleflight"
)

// cardFresh is how long a card's refresh from the CRM serves the card's next first page. The
// window reads a card's first page twice as it opens (at once, and again after its event
// socket's hello), and each refresh costs the CRM two or more calls, which all of an account's
// managers share (amoCRM allows 7 a second). Short, so a deal taken away in the CRM is closed
// to its former manager within seconds even when its webhook is lost; a deal handed over opens
// at the next try (a refusal is never reused).
const cardFresh = 5 * time.Second

// cardRefreshTimeout bounds one refresh: it belongs to no one request (the session that
// started it and every first page waiting for it share it), so no request's end may cut it off.
const cardRefreshTimeout = 30 * time.Second

// cardRefreshes are the cards' refreshes from the CRM (F33): the ones under way, which a card's
// first page waits for instead of starting another, and the ones that let an employee in, which
// serve the card's next first page for cardFresh. In memory, per instance.
type cardRefreshes struct {
	flying singleflight.Group
	fresh  recent.Marks[cardKey]
}

// startRefresh begins a card's refresh from the CRM unless one is under way (whose end it
// returns) or one let an employee in within cardFresh (nil). The widget asks for a card's
// session as it creates the window's frame, so the refresh runs while the frame loads, and the
// card's first page finds it done or under way.
func (s *Server) startRefresh(ws hub.Workspace, card cardKey) <-chan singleflight.Result {
	c := &s.cards
	if c.fresh.Fresh(card, s.now(), cardFresh) {
		return nil
	}
	// The flight runs on its own goroutine and belongs to no one request: the session that
	// started it and every first page waiting for it share it, so no request's end cuts it off.
	return c.flying.DoChan(card.String(), func() (any, error) {
		ctx, cancel := context.WithTimeout(context.Background(), cardRefreshTimeout)
		defer cancel()
		var err error
		if card.kind == "lead" {
			err = s.CRM.RefreshLead(ctx, ws, card.id)
		} else {
			err = s.CRM.RefreshContact(ctx, ws, card.id)
		}
		if err != nil {
			slog.Warn("crm refresh failed; the card opens on the cached copy", "workspace", ws.ID, "kind", card.kind, "id", card.id, "err", err)
			return nil, err
		}
		// Marked before the flight ends, so a first page that asks after it finds it fresh.
		c.fresh.Mark(card, s.now(), cardFresh)
		return nil, nil
	})
}

// refreshCRM returns once a deal or contact has been refreshed from the CRM before its card
// opens (F33): by the refresh under way (the one its session started), by a new one, or by
// one within cardFresh that let an employee in (checkScope forgets a refresh that kept them
// out). A CRM that does not answer leaves the cache as it was: the window still opens on what
// the hub knows, and the next opening asks again.
func (s *Server) refreshCRM(ctx context.Context, ws hub.Workspace, card cardKey) error {
	if s.CRM == nil {
		return nil
	}
	done := s.startRefresh(ws, card)
	if done == nil {
		return nil
	}
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// cardKey names a deal ("lead") or contact card of a workspace.
type cardKey struct {
	workspaceID, kind string
	id                int64
}

// String is the card's key among the flights under way.
func (k cardKey) String() string {
	return k.workspaceID + "/" + k.kind + "/" + strconv.FormatInt(k.id, 10)
}
