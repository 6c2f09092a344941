package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"sync"
)

// UpdateSandboxState runs fn on the named sandbox state document (body empty and version 0
// when there is none yet) and saves the body fn returns, raising the version by one; a nil body
// saves nothing. Callers take turns per document while fn runs: on PostgreSQL the row stays
// locked, so instances do; SQLite serves one process, which takes turns in memory, holding no
// transaction (fn may use the store).
func (s *Store) UpdateSandboxState(ctx context.Context, name string, fn func(body []byte, version int64) ([]byte, error)) error {
	if s.dialect != Postgres {
		turn, _ := s.sandboxTurns.LoadOrStore(name, new(sync.Mutex))
		turn.(*sync.Mutex).Lock()
		defer turn.(*sync.Mutex).Unlock()
		body, version, err := s.sandboxState(ctx, s.w, name, "")
		if err != nil {
			return err
		}
		out, err := fn(body, version)
		if err != nil || out == nil {
			return err
		}
		return s.saveSandboxState(ctx, s.w, name, out, version)
	}
	return s.tx(ctx, func(q querier) error {
		if _, err := q.ExecContext(ctx, `INSERT INTO sandbox_state (name, body, version) VALUES ($1, '', 0)
			ON CONFLICT (name) DO NOTHING`, name); err != nil {
			return fmt.Errorf("store: sandbox state %s: %w", name, err)
		}
		body, version, err := s.sandboxState(ctx, q, name, " FOR UPDATE")
		if err != nil {
			return err
		}
		out, err := fn(body, version)
		if err != nil || out == nil {
			return err
		}
		return s.saveSandboxState(ctx, q, name, out, version)
	})
}

func (s *Store) sandboxState(ctx context.Context, q querier, name, lock string) ([]byte, int64, error) {
	var body string
	var version int64
	err := q.QueryRowContext(ctx, `SELECT body, version FROM sandbox_state WHERE name = $1`+lock, name).Scan(&body, &version)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, fmt.Errorf("store: sandbox state %s: %w", name, err)
	}
	return []byte(body), version, nil
}

func (s *Store) saveSandboxState(ctx context.Context, q querier, name string, body []byte, version int64) error {
	if _, err := q.ExecContext(ctx, `INSERT INTO sandbox_state (name, body, version) VALUES ($1, $2, $3)
		ON CONFLICT (name) DO UPDATE SET body = excluded.body, version = excluded.version`, name, string(body), version+1); err != nil {
		return fmt.Errorf("store: save sandbox state %s: %w", name, err)
	}
	return nil
}

// PutSandboxFile keeps a file a sandbox stand-in was given, under its id (once: ids are new).
func (s *Store) PutSandboxFile(ctx context.Context, id, mime string, data []byte) error {
	if _, err := s.w.ExecContext(ctx, `INSERT INTO sandbox_files (id, mime, data) VALUES ($1, $2, $3)`,
		id, mime, base64.StdEncoding.EncodeToString(data)); err != nil {
		return fmt.Errorf("store: sandbox file: %w", err)
	}
	return nil
}

// SandboxFile returns a file PutSandboxFile kept; ErrNotFound when there is none.
func (s *Store) SandboxFile(ctx context.Context, id string) (mime string, data []byte, err error) {
	var enc string
	err = s.r.QueryRowContext(ctx, `SELECT mime, data FROM sandbox_files WHERE id = $1`, id).Scan(&mime, &enc)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil, ErrNotFound
	}
	if err != nil {
		return "", nil, fmt.Errorf("store: sandbox file: %w", err)
	}
	data, err = base64.StdEncoding.DecodeString(enc)
	return mime, data, err
}
