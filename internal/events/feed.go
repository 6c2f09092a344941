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

	handedMu sync.Mutex
	// handed are events this instance committed, given with their notification and not yet
	// forwarded. Concurrent transactions (PostgreSQL) may announce out of seq order, so they
	// are taken only as a run that follows what was forwarded; a gap is read from the log.
	handed []hub.Event
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

// handOff takes events this instance committed (in seq order), so the feed need not read them
// back. It never blocks for long. Past QueueSize of them waiting, the oldest are let go: the
// log still has them.
func (f *feed) handOff(evs []hub.Event) {
	f.handedMu.Lock()
	defer f.handedMu.Unlock()
	f.handed = append(f.handed, evs...)
	if over := len(f.handed) - f.hub.opts.QueueSize; over > 0 {
		f.handed = slices.Delete(f.handed, 0, over)
	}
}

// takeHanded returns the handed events that follow done without a gap, in seq order, and
// forgets every handed event up to the last of them; nil when the next one (done+1) was not
// handed over and must be read from the log.
func (f *feed) takeHanded(done int64) []hub.Event {
	f.handedMu.Lock()
	defer f.handedMu.Unlock()
	f.handed = slices.DeleteFunc(f.handed, func(e hub.Event) bool { return e.Seq <= done })
	if len(f.handed) == 0 {
		return nil
	}
	slices.SortFunc(f.handed, func(a, b hub.Event) int { return cmp.Compare(a.Seq, b.Seq) })
	n := 0
	for n < len(f.handed) && f.handed[n].Seq == done+int64(n)+1 {
		n++
	}
	if n == 0 {
		return nil
	}
	run := slices.Clone(f.handed[:n])
	f.handed = slices.Delete(f.handed, 0, n)
	return run
}

// forward delivers the events after done up to the target and returns the last seq delivered:
// those this instance handed over, else read from the log.
func (f *feed) forward(ctx context.Context, done int64) int64 {
	for done < f.target.Load() {
		evs := f.takeHanded(done)
		if evs == nil {
			var err error
			if evs, err = f.hub.log.EventsSince(ctx, f.ws, done, batch); err != nil {
				if ctx.Err() == nil {
					slog.Error("events: read log", "workspace", f.ws, "err", err)
				}
				return done // the next wake-up or poll tries again
			}
		}
		if len(evs) == 0 {
			return done
		}
		if f.hub.prepare != nil {
			f.hub.prepare(ctx, evs)
		}
		f.keep(evs)
		done = evs[len(evs)-1].Seq
		for _, s := range f.hub.subscribers(f) {
			s.offer(done)
		}
	}
	return done
}
