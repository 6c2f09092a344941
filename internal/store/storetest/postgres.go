package storetest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/switchboardhq/switchboard/internal/testwait"
)

// PostgreSQL test databases are cheap copies of one template per test process: the process
// migrates a template database once, and every test gets CREATE DATABASE … TEMPLATE of it, which
// takes milliseconds where migrating took most of a second. Several engineers' test runs share
// one server, so every name carries its process's id and start (sbtpl_<pid>_<unix>, its copies
// sbtpl_<pid>_<unix>_<n>), and the process holds a session advisory lock named after it for as
// long as it lives. A later process drops the databases of any prefix whose lock it can take —
// their process is gone — and never those of a live run.

// lockClass is the first key of the advisory locks of test processes, apart from any the
// product takes.
const lockClass = 0x53425431 // "SBT1"

const templatePrefix = "sbtpl_"

// server is one PostgreSQL server's template for this process.
type server struct {
	base   string
	admin  *sql.DB
	lock   *sql.Conn // holds this process's advisory lock until it exits
	prefix string    // sbtpl_<pid>_<unix>: the template's name and its copies' prefix
	copies atomic.Int64
	err    error
}

var (
	serversMu sync.Mutex
	servers   = map[string]*server{}
)

// templateServer returns the server at base with this process's migrated template on it,
// making it the first time.
func templateServer(t testing.TB, base string) *server {
	t.Helper()
	serversMu.Lock()
	defer serversMu.Unlock()
	s, ok := servers[base]
	if !ok {
		s = &server{base: base}
		s.err = s.start()
		servers[base] = s
	}
	if s.err != nil {
		t.Fatalf("PostgreSQL test template on %s: %v", redact(base), s.err)
	}
	return s
}

func (s *server) start() error {
	ctx := context.Background()
	admin, err := sql.Open("pgx", s.base)
	if err != nil {
		return err
	}
	s.admin = admin
	s.prefix = fmt.Sprintf("%s%d_%d", templatePrefix, os.Getpid(), time.Now().Unix())
	// The lock first: a sweeping process must never see this run's databases unlocked.
	if s.lock, err = admin.Conn(ctx); err != nil {
		return err
	}
	if _, err := s.lock.ExecContext(ctx, `SELECT pg_advisory_lock($1, $2)`, lockClass, lockKey(s.prefix)); err != nil {
		return fmt.Errorf("advisory lock: %w", err)
	}
	if err := s.sweep(ctx); err != nil {
		return fmt.Errorf("drop stale test databases: %w", err)
	}
	if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+s.prefix); err != nil {
		return fmt.Errorf("create template: %w", err)
	}
	st, err := openStore(s.url(s.prefix), "")
	if err != nil {
		return fmt.Errorf("migrate template: %w", err)
	}
	return st.Close()
}

// sweep drops the test databases of processes that no longer hold their lock.
func (s *server) sweep(ctx context.Context) error {
	rows, err := s.admin.QueryContext(ctx, `SELECT datname FROM pg_database WHERE datname LIKE 'sbtpl\_%'`)
	if err != nil {
		return err
	}
	byOwner := map[string][]string{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return err
		}
		if owner, ok := ownerPrefix(name); ok && owner != s.prefix {
			byOwner[owner] = append(byOwner[owner], name)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for owner, names := range byOwner {
		var free bool
		if err := s.lock.QueryRowContext(ctx, `SELECT pg_try_advisory_lock($1, $2)`, lockClass, lockKey(owner)).Scan(&free); err != nil {
			return err
		}
		if !free {
			continue // its process is still running
		}
		for _, name := range names {
			if _, err := s.admin.ExecContext(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`); err != nil {
				return err
			}
		}
		if _, err := s.lock.ExecContext(ctx, `SELECT pg_advisory_unlock($1, $2)`, lockClass, lockKey(owner)); err != nil {
			return err
		}
	}
	return nil
}

// ownerPrefix is sbtpl_<pid>_<unix> of a template or a copy's name.
func ownerPrefix(name string) (string, bool) {
	parts := strings.Split(strings.TrimPrefix(name, templatePrefix), "_")
	if len(parts) < 2 {
		return "", false
	}
	for _, p := range parts {
		if _, err := strconv.ParseUint(p, 10, 64); err != nil {
			return "", false
		}
	}
	return templatePrefix + parts[0] + "_" + parts[1], true
}

func lockKey(prefix string) int32 {
	h := fnv.New32a()
	h.Write([]byte(prefix))
	return int32(h.Sum32())
}

// copyDatabase creates a copy of the template for one test and drops it after the test.
func (s *server) copyDatabase(t testing.TB) string {
	t.Helper()
	name := fmt.Sprintf("%s_%d", s.prefix, s.copies.Add(1))
	// A copy fails while anyone is connected to the template; the connections that migrated
	// it may take a moment to go.
	var err error
	if !testwait.Within(testwait.Bound, func() bool {
		_, err = s.admin.Exec(`CREATE DATABASE ` + name + ` TEMPLATE ` + s.prefix)
		var pgErr *pgconn.PgError
		if err != nil && (!errors.As(err, &pgErr) || pgErr.Code != "55006") {
			t.Fatalf("create test database from the template: %v", err)
		}
		return err == nil
	}) {
		t.Fatalf("create test database from the template: %v", err)
	}
	t.Cleanup(func() {
		if _, err := s.admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`); err != nil {
			t.Errorf("drop test database %s: %v", name, err)
		}
	})
	return s.url(name)
}

func (s *server) url(name string) string {
	u, err := url.Parse(s.base)
	if err != nil {
		return ""
	}
	u.Path = "/" + name
	// A test database need not survive a crash of the server: commits that do not wait for
	// the disk make the PostgreSQL tests several times faster on a busy machine.
	q := u.Query()
	q.Set("synchronous_commit", "off")
	u.RawQuery = q.Encode()
	return u.String()
}

// drop removes this process's template; the copies went with their tests.
func (s *server) drop() {
	if s.err == nil {
		s.admin.Exec(`DROP DATABASE IF EXISTS ` + s.prefix + ` WITH (FORCE)`)
	}
	if s.lock != nil {
		s.lock.Close()
	}
	if s.admin != nil {
		s.admin.Close()
	}
}

// Main runs a package's tests, then drops the PostgreSQL template database they used: a
// package whose tests make PostgreSQL databases calls it from TestMain. (Without it the next
// test process drops the template.)
func Main(m *testing.M) int {
	code := m.Run()
	serversMu.Lock()
	defer serversMu.Unlock()
	for _, s := range servers {
		s.drop()
	}
	return code
}

func redact(base string) string {
	u, err := url.Parse(base)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}
