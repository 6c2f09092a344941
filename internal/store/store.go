// Package store persists the hub's domain in SQLite (embedded default) or PostgreSQL.
// One implementation serves both engines: queries use $n placeholders and portable SQL, and
// the few differences (search index, driver setup) live in the dialect.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver

	"github.com/switchboardhq/switchboard/internal/secrets"
)

// ErrNotFound is returned when the asked-for row does not exist in the asked-for workspace.
var ErrNotFound = errors.New("store: not found")

// Dialects.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// Store is the database. Safe for concurrent use.
type Store struct {
	dialect string
	// w takes every write transaction. On SQLite it is a single connection, so writers queue in
	// Go instead of failing with SQLITE_BUSY; r is a pool of readers (WAL lets them run beside it).
	// On PostgreSQL both are the same pool.
	w, r *sql.DB
	box  *secrets.Box
	// onEvents is told, after each commit that appended events, each workspace's new head and
	// the events.
	onEvents atomic.Pointer[EventNotifier]
	// exclusive stands in for Exclusive's cross-instance lock on SQLite (one process).
	exclusive sync.Mutex
	// sandboxTurns stand in for the sandbox state rows' locks on SQLite: a *sync.Mutex by name.
	sandboxTurns sync.Map
	// prepared are SQLite's writer statements, compiled once.
	prepared preparedStmts
	// conns are connections read for webhooks (CachedConnection).
	conns connCache
	// searchWay forces a way of reading lists and searches (SetSearchWay).
	searchWay atomic.Int64
}

// Open connects to the database named by databaseURL, or to the SQLite file data/switchboard.db
// when it is empty. It does not migrate; call Migrate.
func Open(ctx context.Context, databaseURL, dataDir string, box *secrets.Box) (*Store, error) {
	if strings.HasPrefix(databaseURL, "postgres://") || strings.HasPrefix(databaseURL, "postgresql://") {
		db, err := sql.Open("pgx", databaseURL)
		if err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		db.SetMaxOpenConns(20)
		s := &Store{dialect: Postgres, w: db, r: db, box: box}
		return s, s.ping(ctx)
	}
	if databaseURL != "" {
		return nil, fmt.Errorf("store: unsupported database URL %q (want postgres://… or empty for SQLite)", redact(databaseURL))
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("store: data folder: %w", err)
	}
	return openSQLite(ctx, filepath.Join(dataDir, "switchboard.db"), box)
}

func openSQLite(ctx context.Context, path string, box *secrets.Box) (*Store, error) {
	// The file holds every message: only the hub's user may read it. SQLite gives its -wal and
	// -shm files the database file's mode; they are set too, for files an older hub left.
	if err := privateFile(path); err != nil {
		return nil, err
	}
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)" +
		"&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_txlock=immediate"
	w, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	w.SetMaxOpenConns(1)
	// Readers map the file (up to SQLite's 2 GB cap) instead of copying each page they touch
	// into a small cache of their own with a system call: a list or search of a large workspace
	// reads thousands of rows spread over the file (docs/performance.md). The pages are the
	// kernel's file cache, shared by every reader.
	r, err := sql.Open("sqlite", dsn+"&_pragma=query_only(1)&_pragma=mmap_size(2147418112)")
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("store: %w", err)
	}
	r.SetMaxOpenConns(8)
	s := &Store{dialect: SQLite, w: w, r: r, box: box}
	if err := s.ping(ctx); err != nil {
		return nil, err
	}
	for _, f := range []string{path + "-wal", path + "-shm"} {
		if err := os.Chmod(f, 0o600); err != nil && !errors.Is(err, fs.ErrNotExist) {
			s.Close()
			return nil, fmt.Errorf("store: %w", err)
		}
	}
	return s, nil
}

// privateFile creates path with mode 0600, or sets an existing file to it.
func privateFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("store: database file: %w", err)
	}
	f.Close()
	if err := os.Chmod(path, 0o600); err != nil {
		return fmt.Errorf("store: database file: %w", err)
	}
	return nil
}

func (s *Store) ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := s.w.PingContext(ctx); err != nil {
		s.Close()
		return fmt.Errorf("store: database unreachable: %w", err)
	}
	return nil
}

// Dialect names the engine: SQLite or Postgres.
func (s *Store) Dialect() string { return s.dialect }

// Ping checks that the database answers (for /readyz).
func (s *Store) Ping(ctx context.Context) error { return s.r.PingContext(ctx) }

// Close releases the connections.
func (s *Store) Close() error {
	s.prepared.close()
	err := s.w.Close()
	if s.r != s.w {
		err = errors.Join(err, s.r.Close())
	}
	return err
}

// querier is what both *sql.DB and *sql.Tx offer, so helpers run inside or outside a transaction.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// tx runs fn in one write transaction, committing when it returns nil. Events appended inside
// it are announced to the EventNotifier only after the commit, when readers can see them.
func (s *Store) tx(ctx context.Context, fn func(q querier) error) error {
	t, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	q := &txQuerier{Tx: t, dialect: s.dialect}
	if s.dialect == SQLite {
		q.stmts, q.shared, q.seqsTaken = map[string]*sql.Stmt{}, &s.prepared, map[string]bool{}
		defer func() { s.prepared.prepare(ctx, s.w, q.missed) }()
	}
	err = fn(q)
	if err == nil && q.seqsTaken != nil {
		err = q.writeSeqs(ctx)
	}
	if err != nil {
		t.Rollback()
		return err
	}
	if err := t.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	s.announce(q.logged)
	return nil
}

// NewID returns a new time-ordered unique id.
func NewID() string { return uuid.Must(uuid.NewV7()).String() }

func millis(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func fromMillis(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

// nullStr maps "" to SQL NULL, for optional columns under unique indexes.
func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullInt(n int64) any {
	if n == 0 {
		return nil
	}
	return n
}

func redact(u string) string {
	if i := strings.Index(u, "@"); i > 0 {
		if j := strings.Index(u, "://"); j > 0 && j < i {
			return u[:j+3] + "…" + u[i:]
		}
	}
	return u
}

func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}

type scanner interface{ Scan(...any) error }

// collect turns a query's rows into a slice with scan; it is curried so a call reads
// collect(scanThing)(db.QueryContext(...)).
func collect[T any](scan func(scanner) (T, error)) func(*sql.Rows, error) ([]T, error) {
	return func(rows *sql.Rows, err error) ([]T, error) {
		if err != nil {
			return nil, fmt.Errorf("store: query: %w", err)
		}
		defer rows.Close()
		var out []T
		for rows.Next() {
			v, err := scan(rows)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, rows.Err()
	}
}
