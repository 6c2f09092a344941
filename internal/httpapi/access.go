package httpapi

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/switchboardhq/switchboard/internal/apierr"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

// access evaluates the caller's rights (hub.Access) for this request.
func (s *Server) access(ctx context.Context) (hub.Access, error) {
	return s.Store.AccessOf(ctx, callerOf(ctx).Employee)
}

// visibleChat loads a chat of the caller's workspace that the caller may see, with its
// contact (nil for groups). Any other id — unknown, of another workspace, or not visible — is
// 404 not_found, so the answer never reveals that a chat exists.
func (s *Server) visibleChat(ctx context.Context, a hub.Access, id string) (hub.Chat, *hub.Contact, error) {
	ws := callerOf(ctx).Workspace.ID
	chat, err := s.Store.Chat(ctx, ws, id)
	if errors.Is(err, store.ErrNotFound) {
		return chat, nil, apierr.NotFound
	} else if err != nil {
		return chat, nil, err
	}
	if chat.ContactID == "" {
		if !a.Chat(chat, hub.ContactLinks{}) {
			return chat, nil, apierr.NotFound
		}
		return chat, nil, nil
	}
	contact, err := s.visibleContact(ctx, a, chat.ContactID)
	if err != nil {
		return chat, nil, err
	}
	return chat, &contact, nil
}

// visibleContact loads a contact the caller may see; anything else is 404 not_found.
func (s *Server) visibleContact(ctx context.Context, a hub.Access, id string) (hub.Contact, error) {
	ws := callerOf(ctx).Workspace.ID
	contact, err := s.Store.Contact(ctx, ws, id)
	if errors.Is(err, store.ErrNotFound) {
		return contact, apierr.NotFound
	} else if err != nil {
		return contact, err
	}
	if !a.Admin {
		links, err := s.Store.ContactLinks(ctx, ws, id)
		if err != nil {
			return contact, err
		}
		if !a.Contact(links) {
			return contact, apierr.NotFound
		}
	}
	return contact, nil
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
	writeJSON(w, status, fn(v))
	return nil
}

// viewFor makes the renderer for the caller.
func (s *Server) viewFor(ctx context.Context) (view, error) {
	c := callerOf(ctx)
	conns, err := s.Store.Connections(ctx, c.Workspace.ID)
	if err != nil {
		return view{}, err
	}
	byID := make(map[string]hub.Connection, len(conns))
	for _, cn := range conns {
		byID[cn.ID] = cn
	}
	now := time.Now()
	return view{lang: langOf(ctx), now: now, conns: byID, fileURL: func(a hub.Attachment) string {
		return s.fileURL(c, a.ID, now)
	}}, nil
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
