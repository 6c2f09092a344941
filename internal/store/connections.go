package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
)

const connectionCols = `id, workspace_id, kind, name, external_id, settings_json, secrets_enc,
	in_subscription, status, status_detail, default_responsible_user_id, created_at, disabled_at`

func (s *Store) scanConnection(row scanner) (hub.Connection, error) {
	var c hub.Connection
	var settings, sealed string
	var created, disabled int64
	err := row.Scan(&c.ID, &c.WorkspaceID, &c.Kind, &c.Name, &c.ExternalID, &settings, &sealed,
		&c.InSubscription, &c.Status, &c.StatusDetail, &c.DefaultResponsibleUserID, &created, &disabled)
	if err != nil {
		return c, notFound(err)
	}
	c.CreatedAt = fromMillis(created)
	if disabled != 0 {
		c.DisabledAt = fromMillis(disabled)
	}
	if err := json.Unmarshal([]byte(settings), &c.Settings); err != nil {
		return c, fmt.Errorf("store: connection %s settings: %w", c.ID, err)
	}
	c.Secrets = map[string]string{}
	if sealed != "" {
		plain, err := s.box.Open(sealed)
		if err != nil {
			return c, fmt.Errorf("store: connection %s: %w", c.ID, err)
		}
		if err := json.Unmarshal(plain, &c.Secrets); err != nil {
			return c, fmt.Errorf("store: connection %s secrets: %w", c.ID, err)
		}
	}
	return c, nil
}

