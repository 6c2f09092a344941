package httpapi

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"sync"
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
	view, err := s.eventView(ctx, caller)
	if err == nil {
		err = readFor(w, 0) // the socket is read for as long as it is open
	}
	if err != nil {
		s.Limits.Sockets.Leave(empID)
		return err
	}
	// Same origin only: the chat window is served by the hub.
	conn, err := websocket.Accept(leanHijack{w}, r, nil)
	if err != nil {
		s.Limits.Sockets.Leave(empID)
		return nil // Accept has answered the client
	}
	// The socket outlives this handler, so the handler's stack and the request are freed, and
	// the stream runs a goroutine only while it has something to send: an idle socket is the
	// library's reader and a few small objects.
	base := s.SocketContext
	if base == nil {
		base = context.Background()
	}
	s.sockets.open.Inc()
	ctx = conn.CloseRead(base) // the client sends nothing; this notices when it goes away
	s.Events.Start(ctx, events.Stream{WorkspaceID: wsID, Since: since, View: view,
		Send:      func(ctx context.Context, frame any) error { return writeFrame(ctx, conn, frame) },
		Ping:      func(ctx context.Context) error { return ping(ctx, conn) },
		PingEvery: pingEvery,
	}, func(err error) {
		defer s.Limits.Sockets.Leave(empID)
		defer s.sockets.open.Dec()
		switch {
		case errors.Is(err, events.ErrSlow):
			s.sockets.dropped.Inc()
			conn.Close(websocket.StatusTryAgainLater, "too slow: reconnect with since")
		case errors.Is(err, events.ErrNoPong):
			conn.Close(websocket.StatusPolicyViolation, "no pong")
		case ctx.Err() != nil: // the client left or the server is stopping
			conn.Close(websocket.StatusGoingAway, "")
		default:
			slog.Error("events socket", "workspace", wsID, "employee", empID, "err", err)
			conn.Close(websocket.StatusInternalError, "")
		}
		conn.CloseNow()
	})
	return nil
}

// Buffers of an events socket's connection: the client only ever sends pongs and a close. A
// message longer than the write buffer takes two writes to the connection or more (the buffer
// full with the frame's start, then the rest): 2 KB holds a text message's message.created and
// chat.updated together (about 1.4 KB), so the usual live message is one write, where 1 KB
// made it two (issue 15, fan-out: the socket writes were most of a message's fan-out).
const (
	socketReadBuffer  = 256
	socketWriteBuffer = 2048
)

// leanHijack gives the hijacked connection small buffers: net/http hands each one a 4 KB
// reader and a 4 KB writer, which an idle events socket would hold for as long as it is open.
type leanHijack struct{ http.ResponseWriter }

func (w leanHijack) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w leanHijack) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, brw, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err != nil || brw.Reader.Buffered() > 0 {
		return conn, brw, err // bytes the client sent early stay in the reader that holds them
	}
	return conn, bufio.NewReadWriter(bufio.NewReaderSize(conn, socketReadBuffer),
		bufio.NewWriterSize(conn, socketWriteBuffer)), nil
}

// frameBuffers hold a message while it is written: the sockets of a workspace write the same
// events at the same moment, and the library does not keep the bytes after Write.
var frameBuffers = sync.Pool{New: func() any { return new([]byte) }}

func writeFrame(ctx context.Context, conn *websocket.Conn, msg any) error {
	buf := frameBuffers.Get().(*[]byte)
	defer frameBuffers.Put(buf)
	b := (*buf)[:0]
	// An event's data is shared by the sockets: appended as it is, not re-encoded for each.
	switch m := msg.(type) {
	case events.Frame:
		b = m.AppendJSON(b)
	case events.Frames:
		b = m.AppendJSON(b)
	default:
		var err error
		if b, err = json.Marshal(msg); err != nil {
			return err
		}
	}
	if cap(b) <= maxPooledFrame {
		*buf = b
	}
	ctx, cancel := context.WithTimeout(ctx, writeTimeout)
	defer cancel()
	return conn.Write(ctx, websocket.MessageText, b)
}

// maxPooledFrame bounds the buffers kept for reuse: a long replay's are let go.
const maxPooledFrame = 16 << 10

// ping sends a ping and waits for its pong (read by CloseRead's reader), so dead peers and
// idle proxies are found.
func ping(ctx context.Context, conn *websocket.Conn) error {
	ctx, cancel := context.WithTimeout(ctx, writeTimeout)
	defer cancel()
	return conn.Ping(ctx)
}
