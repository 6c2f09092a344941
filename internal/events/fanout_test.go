package events_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/events"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
	"github.com/switchboardhq/switchboard/internal/store/storetest"
	"github.com/switchboardhq/switchboard/internal/testwait"
)

// recorder collects the frames of one stream, and how many each message held.
type recorder struct {
	mu     sync.Mutex
	frames []any
	sizes  []int
	block  chan struct{} // when set, Send waits on it for all but the hello (a stalled socket)
	got    chan struct{}
}

func newRecorder() *recorder { return &recorder{got: make(chan struct{}, 1000)} }

func (r *recorder) send(ctx context.Context, f any) error {
	if _, hello := f.(events.Hello); r.block != nil && !hello {
		select {
		case <-r.block:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	r.mu.Lock()
	if fs, ok := f.(events.Frames); ok {
		for _, f := range fs {
			r.frames = append(r.frames, f)
		}
		r.sizes = append(r.sizes, len(fs))
	} else {
		r.frames = append(r.frames, f)
		r.sizes = append(r.sizes, 1)
	}
	r.mu.Unlock()
	r.got <- struct{}{}
	return nil
}

// seqs lists the seq of every event frame, and notes hello/resync as -1/-2.
func (r *recorder) seqs() []int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []int64
	for _, f := range r.frames {
		switch f := f.(type) {
		case events.Hello:
			out = append(out, -1)
		case events.Resync:
			out = append(out, -2)
		case events.Frame:
			out = append(out, f.Seq)
		}
	}
	return out
}

// waitFor waits until the recorder holds n frames.
func (r *recorder) waitFor(t *testing.T, n int) {
	t.Helper()
	deadline := time.After(testwait.Bound)
	for {
		r.mu.Lock()
		have := len(r.frames)
		r.mu.Unlock()
		if have >= n {
			return
		}
		select {
		case <-r.got:
		case <-deadline:
			t.Fatalf("waited for %d frames, have %v", n, r.seqs())
		}
	}
}

type env struct {
	st  *store.Store
	hub *events.Fanout
	ws  string
}

func newEnv(t *testing.T, opts events.Options) env {
	st := storetest.OpenSQLite(t)
	ws, err := st.CreateWorkspace(context.Background(), hub.Workspace{Name: "W", CRMKind: "amocrm", CRMAccountID: 1})
	if err != nil {
		t.Fatal(err)
	}
	h := events.New(st, opts)
	st.SetEventNotifier(h.Committed)
	return env{st, h, ws.ID}
}

// appendN logs n chat.updated events; odd chats are "secret" so views can filter them.
func (e env) appendN(t *testing.T, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		head, _ := e.st.EventHead(context.Background(), e.ws)
		chat := fmt.Sprintf("chat-%d", head+1)
		if _, err := e.st.AppendEvent(context.Background(), e.ws, hub.EventChatUpdated, chat, "", map[string]string{"id": chat}); err != nil {
			t.Fatal(err)
		}
	}
}

func everything(ctx context.Context, e hub.Event) (json.RawMessage, bool, error) {
	return e.Data, true, nil
}

// evenOnly hides events of odd seq, standing in for the access policy.
func evenOnly(ctx context.Context, e hub.Event) (json.RawMessage, bool, error) {
	return e.Data, e.Seq%2 == 0, nil
}

func (e env) serve(t *testing.T, since *int64, view events.View, r *recorder) (stop func() error) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- serve(ctx, e.hub, events.Stream{WorkspaceID: e.ws, Since: since, View: view, Send: r.send})
	}()
	var once sync.Once
	var err error
	stop = func() error {
		once.Do(func() {
			cancel()
			err = <-done
		})
		return err
	}
	t.Cleanup(func() { stop() })
	return stop
}

// serve runs a stream and returns why it ended.
func serve(ctx context.Context, h *events.Fanout, st events.Stream) error {
	errc := make(chan error, 1)
	h.Start(ctx, st, func(err error) { errc <- err })
	return <-errc
}

func ptr(n int64) *int64 { return &n }

func equal(t *testing.T, what string, got, want []int64) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("%s = %v, want %v", what, got, want)
	}
}

func TestLiveThenReconnectReplaysExactlyTheMissed(t *testing.T) {
	e := newEnv(t, events.Options{PollEvery: time.Hour}) // only the store's notifier wakes the feed
	e.appendN(t, 2)
	first := newRecorder()
	stop := e.serve(t, nil, evenOnly, first)
	first.waitFor(t, 1)
	e.appendN(t, 4) // seq 3..6; the employee may see 4 and 6
	first.waitFor(t, 3)
	stop() // the socket dies here
	equal(t, "first connection", first.seqs(), []int64{-1, 4, 6})

	e.appendN(t, 5) // seq 7..11 happen while disconnected
	second := newRecorder()
	e.serve(t, ptr(6), evenOnly, second)
	second.waitFor(t, 3)
	e.appendN(t, 2) // 12, 13 live again
	second.waitFor(t, 4)
	// Frames arrive in order, so anything sent twice or out of view would come before 14.
	e.appendN(t, 2) // 14, 15
	second.waitFor(t, 5)
	equal(t, "after reconnect", second.seqs(), []int64{-1, 8, 10, 12, 14})
}