// CreateConnection inserts c with its secrets encrypted. c.ID is assigned when empty.
func (s *Store) CreateConnection(ctx context.Context, c hub.Connection) (hub.Connection, error) {
	if c.ID == "" {
		c.ID = NewID()
	}
	if c.Status == "" {
		c.Status = hub.StatusWorking
	}
	c.CreatedAt = time.Now().UTC().Truncate(time.Millisecond)
	settings, sealed, err := s.encodeConnection(c)
	if err != nil {
		return c, err
	}
	_, err = s.w.ExecContext(ctx, `INSERT INTO connections (`+connectionCols+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 0)`,
		c.ID, c.WorkspaceID, c.Kind, c.Name, c.ExternalID, settings, sealed,
		c.InSubscription, c.Status, c.StatusDetail, c.DefaultResponsibleUserID, millis(c.CreatedAt))
	if err != nil {
		return c, fmt.Errorf("store: create connection: %w", err)
	}
	return c, nil
}

// UpdateConnection saves c's name, provider id (a corrected WABA phone number id), settings,
// secrets, subscription flag, status and default responsible user. Whether it is disabled is
// SetConnectionDisabled's.
func (s *Store) UpdateConnection(ctx context.Context, c hub.Connection) error {
	defer s.forgetConnection(c.ID)
	settings, sealed, err := s.encodeConnection(c)
	if err != nil {
		return err
	}
	return s.execOne(ctx, "update connection", `UPDATE connections SET name = $3, settings_json = $4,
		secrets_enc = $5, in_subscription = $6, status = $7, status_detail = $8,
		default_responsible_user_id = $9, external_id = $10 WHERE workspace_id = $1 AND id = $2`,
		c.WorkspaceID, c.ID, c.Name, settings, sealed, c.InSubscription, c.Status, c.StatusDetail,
		c.DefaultResponsibleUserID, c.ExternalID)
}

// SetConnectionDisabled switches a connection off at at (the zero time switches it on again),
// logging the change for open windows. Switching off also makes every message still queued on
// it due now, so the sender fails them at once with connection_disabled instead of at their
// next retry.
func (s *Store) SetConnectionDisabled(ctx context.Context, workspaceID, id string, at time.Time) error {
	defer s.forgetConnection(id)
	var ms int64
	if !at.IsZero() {
		ms = millis(at)
	}
	return s.tx(ctx, func(q querier) error {
		res, err := q.ExecContext(ctx, `UPDATE connections SET disabled_at = $3 WHERE workspace_id = $1 AND id = $2`,
			workspaceID, id, ms)
		if err != nil {
			return fmt.Errorf("store: disable connection: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		if ms != 0 {
			if _, err := q.ExecContext(ctx, `UPDATE outbox SET next_attempt_at = $4 WHERE workspace_id = $1 AND connection_id = $2
				AND state = $3 AND next_attempt_at > $4`, workspaceID, id, OutboxPending, ms); err != nil {
				return err
			}
		}
		// Open windows learn it at once: the composer of its chats says why nothing goes.
		_, err = appendEvent(ctx, q, workspaceID, hub.EventConnectionUpdated, "", "", map[string]string{"id": id})
		return err
	})
}

func (s *Store) encodeConnection(c hub.Connection) (settings, sealed string, err error) {
	if c.Settings == nil {
		c.Settings = map[string]string{}
	}
	sb, err := json.Marshal(c.Settings)
	if err != nil {
		return "", "", err
	}
	if len(c.Secrets) > 0 {
		plain, err := json.Marshal(c.Secrets)
		if err != nil {
			return "", "", err
		}
		sealed = s.box.Seal(plain)
	}
	return string(sb), sealed, nil
}

// Connection returns the workspace's connection with that id.
func (s *Store) Connection(ctx context.Context, workspaceID, id string) (hub.Connection, error) {
	return s.scanConnection(s.r.QueryRowContext(ctx, `SELECT `+connectionCols+` FROM connections
		WHERE workspace_id = $1 AND id = $2`, workspaceID, id))
}

// ConnectionByID returns a connection by id alone; for webhooks, whose URL names the
// connection before anything names the workspace.
func (s *Store) ConnectionByID(ctx context.Context, id string) (hub.Connection, error) {
	return s.scanConnection(s.r.QueryRowContext(ctx, `SELECT `+connectionCols+` FROM connections
		WHERE id = $1`, id))
}

// Connections lists the workspace's connections, oldest first.
func (s *Store) Connections(ctx context.Context, workspaceID string) ([]hub.Connection, error) {
	return collect(s.scanConnection)(s.r.QueryContext(ctx, `SELECT `+connectionCols+` FROM connections
		WHERE workspace_id = $1 ORDER BY created_at, id`, workspaceID))
}

// ConnectionName is what a chat shows of its connection.
type ConnectionName struct{ ID, Kind, Name string }

// ConnectionNames lists the workspace's connections for display: id, kind and name only, so
// rendering a chat (once per event per socket in the live feed) never reads or decrypts secrets.
func (s *Store) ConnectionNames(ctx context.Context, workspaceID string) ([]ConnectionName, error) {
	return collect(func(row scanner) (ConnectionName, error) {
		var c ConnectionName
		return c, row.Scan(&c.ID, &c.Kind, &c.Name)
	})(s.r.QueryContext(ctx, `SELECT id, kind, name FROM connections WHERE workspace_id = $1 ORDER BY created_at, id`,
		workspaceID))
}

// SetConnectionStatus records whether a connection works (e.g. auth_failed after a 401).
func (s *Store) SetConnectionStatus(ctx context.Context, workspaceID, id, status, detail string) error {
	defer s.forgetConnection(id)
	return s.execOne(ctx, "set connection status", `UPDATE connections SET status = $3, status_detail = $4
		WHERE workspace_id = $1 AND id = $2`, workspaceID, id, status, detail)
}

// SetConnectionInSubscription sets whether the connection is part of the paid subscription, and
// logs the change (by id only: the log never holds a connection's secrets) for open windows.
func (s *Store) SetConnectionInSubscription(ctx context.Context, workspaceID, id string, in bool) error {
	defer s.forgetConnection(id)
	return s.tx(ctx, func(q querier) error {
		if err := execOneOn(ctx, q, "set connection subscription", `UPDATE connections SET in_subscription = $3
			WHERE workspace_id = $1 AND id = $2`, workspaceID, id, in); err != nil {
			return err
		}
		_, err := appendEvent(ctx, q, workspaceID, hub.EventConnectionUpdated, "", "", map[string]string{"id": id})
		return err
	})
}

// ConnectionsOfKind lists every workspace's connections of one kind, oldest first (the MAX
// long-poll worker finds its bots with it).
func (s *Store) ConnectionsOfKind(ctx context.Context, kind string) ([]hub.Connection, error) {
	return collect(s.scanConnection)(s.r.QueryContext(ctx, `SELECT `+connectionCols+` FROM connections
		WHERE kind = $1 ORDER BY created_at, id`, kind))
}
