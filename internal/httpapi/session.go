package httpapi

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/switchboardhq/switchboard/internal/apierr"
	"github.com/switchboardhq/switchboard/internal/auth"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/respond"
	"github.com/switchboardhq/switchboard/internal/store"
)

// Caller is who is asking: the session's workspace and employee, both read from the store on
// this request (so a role or language changed in the CRM applies at once, F34).
type Caller struct {
	Workspace hub.Workspace
	Employee  hub.Employee
}

// ctxKey keys the request values this package stores.
type ctxKey int

const callerKey ctxKey = 1

// callerOf returns the request's caller. Only handlers mounted with authed may call it; it
// panics elsewhere, since a missing caller there is a routing bug that must not serve data.
func callerOf(ctx context.Context) Caller {
	c, ok := ctx.Value(callerKey).(Caller)
	if !ok {
		panic("httpapi: callerOf outside an authenticated route")
	}
	return c
}

// withCaller puts the caller and their language in ctx.
func withCaller(ctx context.Context, c Caller) context.Context {
	return respond.WithLang(context.WithValue(ctx, callerKey, c), c.Employee.Lang)
}

// authed wraps a handler that needs a session: `Authorization: Bearer <token>` signed by
// s.Signer, naming an employee that still exists in that workspace. Anything else is 401
// unauthorized before the handler reads anything.
func (s *Server) authed(fn respond.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := s.authenticate(r)
		if err != nil {
			respond.Error(w, r, err)
			return
		}
		r = r.WithContext(withCaller(r.Context(), c))
		if err := s.allowCall(w, c); err != nil {
			respond.Error(w, r, err)
			return
		}
		if err := fn(w, r); err != nil {
			respond.Error(w, r, err) // in the employee's language
		}
	})
}

func (s *Server) authenticate(r *http.Request) (Caller, error) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return Caller{}, apierr.Unauthorized
	}
	sess, err := s.Signer.Verify(strings.TrimSpace(token), time.Now())
	if err != nil {
		return Caller{}, apierr.Unauthorized.Because(err)
	}
	return s.callerOfSession(r.Context(), sess)
}

// callerOfSession reads the session's employee and workspace from the store; either gone is
// 401 unauthorized.
func (s *Server) callerOfSession(ctx context.Context, sess auth.Session) (Caller, error) {
	emp, err := s.Store.Employee(ctx, sess.WorkspaceID, sess.EmployeeID)
	if errors.Is(err, store.ErrNotFound) {
		return Caller{}, apierr.Unauthorized.Because(err)
	} else if err != nil {
		return Caller{}, err
	}
	ws, err := s.Store.Workspace(ctx, sess.WorkspaceID)
	if errors.Is(err, store.ErrNotFound) {
		return Caller{}, apierr.Unauthorized.Because(err)
	} else if err != nil {
		return Caller{}, err
	}
	return Caller{Workspace: ws, Employee: emp}, nil
}
