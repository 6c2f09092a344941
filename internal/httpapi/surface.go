package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/switchboardhq/switchboard/internal/auth"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/respond"
)

// Surface is an API served beside the chat window's from a package of its own (the web
// cabinet): it adds its routes to the route table and authenticates through the server's
// sessions and rate limits, which the exported methods below give it.
type Surface interface {
	Mount(mux Router, s *Server)
}

// CallerOf returns the caller of a request that came through Authed or WithCaller.
func CallerOf(ctx context.Context) Caller { return callerOf(ctx) }

// WithCaller puts the caller, and their language for errors, in ctx.
func WithCaller(ctx context.Context, c Caller) context.Context { return withCaller(ctx, c) }

// Authed wraps a handler that needs a chat window session (Bearer), as the API's own routes.
func (s *Server) Authed(fn respond.Handler) http.Handler { return s.authed(fn) }

// Authenticate reads the chat window session of r's Authorization header.
func (s *Server) Authenticate(r *http.Request) (Caller, error) { return s.authenticate(r) }

// CallerOfSession reads a signed session's employee and workspace; either gone is unauthorized.
func (s *Server) CallerOfSession(ctx context.Context, sess auth.Session) (Caller, error) {
	return s.callerOfSession(ctx, sess)
}

// AllowCall counts one call of c against their own and their workspace's rate limits.
func (s *Server) AllowCall(w http.ResponseWriter, c Caller) error { return s.allowCall(w, c) }

// RenderSubscription is a subscription as the API shows it at now (the cabinet's workspace
// page shows it as the operator API and the chat window do).
func RenderSubscription(sub hub.Subscription, now time.Time) any { return renderSubscription(sub, now) }
