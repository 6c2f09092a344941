package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/switchboardhq/switchboard/internal/hub"
)

// EventNotifier is told that a workspace's event log grew up to seq, with the events the
// transaction appended for it (in seq order, the last one's seq being seq): exactly what the
// log holds, so a reader in this process need not read them back (the fan-out's hot path). It
// is called after the commit, on the writer's goroutine, so it must return quickly (hand off,
// never block) and must not change the events.
type EventNotifier func(workspaceID string, seq int64, committed []hub.Event)

// SetEventNotifier installs fn (nil removes it). Without one the store announces nothing and
// readers have to poll EventHead.
func (s *Store) SetEventNotifier(fn EventNotifier) {
	if fn == nil {
		s.onEvents.Store(nil)
		return
	}
	s.onEvents.Store(&fn)
}

func (s *Store) announce(logged []hub.Event) {
	fn := s.onEvents.Load()
	if fn == nil || len(logged) == 0 {
		return
	}
	byWorkspace := map[string][]hub.Event{}
	for _, e := range logged {
		byWorkspace[e.WorkspaceID] = append(byWorkspace[e.WorkspaceID], e)
	}
	for ws, evs := range byWorkspace {
		// A transaction takes a workspace's seqs in order, so evs is in seq order already.
		(*fn)(ws, evs[len(evs)-1].Seq, evs)
	}
}

// txQuerier is a write transaction that remembers the events appended in it. On SQLite it
// also runs each statement prepared (the driver compiles a statement on every call otherwise):
// the store's statements prepared once (preparedStmts), or, for a query met for the first
// time, one prepared for this transaction and then for the store once it has ended.
// PostgreSQL's driver keeps its own cache of prepared statements per connection.
type txQuerier struct {
	*sql.Tx
	dialect string
	heads   map[string]int64
	// logged are the events appended in the transaction, in the order appended: announced
	// after the commit.
	logged []hub.Event
	stmts  map[string]*sql.Stmt // nil: no caching
	// shared are the store's prepared statements; missed, the queries this transaction
	// prepared for itself, to be prepared for the store after it.
	shared *preparedStmts
	missed []string
	// seqsTaken (SQLite) names the workspaces whose event seqs this transaction took past the
	// counter in the database; writeSeqs moves the counters before the commit.
	seqsTaken map[string]bool
}

// lastSeq is the last event seq an SQLite transaction took for the workspace, if any: the
// next one is taken without a write (heads is restored with the events it names when a
// savepoint is rolled back, so it is what the transaction holds).
func (t *txQuerier) lastSeq(workspaceID string) (int64, bool) {
	if t == nil || t.seqsTaken == nil {
		return 0, false
	}
	seq, ok := t.heads[workspaceID]
	return seq, ok
}

// writeSeqs brings the event counters of the workspaces lastSeq served up to the seqs taken.
func (t *txQuerier) writeSeqs(ctx context.Context) error {
	for ws := range t.seqsTaken {
		seq, ok := t.heads[ws]
		if !ok {
			continue // every event it took was rolled back, with the counter's write
		}
		if _, err := t.ExecContext(ctx, `UPDATE workspaces SET event_seq = $2 WHERE id = $1`, ws, seq); err != nil {
			return fmt.Errorf("store: event seq: %w", err)
		}
	}
	return nil
}

// stmt is the transaction's prepared statement for query; nil when not caching or when it
// does not prepare (the plain call then reports the error).
func (t *txQuerier) stmt(ctx context.Context, query string) *sql.Stmt {
	if t.stmts == nil {
		return nil
	}
	if st, ok := t.stmts[query]; ok {
		return st
	}
	var st *sql.Stmt
	if ps := t.shared.get(query); ps != nil {
		st = t.Tx.StmtContext(ctx, ps)
	} else {
		var err error
		if st, err = t.Tx.PrepareContext(ctx, query); err != nil {
			return nil
		}
		t.missed = append(t.missed, query)
	}
	t.stmts[query] = st
	return st
}

// ExecContext runs query on its prepared statement when there is one.
func (t *txQuerier) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := t.stmt(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return t.Tx.ExecContext(ctx, query, args...)
}

// QueryRowContext runs query on its prepared statement when there is one. (Multi-row queries
// are not cached: a statement's rows may still be open when the same query runs again.)
func (t *txQuerier) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := t.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return t.Tx.QueryRowContext(ctx, query, args...)
}

// queryAll runs a query whose rows are read to the end and closed before anything else runs,
// as collect does. On an SQLite transaction its statement is then the prepared one: a query
// whose rows might stay open while the same query runs again could not share it.
func queryAll(ctx context.Context, q querier, query string, args ...any) (*sql.Rows, error) {
	if t, ok := q.(*txQuerier); ok {
		if st := t.stmt(ctx, query); st != nil {
			return st.QueryContext(ctx, args...)
		}
	}
	return q.QueryContext(ctx, query, args...)
}

// noteEvent remembers an event the transaction appended, as the log holds it.
func (t *txQuerier) noteEvent(e hub.Event) {
	if t.heads == nil {
		t.heads = map[string]int64{}
	}
	if e.Seq > t.heads[e.WorkspaceID] {
		t.heads[e.WorkspaceID] = e.Seq
	}
	t.logged = append(t.logged, e)
}
