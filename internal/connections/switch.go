package connections

import (
	"context"
	"errors"
	"time"

	"github.com/switchboardhq/switchboard/internal/apierr"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

// SetDisabled switches a broken connection off at now (off), even with chats (C2), or on again.
// While off, sending and creating chats on it answer connection_disabled, messages still queued
// for it fail with that reason (the store makes them due at once), inbound messages are still
// stored and its chats stay readable. Switching to the state it is in changes and logs nothing.
func (s *Service) SetDisabled(ctx context.Context, a Admin, id string, off bool, now time.Time) (hub.Connection, error) {
	conn, err := s.Get(ctx, a.Workspace.ID, id)
	if err != nil || off == conn.Disabled() {
		return conn, err
	}
	var at time.Time
	action := "connection.enable"
	if off {
		at, action = now.UTC().Truncate(time.Millisecond), "connection.disable"
	}
	if err := s.Store.SetConnectionDisabled(ctx, conn.WorkspaceID, conn.ID, at); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return conn, apierr.NotFound.Because(err)
		}
		return conn, err
	}
	conn.DisabledAt = at
	s.audit(ctx, a, action, conn.ID, map[string]any{"name": conn.Name, "kind": conn.Kind})
	return conn, nil
}

// RotateVerifyToken gives a WABA number a new webhook verify token and returns it, to be shown
// this once (secrets stay write-only); the old one no longer verifies.
func (s *Service) RotateVerifyToken(ctx context.Context, a Admin, id string) (hub.Connection, string, error) {
	conn, err := s.Get(ctx, a.Workspace.ID, id)
	if err != nil {
		return conn, "", err
	}
	if conn.Kind != hub.KindWABA {
		return conn, "", apierr.BadRequest.Because(errors.New("only a WhatsApp number has a verify token: bots' webhooks are set by the hub"))
	}
	setup, err := s.setup()
	if err != nil {
		return conn, "", err
	}
	token := randomToken()
	next, _, err := setup.Rekey(ctx, conn, Credentials{VerifyToken: token}, s.WebhookURL(conn))
	if err != nil {
		return conn, "", checkError(err)
	}
	if err := s.Store.UpdateConnection(ctx, next); err != nil {
		return conn, "", err
	}
	s.audit(ctx, a, "connection.verify_token", conn.ID, map[string]any{"name": conn.Name, "replaced": []string{"verify_token"}})
	return next, token, nil
}
