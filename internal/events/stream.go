package events

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
)

// ErrSlow ends a stream whose subscriber fell too far behind; the client reconnects with since.
var ErrSlow = errors.New("events: subscriber too slow, dropped")

// ErrNoPong ends a stream whose peer did not answer a ping: it is gone, or a proxy dropped it.
var ErrNoPong = errors.New("events: no answer to a ping")

// View decides what one employee sees of an event: the frame's data, or ok=false when the
// event is not theirs to see.
type View func(ctx context.Context, e hub.Event) (data json.RawMessage, ok bool, err error)

// Stream is one socket's conversation: which workspace, where the client left off, what it may
// see and how a frame is written.
type Stream struct {
	WorkspaceID string
	// Since is the last seq the client has; nil for a fresh start (no replay).
	Since *int64
	View  View
	// Send writes one WebSocket message: a Hello, a Resync, a Frame, or Frames (events that were
	// ready together, in seq order, written as one message); it blocks until written or failed.
	Send func(ctx context.Context, msg any) error
	// Ping, when set, is called every PingEvery between frames and must return once the peer
	// answered (or fail), so dead peers and idle proxies are found without a goroutine of
	// their own.
	Ping      func(ctx context.Context) error
	PingEvery time.Duration
}

// Hello is the first frame: the workspace's current head.
type Hello struct {
	Type string `json:"type"` // "hello"
	Seq  int64  `json:"seq"`
}

// Resync tells the window the log no longer reaches back to its since: reload everything.
type Resync struct {
	Type string `json:"type"` // "resync"
}

// Frame is one event as a socket sends it.
type Frame struct {
	Seq    int64           `json:"seq"`
	Type   string          `json:"type"`
	ChatID *string         `json:"chat_id"`
	Data   json.RawMessage `json:"data"`
}

// Frames are events that were ready together (one message's message.created and chat.updated,
// committed at once; a replay), sent as one WebSocket message holding a JSON array: one write
// per socket instead of one per event. Never fewer than two.
type Frames []Frame

// Bounds of one Frames message: a long replay goes as several.
const (
	maxFrames    = 64
	maxFrameData = 64 << 10 // bytes of data
)

// Start runs st until ctx ends, a write fails, a ping goes unanswered (ErrNoPong) or the
// subscriber is dropped (ErrSlow), and then calls done once with why. Every event after since
// that View lets through is sent exactly once, in seq order: replay and gaps are read from the
// log, the feed's recent events only hurry things along. The stream has a goroutine only while
// it has something to do (its hello and replay, new events, a ping), so an idle socket costs
// its reader and a few hundred bytes here.
func (h *Fanout) Start(ctx context.Context, st Stream, done func(error)) {
	s := &stream{h: h, st: st, done: done}
	s.ctx, s.cancel = context.WithCancelCause(ctx)
	s.kick()
}

// stream is one running Stream. Its work runs in run, on one goroutine at a time.
type stream struct {
	h      *Fanout
	st     Stream
	ctx    context.Context
	cancel context.CancelCauseFunc
	done   func(error)

	mu      sync.Mutex
	running bool // a goroutine is in run
	pending bool // something happened since run last looked

	pingDue atomic.Bool
	// Owned by the goroutine in run.
	sub     *Subscriber
	last    int64
	ping    *time.Timer
	stopCtx func() bool
	over    bool
	out     Frames // queued for the next message
	outSize int    // bytes of data in out
}

// kick has run look at the stream: it starts a goroutine unless one is already in run.
func (s *stream) kick() {
	s.mu.Lock()
	if s.running {
		s.pending = true
		s.mu.Unlock()
		return
	}
	s.running = true
	s.mu.Unlock()
	go s.run()
}

func (s *stream) run() {
	for {
		if !s.over {
			if err := s.step(); err != nil {
				s.finish(err)
			}
		}
		s.mu.Lock()
		if !s.pending {
			s.running = false
			s.mu.Unlock()
			return
		}
		s.pending = false
		s.mu.Unlock()
	}
}

func (s *stream) step() error {
	if err := s.ctx.Err(); err != nil {
		return err
	}
	if s.sub == nil {
		return s.start()
	}
	if s.pingDue.Swap(false) {
		if err := s.st.Ping(s.ctx); err != nil {
			return fmt.Errorf("%w: %v", ErrNoPong, err)
		}
		s.ping.Reset(s.st.PingEvery)
	}
	return s.forward()
}

