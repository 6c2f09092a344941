package httpapi

import (
	"context"
	"encoding/json"
	"log/slog"
	"time"

	"github.com/switchboardhq/switchboard/internal/auth"
	"github.com/switchboardhq/switchboard/internal/events"
	"github.com/switchboardhq/switchboard/internal/hub"
)

// callerTTL is how long a socket trusts the employee and CRM rights it read; then it reads them
// again, so a demoted admin or a right taken away in the CRM stops the flow within a minute (F34),
// and a deleted employee's socket closes.
var callerTTL = time.Minute

// eventView decides, for the socket's caller, which events they see and renders each with the
// same policy and the same renderers as the HTTP API: a frame's data is what a GET of that
// message, chat or contact would show at that seq. The reads and the rendering are shared by
// the workspace's sockets (sharedFrame); the socket keeps its caller and their CRM rights.
// The caller's rights are read here, as the socket opens, so its first event is not delayed
// by them (nor every window's first event at once by all their reads).
func (s *Server) eventView(ctx context.Context, caller Caller) (events.View, error) {
	a, err := s.Store.AccessOf(ctx, caller.Employee)
	if err != nil {
		return nil, err
	}
	checked := time.Now()
	return func(ctx context.Context, e hub.Event) (json.RawMessage, bool, error) {
		if time.Since(checked) > callerTTL {
			if err := s.recheckCaller(ctx, &caller, &a); err != nil {
				return nil, false, err
			}
			checked = time.Now()
		}
		return s.sharedFrame(ctx, a, caller, e)
	}, nil
}

// recheckCaller reads the socket's employee and CRM rights again. It is a function of its own
// so that its large stack frame is not the frame of every event's view (a socket's goroutine
// would grow its stack for it on every event).
func (s *Server) recheckCaller(ctx context.Context, caller *Caller, a *hub.Access) error {
	fresh, err := s.callerOfSession(ctx, auth.Session{WorkspaceID: caller.Workspace.ID, EmployeeID: caller.Employee.ID})
	if err != nil {
		return err
	}
	access, err := s.Store.AccessOf(ctx, fresh.Employee)
	if err != nil {
		return err
	}
	*caller, *a = fresh, access
	return nil
}

// decodeEvent reads an event's object. One that cannot be read is logged and skipped: failing
// the socket instead would fail every reconnect's replay at the same seq.
func decodeEvent(e hub.Event, into any) bool {
	if err := json.Unmarshal(e.Data, into); err != nil {
		slog.Error("events: unreadable event skipped", "workspace", e.WorkspaceID, "seq", e.Seq, "type", e.Type, "err", err)
		return false
	}
	return true
}
