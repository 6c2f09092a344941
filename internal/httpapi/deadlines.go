package httpapi

import (
	"errors"
	"net/http"
	"time"
)

// The server's timeouts (Timeouts) bound how long a request may take to send its headers and
// body and how long an idle connection stays open, so slow or stalled clients cannot hold
// connections. Two routes need more: an upload of up to 100 MB over a slow line
// (UploadReadTimeout), and the events WebSocket, which is read for as long as it is open (its
// pings and the close handshake bound it instead).
type Timeouts struct {
	ReadHeader time.Duration
	Read       time.Duration
	Idle       time.Duration
}

// DefaultTimeouts: headers in 10 s, a JSON body in 30 s, idle keep-alive connections closed
// after 2 minutes.
var DefaultTimeouts = Timeouts{ReadHeader: 10 * time.Second, Read: 30 * time.Second, Idle: 2 * time.Minute}

// UploadReadTimeout bounds reading one upload's body.
const UploadReadTimeout = 10 * time.Minute

// NewHTTPServer is the hub's http.Server with the timeouts.
func NewHTTPServer(h http.Handler, t Timeouts) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: t.ReadHeader, ReadTimeout: t.Read, IdleTimeout: t.Idle}
}

// readFor replaces the server's read deadline for this request: until now+d, or none when d is
// 0. A server without deadlines (a test's recorder) has nothing to replace.
func readFor(w http.ResponseWriter, d time.Duration) error {
	var until time.Time
	if d > 0 {
		until = time.Now().Add(d)
	}
	err := http.NewResponseController(w).SetReadDeadline(until)
	if errors.Is(err, http.ErrNotSupported) {
		return nil
	}
	return err
}
