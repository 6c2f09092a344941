package httpapi

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/recent"
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
	mu     sync.Mutex
	flying map[cardKey]*cardRefresh
	fresh  recent.Marks[cardKey]
}

// cardRefresh is one refresh under way; err is set before done closes.
type cardRefresh struct {
	done chan struct{}
	err  error
}

// startRefresh begins a card's refresh from the CRM unless one is under way (which it returns)
// or one let an employee in within cardFresh (nil). The widget asks for a card's session as it
// creates the window's frame, so the refresh runs while the frame loads, and the card's first
// page finds it done or under way.
func (s *Server) startRefresh(ws hub.Workspace, card cardKey) *cardRefresh {
	c := &s.cards
	c.mu.Lock()
	defer c.mu.Unlock()
	if f := c.flying[card]; f != nil {
		return f
	}
	if c.fresh.Fresh(card, s.now(), cardFresh) {
		return nil
	}
	f := &cardRefresh{done: make(chan struct{})}
	if c.flying == nil {
		c.flying = map[cardKey]*cardRefresh{}
	}
	c.flying[card] = f
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), cardRefreshTimeout)
		defer cancel()
		if card.kind == "lead" {
			f.err = s.CRM.RefreshLead(ctx, ws, card.id)
		} else {
			f.err = s.CRM.RefreshContact(ctx, ws, card.id)
		}
		if f.err != nil {
			slog.Warn("crm refresh failed; the card opens on the cached copy", "workspace", ws.ID, "kind", card.kind, "id", card.id, "err", f.err)
		}
		c.mu.Lock()
		delete(c.flying, card)
		if f.err == nil {
			c.fresh.Mark(card, s.now(), cardFresh)
		}
		c.mu.Unlock()
		close(f.done)
	}()
	return f
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
	f := s.startRefresh(ws, card)
	if f == nil {
		return nil
	}
	select {
	case <-f.done:
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
