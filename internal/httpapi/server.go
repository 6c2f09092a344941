// Package httpapi is the hub's HTTP surface: one route table, middleware by wrapping, handlers
// that return errors, and one writer for JSON and errors.
package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/switchboardhq/switchboard/internal/apierr"
	"github.com/switchboardhq/switchboard/internal/auth"
	"github.com/switchboardhq/switchboard/internal/crm"
	"github.com/switchboardhq/switchboard/internal/events"
	"github.com/switchboardhq/switchboard/internal/messaging"
	"github.com/switchboardhq/switchboard/internal/respond"
	"github.com/switchboardhq/switchboard/internal/store"
)

// Pinger reports whether the database answers.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Server holds what the handlers need.
type Server struct {
	DB Pinger
	// Store is the database the API reads and writes; Signer checks session tokens.
	Store  *store.Store
	Signer *auth.Signer
	// Media keeps uploaded and received files; CRM is the CRM adapter (nil: none built in).
	Media Media
	CRM   crm.Contacts
	// Messaging runs the chat window's use cases; nil makes one over Store and CRM.
	Messaging *messaging.Service
	Registry  *prometheus.Registry
	// Events fans the event log out to WebSockets.
	Events *events.Fanout
	// SocketContext ends the events sockets (the server stopping); they outlive the request
	// that opened them. nil: they end only when their client leaves.
	SocketContext context.Context
	// OperatorToken is the operator API's bearer token; empty switches that API off.
	OperatorToken string
	// UploadLimit bounds an uploaded file in bytes; 0 means MaxUpload.
	UploadLimit int64
	// Cabinet is the web cabinet's API (package cabinet); nil leaves it unmounted.
	Cabinet Surface
	// PublicURL is the hub's own address (its origin may call the session endpoint).
	PublicURL string
	// Sessions opens chat window sessions from the CRM widget's tokens; nil when no CRM
	// integration is configured.
	Sessions crm.Sessions
	// Now is the clock of subscription ends and connection health (nil: time.Now).
	Now func() time.Time
	// Limits are the abuse limits (rate_limited); the zero value limits nothing.
	Limits Limits
	// Extra mounts further surfaces (the web app, the sandbox) on the same mux.
	Extra []func(mux *http.ServeMux)
	// Pages are the page surfaces among them by path prefix ("/sandbox"), with their
	// Content-Security-Policy (PagePolicy); any other path beside /app/ and /cabinet/ is data.
	Pages   map[string]string
	metrics *httpMetrics
	sockets *socketMetrics
	// shared is what the events sockets share of the recent events (sharedFrame).
	shared sharedEvents
	// cards are the cards' refreshes from the CRM under way and of the last seconds (refreshCRM).
	cards cardRefreshes
	// patterns is the route table as Handler mounted it (Routes).
	patterns []string
}

func (s *Server) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Handler builds the route table and wraps it in the middleware.
func (s *Server) Handler() http.Handler {
	if s.Messaging == nil {
		s.Messaging = &messaging.Service{Store: s.Store, CRM: s.CRM, Now: s.now}
	}
	s.metrics = newHTTPMetrics(s.Registry)
	s.sockets = newSocketMetrics(s.metrics.reg)
	mux := http.NewServeMux()
	s.patterns = nil
	s.routes(recordingMux{mux, &s.patterns})
	for _, mount := range s.Extra {
		mount(mux)
	}
	return s.metrics.wrap(logRequests(recoverPanics(s.securityHeaders(negotiateLang(refuseNUL(s.limitAuthFailures(recordRoute(mux))))))))
}

// Routes lists the patterns of the API's route table ("GET /api/v1/chats/{id}") as the last
// Handler call mounted them, so a test can hold docs/openapi.yaml to them.
func (s *Server) Routes() []string { return s.patterns }

// Router is what the route table is mounted on: a ServeMux, recorded on the way (Routes).
type Router interface {
	Handle(pattern string, handler http.Handler)
}

// recordingMux mounts on a ServeMux and keeps each pattern.
type recordingMux struct {
	*http.ServeMux
	patterns *[]string
}

func (m recordingMux) Handle(pattern string, handler http.Handler) {
	*m.patterns = append(*m.patterns, pattern)
	m.ServeMux.Handle(pattern, handler)
}

// routes is the route table of the API surface.
func (s *Server) routes(mux Router) {
	mux.Handle("GET /healthz", respond.Handle(s.healthz))
	mux.Handle("GET /readyz", respond.Handle(s.readyz))
	mux.Handle("GET /metrics", s.metricsHandler())
	s.chatRoutes(mux)
	mux.Handle("POST /api/v1/events/ticket", s.authed(s.eventTicket))
	mux.Handle("GET /api/v1/events", respond.Handle(s.eventSocket))
	mux.Handle("GET /api/operator/v1/workspaces", s.operator(s.operatorWorkspaces))
	mux.Handle("PUT /api/operator/v1/workspaces/{id}/subscription", s.operator(s.operatorSetSubscription))
	mux.Handle("GET /api/operator/v1/workspaces/{id}/connections", s.operator(s.operatorConnections))
	mux.Handle("PUT /api/operator/v1/workspaces/{id}/connections/{connection_id}/subscription",
		s.operator(s.operatorSetConnection))
	if s.Cabinet != nil {
		s.Cabinet.Mount(mux, s)
	}
	mux.Handle("POST /api/v1/sessions", s.crmCORS(respond.Handle(s.createSession)))
	mux.Handle("OPTIONS /api/v1/sessions", s.crmCORS(respond.Handle(notFound)))
	mux.Handle("/api/", respond.Handle(notFound))
	mux.Handle("/hooks/", respond.Handle(notFound))
}

func notFound(w http.ResponseWriter, r *http.Request) error { return apierr.NotFound }

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	respond.JSON(w, http.StatusOK, map[string]string{"status": "ok"})
	return nil
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) error {
	if err := s.DB.Ping(r.Context()); err != nil {
		return apierr.Unavailable.Because(err)
	}
	respond.JSON(w, http.StatusOK, map[string]string{"status": "ok", "database": "ok"})
	return nil
}

// negotiateLang picks the error language from ?lang or Accept-Language until a session says
// better.
func negotiateLang(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		lang := r.URL.Query().Get("lang")
		if lang == "" {
			lang, _, _ = strings.Cut(r.Header.Get("Accept-Language"), ",")
		}
		next.ServeHTTP(w, r.WithContext(respond.WithLang(r.Context(), lang)))
	})
}

// refuseNUL answers invalid_text to a path or query holding U+0000 (%00): an id or a search with
// it would reach the database, which refuses it as a server error.
func refuseNUL(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.ContainsRune(r.URL.Path, 0) || strings.Contains(r.URL.RawQuery, "%00") {
			respond.Error(w, r, apierr.InvalidText)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil && v != http.ErrAbortHandler {
				slog.Error("panic", "method", r.Method, "path", respond.LogPath(r.URL.Path), "panic", v)
				respond.Error(w, r, apierr.Internal)
			}
		}()
		next.ServeHTTP(w, r)
	})
}
