package httpapi

import (
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/switchboardhq/switchboard/internal/apierr"
	"github.com/switchboardhq/switchboard/internal/ratelimit"
	"github.com/switchboardhq/switchboard/internal/respond"
)

// Limits are the abuse limits the API applies (configured by config.Limits); a nil field
// limits nothing, so a Server built without them (most tests) is unlimited.
type Limits struct {
	// AuthFailures counts answers 401 to /api/ requests per client address: past it, the
	// address gets 429 before any credential is looked at.
	AuthFailures *ratelimit.Buckets
	// Session and Workspace count chat window and cabinet calls per employee and per workspace.
	Session   *ratelimit.Buckets
	Workspace *ratelimit.Buckets
	// Sockets caps the event sockets open per employee; Uploads the uploads in progress.
	Sockets *ratelimit.Gate
	Uploads *ratelimit.Gate
}

// NewLimits builds the API's limits.
func NewLimits(authFailures, session, workspace ratelimit.Limit, sockets, uploads int) Limits {
	return Limits{AuthFailures: ratelimit.NewBuckets(authFailures), Session: ratelimit.NewBuckets(session),
		Workspace: ratelimit.NewBuckets(workspace), Sockets: ratelimit.NewGate(sockets), Uploads: ratelimit.NewGate(uploads)}
}

// rateLimited answers 429 rate_limited with Retry-After in whole seconds (at least 1).
func rateLimited(w http.ResponseWriter, wait time.Duration) error {
	w.Header().Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(wait.Seconds())))))
	return apierr.RateLimited
}

// clientAddr is the address the request came from. Proxy headers are not trusted (anyone can
// send them), so behind a proxy the limit is the proxy's: raise it there.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// limitAuthFailures refuses /api/ requests from an address that failed to authenticate too
// often (tokens guessed, sessions forged), and counts each 401 the API answers it.
func (s *Server) limitAuthFailures(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.Limits.AuthFailures == nil || !strings.HasPrefix(r.URL.Path, "/api/") {
			next.ServeHTTP(w, r)
			return
		}
		addr := clientAddr(r)
		if out, wait := s.Limits.AuthFailures.Exhausted(addr, time.Now()); out {
			respond.Error(w, r, rateLimited(w, wait))
			return
		}
		sw, ok := w.(*statusWriter)
		if !ok {
			sw = &statusWriter{ResponseWriter: w}
		}
		next.ServeHTTP(sw, r)
		if sw.status == http.StatusUnauthorized {
			s.Limits.AuthFailures.Take(addr, time.Now())
		}
	})
}

// allowCall counts one API call of the caller against their own and their workspace's limit.
func (s *Server) allowCall(w http.ResponseWriter, c Caller) error {
	now := time.Now()
	if ok, wait := s.Limits.Session.Allow(c.Employee.ID, now); !ok {
		return rateLimited(w, wait)
	}
	if ok, wait := s.Limits.Workspace.Allow(c.Workspace.ID, now); !ok {
		return rateLimited(w, wait)
	}
	return nil
}
