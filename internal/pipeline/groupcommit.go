package pipeline

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/switchboardhq/switchboard/internal/store"
)

// Group commit of webhook rows (issue 15). Each request hands its raw row to the queue and is
// answered only after the transaction that holds the row has committed: nothing is
// acknowledged before it is stored, and a failed transaction fails every request in it. The
// committing is done by the requests' own goroutines: the first to find no commit running
// leads, storing in one transaction every row queued by then; rows that arrive meanwhile wait
// for the next one. A leader stops once its own row is stored and hands the lead to the
// oldest waiting request. There is no goroutine of the queue's own, so nothing to start or
// stop: the server's shutdown waits for its requests, and each is answered by its commit.

const (
	// maxGroup bounds the rows of one transaction.
	maxGroup = 256
	// maxQueued bounds the rows waiting for a commit; past it a webhook is answered 503 and
	// the provider delivers it again later.
	maxQueued = 4096
	// commitTimeout bounds one group's transaction. A group outlives any one request (a
	// client gone must not roll back the others' rows), so it is not bound to a request.
	commitTimeout = 30 * time.Second
)

var errQueueFull = errors.New("too many webhooks waiting to be stored")

// webhookQueue stores rows with group commit through save (store.SaveWebhooks).
type webhookQueue struct {
	mu      sync.Mutex
	waiting []*queuedRow
	leading bool // a request is committing
}

type queuedRow struct {
	row store.RawWebhook
	// turn receives one value: the row's outcome (stored when nil), or errLead — this request
	// is to commit the next group.
	turn chan error
}

// errLead tells a waiting request to commit the next group; it is never a commit's outcome.
var errLead = errors.New("lead the next group")

// store queues row and returns once a transaction holding it has committed (nil) or failed.
func (q *webhookQueue) store(ctx context.Context, save func(context.Context, []store.RawWebhook) error, row store.RawWebhook) error {
	me := &queuedRow{row: row, turn: make(chan error, 1)}
	q.mu.Lock()
	if len(q.waiting) >= maxQueued {
		q.mu.Unlock()
		return errQueueFull
	}
	q.waiting = append(q.waiting, me)
	if q.leading {
		q.mu.Unlock()
		// Waits whatever its own context says: a lead handed to it must be taken.
		if err := <-me.turn; err != errLead {
			return err
		}
		q.mu.Lock()
	}
	q.leading = true
	for {
		n := min(len(q.waiting), maxGroup)
		group := q.waiting[:n:n]
		q.waiting = q.waiting[n:]
		q.mu.Unlock()
		err := q.commit(ctx, save, group)
		mine := false
		for _, w := range group {
			if w == me {
				mine = true
			} else {
				w.turn <- err
			}
		}
		q.mu.Lock()
		if !mine {
			continue // more rows were queued before this request's than one group holds
		}
		if len(q.waiting) > 0 {
			q.waiting[0].turn <- errLead
		} else {
			q.leading = false
		}
		q.mu.Unlock()
		return err
	}
}

// commit stores one group. A panic is the group's error: the lead must pass on either way, or
// every later webhook would wait forever.
func (q *webhookQueue) commit(ctx context.Context, save func(context.Context, []store.RawWebhook) error, group []*queuedRow) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("store webhooks: panic: %v", p)
		}
	}()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), commitTimeout)
	defer cancel()
	rows := make([]store.RawWebhook, len(group))
	for i, w := range group {
		rows[i] = w.row
	}
	return save(ctx, rows)
}
