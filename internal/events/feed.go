package events

import (
	"cmp"
	"context"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
)

// batch is how many events one read of the log takes.
const batch = 200

// feed reads one workspace's log once per notification and hands each new event to every
// subscriber of this instance.
type feed struct {
	hub       *Fanout
	ws        string
	target    atomic.Int64 // the highest seq anyone announced
	forwarded atomic.Int64 // the highest seq handed to the subscribers
	wake      chan struct{}
	stop      chan struct{}
	subs      map[*Subscriber]struct{} // guarded by hub.mu

	mu     sync.RWMutex
	recent []hub.Event // the last QueueSize events forwarded, in seq order; never changed in place
}

func newFeed(h *Fanout, ws string, start int64) *feed {
	f := &feed{hub: h, ws: ws, wake: make(chan struct{}, 1), stop: make(chan struct{}),
		subs: map[*Subscriber]struct{}{}}
	f.forwarded.Store(start)
	return f
}

// after returns the recent events with a seq above seq. The slice is shared: elements are never
// written again once appended.
func (f *feed) after(seq int64) []hub.Event {
	f.mu.RLock()
	defer f.mu.RUnlock()
	i, _ := slices.BinarySearchFunc(f.recent, seq+1, func(e hub.Event, seq int64) int { return cmp.Compare(e.Seq, seq) })
	return f.recent[i:len(f.recent):len(f.recent)]
}

// keep adds forwarded events to the recent ones, dropping the oldest beyond QueueSize.
func (f *feed) keep(evs []hub.Event) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.recent = append(f.recent, evs...)
	if over := len(f.recent) - f.hub.opts.QueueSize; over > 0 {
		f.recent = f.recent[over:]
	}
	f.forwarded.Store(evs[len(evs)-1].Seq)
}

func (f *feed) wakeUp(seq int64) {
	for {
		cur := f.target.Load()
		if seq <= cur || f.target.CompareAndSwap(cur, seq) {
			break
		}
	}
	select {
	case f.wake <- struct{}{}:
	default: // a wake-up is already pending; it will read up to the new target
	}
}

// run forwards events after start until the last subscriber leaves.
func (f *feed) run(start int64) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-f.stop
		cancel()
	}()
	poll := time.NewTicker(f.hub.opts.PollEvery)
	defer poll.Stop()
	done := start
	// Look once at once: notifications sent before this feed was registered went nowhere.
	f.pollHead(ctx)
	for {
		select {
		case <-f.stop:
			return
		case <-f.wake:
		case <-poll.C:
			f.pollHead(ctx)
		}
		done = f.forward(ctx, done)
	}
}

func (f *feed) pollHead(ctx context.Context) {
	head, err := f.hub.log.EventHead(ctx, f.ws)
	if err != nil {
		if ctx.Err() == nil {
			slog.Error("events: read head", "workspace", f.ws, "err", err)
		}
		return
	}
	f.wakeUp(head)
}

// forward delivers the events after done up to the target and returns the last seq delivered.
func (f *feed) forward(ctx context.Context, done int64) int64 {
	for done < f.target.Load() {
		evs, err := f.hub.log.EventsSince(ctx, f.ws, done, batch)
		if err != nil {
			if ctx.Err() == nil {
				slog.Error("events: read log", "workspace", f.ws, "err", err)
			}
			return done // the next wake-up or poll tries again
		}
		if len(evs) == 0 {
			return done
		}
		f.keep(evs)
		done = evs[len(evs)-1].Seq
		for _, s := range f.hub.subscribers(f) {
			s.offer(done)
		}
	}
	return done
}
