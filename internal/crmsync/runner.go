// Package crmsync runs a workspace's CRM sync (users, rights, contacts, deals) in the
// background and reports how far it got, so the cabinet shows real progress after an install
// instead of "wait 1–2 minutes" (SPEC F1).
package crmsync

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

// Syncer copies a CRM account into the hub's cache (the amoCRM adapter).
type Syncer interface {
	Sync(ctx context.Context, ws hub.Workspace) error
	SyncUsers(ctx context.Context, ws hub.Workspace) error
}

// Counter counts what the cache already holds.
type Counter interface {
	CRMCounts(ctx context.Context, workspaceID string) (store.CRMCounts, error)
}

// States of a workspace's sync.
const (
	StateIdle    = "idle" // none ran in this process since it started
	StateRunning = "running"
	StateDone    = "done"
	StateFailed  = "failed"
)

// Progress is a sync's state with the counts cached so far (counted from the database, so they
// grow while the sync runs).
type Progress struct {
	State      string
	Counts     store.CRMCounts
	StartedAt  time.Time
	FinishedAt time.Time
	Err        error
}

// Runner starts syncs and remembers their state per workspace. Safe for concurrent use.
type Runner struct {
	syncer  Syncer
	counter Counter
	// timeout bounds one full sync, so a CRM that never answers cannot hold "running" forever.
	timeout time.Duration

	mu   sync.Mutex
	runs map[string]*Progress
	wg   sync.WaitGroup
}

// New returns a runner; a full sync may take up to timeout.
func New(s Syncer, c Counter, timeout time.Duration) *Runner {
	return &Runner{syncer: s, counter: c, timeout: timeout, runs: map[string]*Progress{}}
}

// Start begins a full sync of ws in the background and reports false when one is already
// running for it (that one's progress is what the cabinet shows).
func (r *Runner) Start(ws hub.Workspace) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if p, ok := r.runs[ws.ID]; ok && p.State == StateRunning {
		return false
	}
	r.runs[ws.ID] = &Progress{State: StateRunning, StartedAt: time.Now().UTC()}
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		ctx, cancel := context.WithTimeout(context.Background(), r.timeout)
		defer cancel()
		err := r.syncer.Sync(ctx, ws)
		if err != nil {
			slog.Warn("crm sync failed", "workspace", ws.ID, "err", err)
		}
		r.mu.Lock()
		defer r.mu.Unlock()
		p := r.runs[ws.ID]
		p.FinishedAt, p.Err, p.State = time.Now().UTC(), err, StateDone
		if err != nil {
			p.State = StateFailed
		}
	}()
	return true
}

// SyncUsers re-reads the CRM's users and rights now (the cabinet's "refresh from CRM").
func (r *Runner) SyncUsers(ctx context.Context, ws hub.Workspace) error {
	return r.syncer.SyncUsers(ctx, ws)
}

// Progress reports the workspace's latest sync with the counts cached so far.
func (r *Runner) Progress(ctx context.Context, workspaceID string) (Progress, error) {
	r.mu.Lock()
	p := Progress{State: StateIdle}
	if run, ok := r.runs[workspaceID]; ok {
		p = *run
	}
	r.mu.Unlock()
	var err error
	p.Counts, err = r.counter.CRMCounts(ctx, workspaceID)
	return p, err
}

// Wait blocks until every sync started so far has finished (for shutdown and tests).
func (r *Runner) Wait() { r.wg.Wait() }
