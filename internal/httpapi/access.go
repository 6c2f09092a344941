package httpapi

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/messaging"
	"github.com/switchboardhq/switchboard/internal/respond"
	"github.com/switchboardhq/switchboard/internal/store"
)

// access evaluates the caller's rights (hub.Access) for this request.
func (s *Server) access(ctx context.Context) (hub.Access, error) {
	return s.Store.AccessOf(ctx, callerOf(ctx).Employee)
}

// actor is the caller as the services see them: their rights evaluated once for the request.
func (s *Server) actor(ctx context.Context) (messaging.Actor, error) {
	c := callerOf(ctx)
	return s.Messaging.ActorOf(ctx, c.Workspace, c.Employee)
}

// visibleChat loads a chat the caller may see, with its contact (messaging.VisibleChat: any
// other id is 404 not_found).
func (s *Server) visibleChat(ctx context.Context, a hub.Access, id string) (hub.Chat, *hub.Contact, error) {
	c := callerOf(ctx)
	return s.Messaging.VisibleChat(ctx, messaging.Actor{Workspace: c.Workspace, Employee: c.Employee, Access: a}, id)
}

// visibleContact loads a contact the caller may see; anything else is 404 not_found.
func (s *Server) visibleContact(ctx context.Context, a hub.Access, id string) (hub.Contact, error) {
	c := callerOf(ctx)
	return s.Messaging.VisibleContact(ctx, messaging.Actor{Workspace: c.Workspace, Employee: c.Employee, Access: a}, id)
}

// requestedChat is the chat the route's {id} names, when the caller may see it (else 404).
func (s *Server) requestedChat(r *http.Request) (hub.Chat, *hub.Contact, error) {
	a, err := s.access(r.Context())
	if err != nil {
		return hub.Chat{}, nil, err
	}
	return s.visibleChat(r.Context(), a, r.PathValue("id"))
}

// render writes what fn renders with the caller's view.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, fn func(v view) any) error {
	v, err := s.viewFor(r.Context())
	if err != nil {
		return err
	}
	respond.JSON(w, status, fn(v))
	return nil
}

// viewFor makes the renderer for the caller.
func (s *Server) viewFor(ctx context.Context) (view, error) {
	c := callerOf(ctx)
	conns, err := s.Store.ConnectionNames(ctx, c.Workspace.ID)
	if err != nil {
		return view{}, err
	}
	byID := make(map[string]store.ConnectionName, len(conns))
	for _, cn := range conns {
		byID[cn.ID] = cn
	}
	v := s.bareView(ctx)
	v.conns = byID
	return v, nil
}

// bareView is the caller's renderer without the workspace's connections, which only chats show.
func (s *Server) bareView(ctx context.Context) view {
	c, now := callerOf(ctx), time.Now()
	return view{lang: respond.Lang(ctx), now: now, conns: map[string]store.ConnectionName{}, fileURL: func(a hub.Attachment) string {
		return s.fileURL(c, a.ID, now)
	}}
}

// Lists: limit and cursor parameters (ARCHITECTURE.md §3).
const (
	defaultLimit = 50
	maxLimit     = 200
)

// limitOf clamps ?limit to 1..200, default 50; never an error.
func limitOf(r *http.Request) int {
	n, err := strconv.Atoi(strings.TrimSpace(r.URL.Query().Get("limit")))
	switch {
	case err != nil:
		return defaultLimit
	case n < 1:
		return 1
	case n > maxLimit:
		return maxLimit
	}
	return n
}

// page is a list answer.
type page struct {
	Items      any     `json:"items"`
	NextCursor *string `json:"next_cursor"`
}
