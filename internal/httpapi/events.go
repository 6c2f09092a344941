package httpapi

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/coder/websocket"

	"github.com/switchboardhq/switchboard/internal/apierr"
	"github.com/switchboardhq/switchboard/internal/auth"
	"github.com/switchboardhq/switchboard/internal/events"
	"github.com/switchboardhq/switchboard/internal/respond"
	"github.com/switchboardhq/switchboard/internal/store"
)

// The realtime endpoint (ARCHITECTURE.md §3, Realtime). Browsers cannot put a header on a
// WebSocket, so the session token is exchanged for a one-use ticket that goes in the URL; a
// ticket is worthless after its first use or 30 s, so a URL that lands in a log gives nothing.

const (
	ticketTTL    = 30 * time.Second
	writeTimeout = 10 * time.Second
	pingEvery    = 25 * time.Second
	// socketRetry is the Retry-After of a socket refused for the per-employee cap.
	socketRetry = 5 * time.Second
)

// POST /api/v1/events/ticket → 201 {"ticket", "expires_at"}
func (s *Server) eventTicket(w http.ResponseWriter, r *http.Request) error {
	c := callerOf(r.Context())
	raw := make([]byte, 32)
	rand.Read(raw)
	ticket := base64.RawURLEncoding.EncodeToString(raw)
	expires := time.Now().Add(ticketTTL).UTC().Truncate(time.Millisecond)
	if err := s.Store.CreateEventTicket(r.Context(), ticket, c.Workspace.ID, c.Employee.ID, expires); err != nil {
		return err
	}
	respond.JSON(w, http.StatusCreated, map[string]any{"ticket": ticket, "expires_at": expires})
	return nil
}

// GET /api/v1/events?ticket=&since= — the WebSocket. Everything that can be refused is refused
// with an HTTP error before the upgrade.
func (s *Server) eventSocket(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if s.Events == nil { // a Server built without the fan-out (some tests): say so, never panic
		return apierr.Unavailable.Because(errors.New("httpapi: no events hub wired"))
	}
	var since *int64
	if v := r.URL.Query().Get("since"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return apierr.BadRequest.Because(errors.New("since must be a seq (a whole number ≥ 0)"))
		}
		since = &n
	}
	wsID, empID, err := s.Store.UseEventTicket(ctx, r.URL.Query().Get("ticket"), time.Now())
	if errors.Is(err, store.ErrNotFound) {
		return apierr.Unauthorized.Because(errors.New("unknown, used or expired ticket"))
	} else if err != nil {
		return err
	}
	caller, err := s.callerOfSession(ctx, auth.Session{WorkspaceID: wsID, EmployeeID: empID})
	if err != nil {
		return err
	}
	if !s.Limits.Sockets.Enter(empID) {
		// A window needs one socket; many are a loop or an attack. Its reconnect backs off.
		return rateLimited(w, socketRetry)
	}
	defer s.Limits.Sockets.Leave(empID)
	view := s.eventView(caller)
	if err := readFor(w, 0); err != nil { // the socket is read for as long as it is open
		return err
	}
	conn, err := websocket.Accept(w, r, nil) // same origin only: the chat window is served by the hub
	if err != nil {
		return nil // Accept has answered the client
	}
	defer conn.CloseNow()
	s.sockets.open.Inc()
	defer s.sockets.open.Dec()
	ctx = conn.CloseRead(ctx) // the client sends nothing; this notices when it goes away
	go keepAlive(ctx, conn)

	err = s.Events.Serve(ctx, events.Stream{WorkspaceID: wsID, Since: since, View: view,
		Send: func(ctx context.Context, frame any) error { return writeFrame(ctx, conn, frame) }})
	switch {
	case errors.Is(err, events.ErrSlow):
		s.sockets.dropped.Inc()
		conn.Close(websocket.StatusTryAgainLater, "too slow: reconnect with since")
	case ctx.Err() != nil: // the client left or the server is stopping
		conn.Close(websocket.StatusGoingAway, "")
	default:
		slog.Error("events socket", "workspace", wsID, "employee", empID, "err", err)
		conn.Close(websocket.StatusInternalError, "")
	}
	return nil
}

func writeFrame(ctx context.Context, conn *websocket.Conn, frame any) error {
	b, err := json.Marshal(frame)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, writeTimeout)
	defer cancel()
	return conn.Write(ctx, websocket.MessageText, b)
}

// keepAlive pings so dead peers and idle proxies are found; a missed pong closes the socket.
func keepAlive(ctx context.Context, conn *websocket.Conn) {
	t := time.NewTicker(pingEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			pctx, cancel := context.WithTimeout(ctx, writeTimeout)
			err := conn.Ping(pctx)
			cancel()
			if err != nil {
				conn.Close(websocket.StatusPolicyViolation, "no pong")
				return
			}
		}
	}
}
