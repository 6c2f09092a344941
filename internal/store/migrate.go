package store

import (
	"context"
	"embed"
	"fmt"
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

func loadMigrations(dialect string) ([]migration, error) {
	byVersion := map[int][]string{}
	for _, dir := range []string{"migrations/common", "migrations/" + dialect} {
		entries, err := fs.ReadDir(migrations, dir)
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			num, _, ok := strings.Cut(e.Name(), "_")
			v, err := strconv.Atoi(num)
			if !ok || err != nil || !strings.HasSuffix(e.Name(), ".sql") {
				return nil, fmt.Errorf("store: bad migration name %s", e.Name())
			}
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
// how many it applied.
func (s *Store) Migrate(ctx context.Context) (int, error) {
	if _, err := s.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)`); err != nil {
		return 0, fmt.Errorf("store: migrations table: %w", err)
	}
	all, err := loadMigrations(s.dialect)
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

type skipError struct{}

func (skipError) Error() string { return "skip" }

var errSkip error = skipError{}
