// Package events fans the per-workspace event log out to WebSocket subscribers, in this
// process and, through a broker, across instances. The broker only says "workspace W has
// events up to seq N"; what a subscriber receives is always read from the log, so a lost,
// late or reordered broker message can delay an event but never lose or reorder one.
package events

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
)

// Log is the part of the store the fan-out reads.
type Log interface {
	EventsSince(ctx context.Context, workspaceID string, since int64, limit int) ([]hub.Event, error)
	EventHead(ctx context.Context, workspaceID string) (int64, error)
	OldestEvent(ctx context.Context, workspaceID string) (int64, error)
}

// Broker tells the other instances that a workspace's log grew. Delivery may be at most once;
// the hub's poll of EventHead covers what a broker loses.
type Broker interface {
	Publish(workspaceID string, seq int64)
}

// Options tune a Fanout; zero values take the defaults.
type Options struct {
	// QueueSize bounds each subscriber's queue; a subscriber that falls this far behind is
	// dropped (its socket closes and the client catches up by replay). Default 256.
	QueueSize int
	// PollEvery is how often each watched workspace's head is read from the database, in case a
	// notification was lost. Default 2 s.
	PollEvery time.Duration
}

// Fanout holds the subscribers of every workspace and one feed per watched workspace. Safe for
// concurrent use.
type Fanout struct {
	log    Log
	opts   Options
	broker Broker

	mu    sync.Mutex
	feeds map[string]*feed
}

// New returns a hub reading from log.
func New(log Log, opts Options) *Fanout {
	if opts.QueueSize <= 0 {
		opts.QueueSize = 256
	}
	if opts.PollEvery <= 0 {
		opts.PollEvery = 2 * time.Second
	}
	return &Fanout{log: log, opts: opts, feeds: map[string]*feed{}}
}

// Committed is the store's notifier: this instance appended events up to seq. It wakes the
// local feed and tells the broker. It never blocks.
func (h *Fanout) Committed(workspaceID string, seq int64) {
	h.Notify(workspaceID, seq)
	if h.broker != nil {
		h.broker.Publish(workspaceID, seq)
	}
}

// ShareThrough makes every local commit known to other instances through b. Call it before
// the hub is in use (it is not synchronized).
func (h *Fanout) ShareThrough(b Broker) { h.broker = b }

// Notify says the workspace's log reaches at least seq (from a local commit or the broker).
// Workspaces nobody watches are ignored. It never blocks.
func (h *Fanout) Notify(workspaceID string, seq int64) {
	h.mu.Lock()
	f := h.feeds[workspaceID]
	h.mu.Unlock()
	if f != nil {
		f.wakeUp(seq)
	}
}

// Subscribe starts receiving the workspace's new events: every event with a seq above the
// head as it was when Subscribe was called is offered. The caller must Close the subscriber.
func (h *Fanout) Subscribe(ctx context.Context, workspaceID string) (*Subscriber, error) {
	s := &Subscriber{hub: h, ws: workspaceID, queue: make(chan hub.Event, h.opts.QueueSize),
		dropped: make(chan struct{})}
	if h.join(s, -1) {
		return s, nil
	}
	// A new feed starts from a head read before the subscriber joins, so the subscriber's own
	// later reading of the head can never be below it.
	head, err := h.log.EventHead(ctx, workspaceID)
	if err != nil {
		return nil, fmt.Errorf("events: head: %w", err)
	}
	h.join(s, head)
	return s, nil
}

// join adds s to its workspace's feed; with start < 0 only to a running one (false if none).
func (h *Fanout) join(s *Subscriber, start int64) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	f := h.feeds[s.ws]
	if f == nil {
		if start < 0 {
			return false
		}
		f = newFeed(h, s.ws)
		h.feeds[s.ws] = f
		go f.run(start)
	}
	f.subs[s] = struct{}{}
	return true
}

func (h *Fanout) unsubscribe(s *Subscriber) {
	h.mu.Lock()
	defer h.mu.Unlock()
	f := h.feeds[s.ws]
	if f == nil {
		return
	}
	delete(f.subs, s)
	if len(f.subs) == 0 {
		delete(h.feeds, s.ws)
		close(f.stop)
	}
}

// subscribers copies the feed's subscriber set under the lock, so delivery happens outside it.
func (h *Fanout) subscribers(f *feed) []*Subscriber {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]*Subscriber, 0, len(f.subs))
	for s := range f.subs {
		out = append(out, s)
	}
	return out
}

// Subscriber is one socket's bounded queue of new events.
type Subscriber struct {
	hub     *Fanout
	ws      string
	queue   chan hub.Event
	dropped chan struct{}
	once    sync.Once
}

// Events delivers the workspace's new events in seq order, possibly starting after events the
// subscriber has already replayed (callers skip seqs they have seen).
func (s *Subscriber) Events() <-chan hub.Event { return s.queue }

// Dropped is closed when the subscriber fell QueueSize events behind and was cut off.
func (s *Subscriber) Dropped() <-chan struct{} { return s.dropped }

// Close stops the subscription.
func (s *Subscriber) Close() { s.hub.unsubscribe(s) }

// offer queues e without ever waiting; a full queue drops the subscriber.
func (s *Subscriber) offer(e hub.Event) {
	select {
	case <-s.dropped:
	case s.queue <- e:
	default:
		s.once.Do(func() {
			close(s.dropped)
			slog.Info("events: slow subscriber dropped", "workspace", s.ws, "seq", e.Seq)
		})
	}
}
