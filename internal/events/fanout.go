// Package events fans the per-workspace event log out to WebSocket subscribers, in this
// process and, through a broker, across instances. The broker only says "workspace W has
// events up to seq N"; what a subscriber receives is what the log holds, so a lost, late or
// reordered broker message can delay an event but never lose or reorder one. Events committed
// by this instance are handed to its feeds in memory with their notification, so the hot path
// reads nothing back; the log stays the source for what the hand-off does not cover (another
// instance's events, a gap, a replay).
package events

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
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
	// QueueSize is how many recent events a feed keeps for its subscribers; a subscriber that
	// falls this far behind is dropped (its socket closes and the client catches up by replay).
	// Default 256.
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
	// prepare, when set, is given each batch of events before the subscribers are told of it.
	prepare func(ctx context.Context, evs []hub.Event)
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

// Committed is the store's notifier: this instance committed evs, the workspace's events up to
// seq. It hands them to the local feed, which then need not read them from the log, and tells
// the broker. It never blocks.
func (h *Fanout) Committed(workspaceID string, seq int64, evs []hub.Event) {
	h.mu.Lock()
	f := h.feeds[workspaceID]
	h.mu.Unlock()
	if f != nil {
		f.handOff(evs)
		f.wakeUp(seq)
	}
	if h.broker != nil {
		h.broker.Publish(workspaceID, seq)
	}
}

// ShareThrough makes every local commit known to other instances through b. Call it before
// the hub is in use (it is not synchronized).
func (h *Fanout) ShareThrough(b Broker) { h.broker = b }

// PrepareWith has each workspace's feed give fn the events it is about to offer, on the feed's
// goroutine, before any subscriber is told of them: what every socket of the workspace needs of
// an event (its reads, the access decision's inputs) is then done once, ahead of the sockets,
// instead of by the first of them while the others queue behind it. fn must not keep evs or
// change them. Call it before the hub is in use (it is not synchronized).
func (h *Fanout) PrepareWith(fn func(ctx context.Context, evs []hub.Event)) { h.prepare = fn }

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

// subscribe starts offering the workspace's new events: every event with a seq above the head
// as it was when subscribe was called. The feed calls notify (which must not block) when it has
// forwarded events, and onDrop once if the subscriber falls QueueSize events behind. The caller
// must Close the subscriber.
func (h *Fanout) subscribe(ctx context.Context, workspaceID string, onDrop, notify func()) (*Subscriber, error) {
	s := &Subscriber{hub: h, ws: workspaceID, onDrop: onDrop, notify: notify}
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
// s counts as having taken everything the feed has forwarded so far.
func (h *Fanout) join(s *Subscriber, start int64) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	f := h.feeds[s.ws]
	if f == nil {
		if start < 0 {
			return false
		}
		f = newFeed(h, s.ws, start)
		h.feeds[s.ws] = f
		go f.run(start)
	}
	s.feed = f
	s.taken.Store(f.forwarded.Load())
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

// Subscriber is one socket's place in its workspace's feed. It holds no events: the feed keeps
// the last QueueSize events once for all its subscribers, and each subscriber only the seq it
// has taken, so an idle socket costs next to nothing here.
type Subscriber struct {
	hub    *Fanout
	ws     string
	feed   *feed
	once   sync.Once
	onDrop func()
	notify func()
	taken  atomic.Int64 // the last seq the subscriber has dealt with
}

// After returns the feed's recent events with a seq above seq, in order; events between seq and
// the first of them (older than the feed keeps) must be read from the log.
func (s *Subscriber) After(seq int64) []hub.Event { return s.feed.after(seq) }

// Took records that the subscriber has dealt with every event up to seq.
func (s *Subscriber) Took(seq int64) { s.taken.Store(seq) }

// Close stops the subscription.
func (s *Subscriber) Close() { s.hub.unsubscribe(s) }

// offer tells the subscriber the feed has forwarded up to seq, without ever waiting; one that
// has fallen more than QueueSize behind is dropped.
func (s *Subscriber) offer(seq int64) {
	if seq-s.taken.Load() > int64(s.hub.opts.QueueSize) {
		s.once.Do(func() {
			s.onDrop()
			slog.Info("events: slow subscriber dropped", "workspace", s.ws, "seq", seq)
		})
		return
	}
	s.notify()
}