func TestResyncWhenTheLogNoLongerReachesBack(t *testing.T) {
	e := newEnv(t, events.Options{})
	e.appendN(t, 3)
	if _, err := e.st.PruneEvents(context.Background(), time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	e.appendN(t, 1) // seq 4 is all the log keeps
	r := newRecorder()
	e.serve(t, ptr(1), everything, r)
	r.waitFor(t, 2)
	e.appendN(t, 1)
	r.waitFor(t, 3)
	equal(t, "frames", r.seqs(), []int64{-1, -2, 5})

	future := newRecorder()
	e.serve(t, ptr(99), everything, future)
	future.waitFor(t, 2)
	equal(t, "since beyond head", future.seqs(), []int64{-1, -2})

	fromOldest := newRecorder()
	e.serve(t, ptr(3), everything, fromOldest)
	fromOldest.waitFor(t, 3)
	equal(t, "since just before the oldest kept", fromOldest.seqs(), []int64{-1, 4, 5})
}

func TestSlowSubscriberIsDroppedWithoutStallingOthers(t *testing.T) {
	e := newEnv(t, events.Options{QueueSize: 8, PollEvery: time.Hour})
	slow := newRecorder()
	slow.block = make(chan struct{}) // its socket never finishes a write after the hello
	fast := newRecorder()
	slowDone, subscribed := make(chan error, 1), make(chan struct{})
	go func() {
		slowDone <- serve(context.Background(), e.hub, events.Stream{WorkspaceID: e.ws, View: everything,
			Send: func(ctx context.Context, f any) error {
				if _, ok := f.(events.Hello); ok {
					close(subscribed) // Serve subscribes before its hello
					return nil
				}
				return slow.send(ctx, f)
			}})
	}()
	e.serve(t, nil, everything, fast)
	fast.waitFor(t, 1)
	testwait.Done(t, subscribed, "the slow stream to subscribe")
	for i := 1; i <= 20; i++ { // the fast socket keeps up; the slow one falls 8 behind
		e.appendN(t, 1)
		fast.waitFor(t, i+1)
	}
	if err := testwait.Recv(t, slowDone, "the slow stream to be dropped"); !errors.Is(err, events.ErrSlow) {
		t.Fatalf("slow stream ended with %v, want ErrSlow", err)
	}
	want := []int64{-1}
	for i := int64(1); i <= 20; i++ {
		want = append(want, i)
	}
	equal(t, "fast stream", fast.seqs(), want)
}

func TestPollingFindsEventsWithoutAnyNotification(t *testing.T) {
	e := newEnv(t, events.Options{PollEvery: 20 * time.Millisecond})
	e.st.SetEventNotifier(nil) // as if every notification were lost
	r := newRecorder()
	e.serve(t, nil, everything, r)
	r.waitFor(t, 1)
	e.appendN(t, 3)
	r.waitFor(t, 4)
	equal(t, "frames", r.seqs(), []int64{-1, 1, 2, 3})
}

// An idle stream keeps no goroutine: thousands of open sockets cost their reader and a few small
// objects, not a goroutine (and its stack) each waiting for events. New events still reach every
// stream, and ending one still reports why.
func TestIdleStreamsHoldNoGoroutine(t *testing.T) {
	e := newEnv(t, events.Options{PollEvery: time.Hour})
	e.appendN(t, 1)
	before := runtime.NumGoroutine()
	const n = 50
	recs := make([]*recorder, n)
	ctx, cancel := context.WithCancel(context.Background())
	ended := make(chan error, n)
	for i := range recs {
		recs[i] = newRecorder()
		e.hub.Start(ctx, events.Stream{WorkspaceID: e.ws, View: everything, Send: recs[i].send},
			func(err error) { ended <- err })
	}
	for _, r := range recs {
		r.waitFor(t, 1) // the hello
	}
	// The workspace's feed is two goroutines; the streams none once they have sent their hello.
	testwait.Until(t, "idle streams to let their goroutines go", func() bool {
		return runtime.NumGoroutine() <= before+2
	})
	e.appendN(t, 1)
	for _, r := range recs {
		r.waitFor(t, 2)
		equal(t, "frames", r.seqs(), []int64{-1, 2})
	}
	cancel()
	for range n {
		if err := testwait.Recv(t, ended, "streams to end"); !errors.Is(err, context.Canceled) {
			t.Fatalf("stream ended with %v, want context.Canceled", err)
		}
	}
}

// Events that are ready together reach a socket as one message (one message's message.created
// and chat.updated are committed at once): a replay, and live events that came while the socket
// was still writing the one before.
func TestEventsReadyTogetherGoInOneMessage(t *testing.T) {
	e := newEnv(t, events.Options{PollEvery: time.Hour})
	e.appendN(t, 2)
	replay := newRecorder()
	e.serve(t, ptr(0), everything, replay)
	replay.waitFor(t, 3)
	equal(t, "replay", replay.seqs(), []int64{-1, 1, 2})
	if fmt.Sprint(replay.sizes) != "[1 2]" {
		t.Fatalf("replay sent messages of %v frames, want [1 2] (the hello, then both events at once)", replay.sizes)
	}

	busy := newRecorder()
	busy.block = make(chan struct{})
	writing := make(chan struct{}, 1)
	go serve(t.Context(), e.hub, events.Stream{WorkspaceID: e.ws, View: everything,
		Send: func(ctx context.Context, f any) error {
			if _, hello := f.(events.Hello); !hello {
				writing <- struct{}{}
			}
			return busy.send(ctx, f)
		}})
	witness := newRecorder()
	e.serve(t, nil, everything, witness)
	busy.waitFor(t, 1)
	witness.waitFor(t, 1)
	e.appendN(t, 1) // seq 3: the busy socket is writing it
	testwait.Recv(t, writing, "the busy socket to write seq 3")
	e.appendN(t, 2) // 4 and 5 wait for that write
	witness.waitFor(t, 4)
	close(busy.block)
	busy.waitFor(t, 4)
	equal(t, "busy socket", busy.seqs(), []int64{-1, 3, 4, 5})
	if fmt.Sprint(busy.sizes) != "[1 1 2]" {
		t.Fatalf("busy socket got messages of %v frames, want [1 1 2] (4 and 5 at once)", busy.sizes)
	}
}

// countingLog is the store as the fan-out reads it, counting the reads of events and heads.
type countingLog struct {
	*store.Store
	mu           sync.Mutex
	reads, heads int
}

// EventHead counts a read of the head once it has been read.
func (l *countingLog) EventHead(ctx context.Context, ws string) (int64, error) {
	head, err := l.Store.EventHead(ctx, ws)
	l.mu.Lock()
	l.heads++
	l.mu.Unlock()
	return head, err
}

// serveQuiet starts a stream on a new feed and waits until the feed has looked at the head once
// (as it starts: the subscription's read, the feed's own and the hello's), so that events
// appended afterwards reach it only by a notification.
func (l *countingLog) serveQuiet(t *testing.T, e env, r *recorder) {
	t.Helper()
	e.serve(t, nil, everything, r)
	r.waitFor(t, 1)
	testwait.Until(t, "the feed to read the head as it starts", func() bool {
		l.mu.Lock()
		defer l.mu.Unlock()
		return l.heads >= 3
	})
}

func (l *countingLog) EventsSince(ctx context.Context, ws string, since int64, limit int) ([]hub.Event, error) {
	l.mu.Lock()
	l.reads++
	l.mu.Unlock()
	return l.Store.EventsSince(ctx, ws, since, limit)
}

func (l *countingLog) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.reads
}