// start subscribes, then sends the hello and the replay. A dropped subscriber's write in
// progress is abandoned too (its context is cancelled), so a stalled socket is cut off at once
// rather than at its write deadline.
func (s *stream) start() error {
	sub, err := s.h.subscribe(s.ctx, s.st.WorkspaceID, func() { s.cancel(ErrSlow) }, s.kick) // before reading the head: nothing slips between
	if err != nil {
		return err
	}
	s.sub = sub
	s.stopCtx = context.AfterFunc(s.ctx, s.kick)
	if s.st.Ping != nil && s.st.PingEvery > 0 {
		s.ping = time.AfterFunc(s.st.PingEvery, func() {
			s.pingDue.Store(true)
			s.kick()
		})
	}
	head, err := s.h.log.EventHead(s.ctx, s.st.WorkspaceID)
	if err != nil {
		return fmt.Errorf("events: head: %w", err)
	}
	if err := s.st.Send(s.ctx, Hello{Type: "hello", Seq: head}); err != nil {
		return err
	}
	s.last = head
	if s.st.Since != nil {
		if s.last, err = s.h.replayStart(s.ctx, s.st, head); err != nil {
			return err
		}
		if err := s.catchUp(head); err != nil {
			return err
		}
	}
	return s.forward()
}

// forward sends what the feed has forwarded since last, the events that are ready together in
// one message.
func (s *stream) forward() error {
	for _, e := range s.sub.After(s.last) {
		// Events older than the feed keeps, between last and e, come from the log.
		if err := s.catchUp(e.Seq - 1); err != nil {
			return err
		}
		if e.Seq != s.last+1 {
			continue // catchUp came further than e
		}
		if err := s.add(e); err != nil {
			return err
		}
	}
	return s.flush()
}

// catchUp queues the events after last up to upTo, read from the log.
func (s *stream) catchUp(upTo int64) error {
	for s.last < upTo {
		evs, err := s.h.log.EventsSince(s.ctx, s.st.WorkspaceID, s.last, batch)
		if err != nil {
			return fmt.Errorf("events: replay: %w", err)
		}
		if len(evs) == 0 {
			return nil
		}
		for _, e := range evs {
			if err := s.add(e); err != nil {
				return err
			}
		}
	}
	return nil
}

// add queues e for the next message, if the View lets it through, and counts it as dealt with;
// a full message is sent at once.
func (s *stream) add(e hub.Event) error {
	data, ok, err := s.st.View(s.ctx, e)
	if err != nil {
		return fmt.Errorf("events: view seq %d: %w", e.Seq, err)
	}
	s.last = e.Seq
	if !ok {
		return nil
	}
	f := Frame{Seq: e.Seq, Type: e.Type, Data: data}
	if e.ChatID != "" {
		f.ChatID = &e.ChatID
	}
	s.out = append(s.out, f)
	if s.outSize += len(data); len(s.out) >= maxFrames || s.outSize >= maxFrameData {
		return s.flush()
	}
	return nil
}

// flush sends the queued frames, one alone as a Frame, and then counts the stream as having
// taken everything up to last (how far behind it is counts from what it has written).
func (s *stream) flush() error {
	var err error
	switch len(s.out) {
	case 0:
	case 1:
		err = s.st.Send(s.ctx, s.out[0])
	default:
		err = s.st.Send(s.ctx, s.out)
	}
	clear(s.out) // the data is shared with other sockets; let it go with the event
	s.out, s.outSize = s.out[:0], 0
	if cap(s.out) > 4 {
		s.out = nil // a replay's room is not kept by an idle socket
	}
	if err == nil && s.sub != nil {
		s.sub.Took(s.last)
	}
	return err
}

func (s *stream) finish(err error) {
	s.over = true
	if context.Cause(s.ctx) == ErrSlow {
		err = ErrSlow
	}
	s.cancel(nil)
	if s.sub != nil {
		s.sub.Close()
		s.stopCtx()
	}
	if s.ping != nil {
		s.ping.Stop()
	}
	s.done(err)
}

// replayStart checks the log still reaches back to since; when it does not (pruned, or a since
// from the future), it sends one resync and the stream goes on from the head.
func (h *Fanout) replayStart(ctx context.Context, st Stream, head int64) (int64, error) {
	since := *st.Since
	if since == head {
		return head, nil
	}
	oldest, err := h.log.OldestEvent(ctx, st.WorkspaceID)
	if err != nil {
		return 0, fmt.Errorf("events: oldest: %w", err)
	}
	if since < 0 || since > head || oldest == 0 || oldest > since+1 {
		return head, st.Send(ctx, Resync{Type: "resync"})
	}
	return since, nil
}
