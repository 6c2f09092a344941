package crmsync

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

// gate is a syncer that adds one cached contact per step and waits for the test between steps.
type gate struct {
	steps    chan struct{}
	done     chan struct{}
	contacts atomic.Int64
	err      error
}

func newGate(err error) *gate {
	return &gate{steps: make(chan struct{}), done: make(chan struct{}), err: err}
}

func (g *gate) Sync(ctx context.Context, ws hub.Workspace) error {
	for range g.steps {
		g.contacts.Add(1)
		g.done <- struct{}{}
	}
	return g.err
}

func (g *gate) step() {
	g.steps <- struct{}{}
	<-g.done
}

func (g *gate) SyncUsers(ctx context.Context, ws hub.Workspace) error { return nil }

type counts struct{ g *gate }

func (c counts) CRMCounts(ctx context.Context, workspaceID string) (store.CRMCounts, error) {
	return store.CRMCounts{Contacts: int(c.g.contacts.Load())}, nil
}

func TestProgressFollowsTheSync(t *testing.T) {
	g := newGate(nil)
	r := New(g, counts{g}, time.Minute)
	ctx := context.Background()
	ws := hub.Workspace{ID: "w1"}
	if p, _ := r.Progress(ctx, ws.ID); p.State != StateIdle {
		t.Fatalf("before any sync: %s", p.State)
	}
	if !r.Start(ws) {
		t.Fatal("first start refused")
	}
	if r.Start(ws) {
		t.Fatal("a second sync started while one runs")
	}
	g.step()
	g.step()
	if p, _ := r.Progress(ctx, ws.ID); p.State != StateRunning || p.Counts.Contacts != 2 {
		t.Fatalf("mid-sync: %+v", p)
	}
	close(g.steps)
	r.Wait()
	p, _ := r.Progress(ctx, ws.ID)
	if p.State != StateDone || p.FinishedAt.IsZero() || p.Counts.Contacts != 2 {
		t.Fatalf("after: %+v", p)
	}
}

func TestFailureIsReported(t *testing.T) {
	g := newGate(errors.New("crm said no"))
	close(g.steps)
	r := New(g, counts{g}, time.Minute)
	r.Start(hub.Workspace{ID: "w1"})
	r.Wait()
	p, _ := r.Progress(context.Background(), "w1")
	if p.State != StateFailed || p.Err == nil {
		t.Fatalf("failed sync shows %+v", p)
	}
	if !r.Start(hub.Workspace{ID: "w1"}) {
		t.Fatal("a failed sync cannot be retried")
	}
	r.Wait()
	if p, _ := r.Progress(context.Background(), "w1"); p.State != StateFailed {
		t.Fatalf("retry: %+v", p)
	}
}