// Events this instance commits reach its sockets from the commit's hand-off, without the feed
// reading them back from the log: the hot path of a message from webhook to window.
func TestCommittedEventsReachSocketsWithoutALogRead(t *testing.T) {
	e := newEnv(t, events.Options{PollEvery: time.Hour})
	log := &countingLog{Store: e.st}
	e.hub = events.New(log, events.Options{PollEvery: time.Hour})
	e.st.SetEventNotifier(e.hub.Committed)
	r := newRecorder()
	log.serveQuiet(t, e, r)
	e.appendN(t, 3)
	r.waitFor(t, 4)
	equal(t, "frames", r.seqs(), []int64{-1, 1, 2, 3})
	if n := log.count(); n != 0 {
		t.Fatalf("the feed read the log %d times for events committed here", n)
	}
}

// Handed-over events are forwarded only as a run that follows what was forwarded: concurrent
// transactions (PostgreSQL) announce out of seq order, and an event may be announced after the
// log has already given it. Every event still reaches the socket once, in seq order.
func TestHandOffOutOfOrderKeepsOrderWithoutDuplicates(t *testing.T) {
	e := newEnv(t, events.Options{PollEvery: time.Hour})
	log := &countingLog{Store: e.st}
	e.hub = events.New(log, events.Options{PollEvery: time.Hour})
	r := newRecorder()
	log.serveQuiet(t, e, r)
	e.appendN(t, 6) // logged, not announced yet
	evs, err := e.st.EventsSince(context.Background(), e.ws, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	reads := log.count()
	e.hub.Committed(e.ws, 2, evs[0:2]) // 1 and 2 follow what was forwarded
	r.waitFor(t, 3)
	if log.count() != reads {
		t.Fatal("the feed read the log for events handed over in order")
	}
	e.hub.Committed(e.ws, 4, evs[3:4]) // 4 before 3: the gap is read from the log
	r.waitFor(t, 5)
	if log.count() == reads {
		t.Fatal("the feed forwarded 4 without 3")
	}
	e.hub.Committed(e.ws, 3, evs[2:3]) // 3 comes late: already forwarded
	e.hub.Committed(e.ws, 2, evs[0:2]) // and twice
	e.hub.Committed(e.ws, 6, evs[4:6])
	r.waitFor(t, 7)
	equal(t, "frames", r.seqs(), []int64{-1, 1, 2, 3, 4, 5, 6})
}
