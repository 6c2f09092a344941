package store

import (
	"context"
	"database/sql/driver"
	"embed"
	"fmt"
	"hash/fnv"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

// migrations holds numbered SQL files: common/NNNN_*.sql run on both engines, then
// sqlite/NNNN_*.sql or postgres/NNNN_*.sql for the same version where the engines differ.
// Forward only: a released file is never edited, a change is a new number.
//
//go:embed migrations
var migrations embed.FS

type migration struct {
	version int
	files   []string
}

// loadMigrations reads the numbered files of fsys for one engine. A number belongs to one
// change: a database records the number once applied, so a second file given the same number
// later would never run there; two in one folder are refused.
func loadMigrations(fsys fs.FS, dialect string) ([]migration, error) {
	byVersion := map[int][]string{}
	for _, dir := range []string{"migrations/common", "migrations/" + dialect} {
		entries, err := fs.ReadDir(fsys, dir)
		if err != nil {
			return nil, err
		}
		seen := map[int]string{}
		for _, e := range entries {
			num, _, ok := strings.Cut(e.Name(), "_")
			v, err := strconv.Atoi(num)
			if !ok || err != nil || !strings.HasSuffix(e.Name(), ".sql") {
				return nil, fmt.Errorf("store: bad migration name %s", e.Name())
			}
			if other, dup := seen[v]; dup {
				return nil, fmt.Errorf("store: migrations %s and %s share number %d in %s", other, e.Name(), v, dir)
			}
			seen[v] = e.Name()
			byVersion[v] = append(byVersion[v], path.Join(dir, e.Name()))
		}
	}
	var out []migration
	for v, files := range byVersion {
		out = append(out, migration{v, files})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out, nil
}

// Migrate applies every migration not applied yet, each in its own transaction, and reports
// how many it applied. Instances starting together take turns (see Exclusive): the second
// finds everything applied.
func (s *Store) Migrate(ctx context.Context) (applied int, err error) {
	err = s.Exclusive(ctx, "migrate", func(ctx context.Context) error {
		applied, err = s.migrate(ctx)
		return err
	})
	return applied, err
}

func (s *Store) migrate(ctx context.Context) (int, error) {
	if _, err := s.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)`); err != nil {
		return 0, fmt.Errorf("store: migrations table: %w", err)
	}
	all, err := loadMigrations(migrations, s.dialect)
	if err != nil {
		return 0, err
	}
	applied := 0
	for _, m := range all {
		err := s.tx(ctx, func(q querier) error {
			var n int
			if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = $1`, m.version).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return errSkip
			}
			for _, f := range m.files {
				body, err := migrations.ReadFile(f)
				if err != nil {
					return err
				}
				if _, err := q.ExecContext(ctx, string(body)); err != nil {
					return fmt.Errorf("%s: %w", f, err)
				}
			}
			if step := goSteps[m.version]; step != nil {
				if err := step(ctx, q); err != nil {
					return fmt.Errorf("migration %d: %w", m.version, err)
				}
			}
			_, err := q.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)`,
				m.version, time.Now().UnixMilli())
			return err
		})
		if err == errSkip {
			continue
		}
		if err != nil {
			return applied, fmt.Errorf("store: migration %d: %w", m.version, err)
		}
		applied++
	}
	return applied, nil
}

// Exclusive runs fn while holding the lock called name, so only one instance at a time runs
// it: a PostgreSQL advisory lock held by one connection of the pool, or on SQLite (one process
// per database) a lock in this process.
func (s *Store) Exclusive(ctx context.Context, name string, fn func(ctx context.Context) error) error {
	if s.dialect != Postgres {
		s.exclusive.Lock()
		defer s.exclusive.Unlock()
		return fn(ctx)
	}
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: lock %s: %w", name, err)
	}
	defer conn.Close()
	h := fnv.New64a()
	h.Write([]byte("switchboard:" + name))
	key := int64(h.Sum64())
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, key); err != nil {
		return fmt.Errorf("store: lock %s: %w", name, err)
	}
	defer func() {
		// A failed unlock (the connection broke) releases the lock anyway when the session ends.
		if _, err := conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, key); err != nil {
			conn.Raw(func(any) error { return driver.ErrBadConn })
		}
	}()
	return fn(ctx)
}

// goSteps are the parts of migrations SQL cannot do, run in the same transaction after the
// version's SQL files.
var goSteps = map[int]func(ctx context.Context, q querier) error{
	17: refillContactSearch, // contact search folds accents now
}

// refillContactSearch writes every contact's search body again (0017 emptied the index).
func refillContactSearch(ctx context.Context, q querier) error {
	type key struct{ ws, id string }
	rows, err := q.QueryContext(ctx, `SELECT workspace_id, id FROM contacts`)
	if err != nil {
		return err
	}
	var keys []key
	for rows.Next() {
		var k key
		if err := rows.Scan(&k.ws, &k.id); err != nil {
			rows.Close()
			return err
		}
		keys = append(keys, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, k := range keys {
		c, err := contactOn(ctx, q, k.ws, k.id)
		if err != nil {
			return err
		}
		if _, err := q.ExecContext(ctx, `INSERT INTO contact_search (contact_id, workspace_id, body) VALUES ($1, $2, $3)`,
			c.ID, c.WorkspaceID, searchBody(c)); err != nil {
			return err
		}
	}
	return nil
}

type skipError struct{}

func (skipError) Error() string { return "skip" }

var errSkip error = skipError{}
