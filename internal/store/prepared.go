package store

import (
	"context"
	"database/sql"
	"sync"
)

// maxPrepared bounds the statements kept prepared on SQLite's writer: the store's queries are
// constants, but a few are built from their arguments (lists of ids), and those must not grow
// the cache without end. Past the bound a query is compiled once per transaction, as before.
const maxPrepared = 512

// preparedStmts are SQLite writer statements compiled once for the life of the store instead
// of once per transaction: the writer is one connection, so a statement prepared on the pool
// is prepared on it, and a transaction takes it with Tx.StmtContext without compiling again.
// A statement is prepared on the pool only after the transaction that first ran it has ended:
// while a transaction holds the one connection, preparing on the pool would wait for it.
type preparedStmts struct {
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

func (p *preparedStmts) get(query string) *sql.Stmt {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.m[query]
}

// prepare compiles on db the queries a transaction ran that were not prepared yet. A query
// that does not compile is left out: its transaction reported the error.
func (p *preparedStmts) prepare(ctx context.Context, db *sql.DB, queries []string) {
	for _, q := range queries {
		p.mu.Lock()
		_, have := p.m[q]
		full := len(p.m) >= maxPrepared
		p.mu.Unlock()
		if have || full {
			continue
		}
		st, err := db.PrepareContext(context.WithoutCancel(ctx), q)
		if err != nil {
			continue
		}
		p.mu.Lock()
		if p.m == nil {
			p.m = map[string]*sql.Stmt{}
		}
		if _, have := p.m[q]; have {
			st.Close()
		} else {
			p.m[q] = st
		}
		p.mu.Unlock()
	}
}

func (p *preparedStmts) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, st := range p.m {
		st.Close()
	}
	p.m = nil
}
