package events

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
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
	// Send writes one frame (hello, resync or event); it blocks until written or failed.
	Send func(ctx context.Context, frame any) error
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

// Serve runs st until ctx ends, a write fails, a ping goes unanswered (ErrNoPong) or the
// subscriber is dropped (ErrSlow). Every event after since that View lets through is sent
// exactly once, in seq order: replay and gaps are read from the log, the feed's recent events
// only hurry things along. An idle stream is this one goroutine waiting.
func (h *Fanout) Serve(ctx context.Context, st Stream) error {
	// A dropped subscriber's write in progress is abandoned too, so a stalled socket is cut off
	// at once rather than at its write deadline.
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	sub, err := h.subscribe(ctx, st.WorkspaceID, func() { cancel(ErrSlow) }) // before reading the head: nothing slips between
	if err != nil {
		return err
	}
	defer sub.Close()
	err = h.serve(ctx, st, sub)
	if context.Cause(ctx) == ErrSlow {
		return ErrSlow
	}
	return err
}

func (h *Fanout) serve(ctx context.Context, st Stream, sub *Subscriber) error {
	head, err := h.log.EventHead(ctx, st.WorkspaceID)
	if err != nil {
		return fmt.Errorf("events: head: %w", err)
	}
	if err := st.Send(ctx, Hello{Type: "hello", Seq: head}); err != nil {
		return err
	}
	last := head
	if st.Since != nil {
		if last, err = h.replayStart(ctx, st, head); err != nil {
			return err
		}
		if last, err = h.catchUp(ctx, st, last, head); err != nil {
			return err
		}
	}
	sub.Took(last)
	var ping <-chan time.Time
	if st.Ping != nil && st.PingEvery > 0 {
		t := time.NewTicker(st.PingEvery)
		defer t.Stop()
		ping = t.C
	}
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-ping:
			if err := st.Ping(ctx); err != nil {
				return fmt.Errorf("%w: %v", ErrNoPong, err)
			}
		case <-sub.Wake():
			for _, e := range sub.After(last) {
				// Events older than the feed keeps, between last and e, come from the log.
				if last, err = h.catchUp(ctx, st, last, e.Seq-1); err != nil {
					return err
				}
				if e.Seq != last+1 {
					continue // catchUp came further than e
				}
				if err := h.send(ctx, st, e); err != nil {
					return err
				}
				last = e.Seq
			}
			sub.Took(last)
		}
	}
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

// catchUp sends the events after last up to upTo from the log and returns the new last.
func (h *Fanout) catchUp(ctx context.Context, st Stream, last, upTo int64) (int64, error) {
	for last < upTo {
		evs, err := h.log.EventsSince(ctx, st.WorkspaceID, last, batch)
		if err != nil {
			return last, fmt.Errorf("events: replay: %w", err)
		}
		if len(evs) == 0 {
			return last, nil
		}
		for _, e := range evs {
			if err := h.send(ctx, st, e); err != nil {
				return last, err
			}
			last = e.Seq
		}
	}
	return last, nil
}

func (h *Fanout) send(ctx context.Context, st Stream, e hub.Event) error {
	data, ok, err := st.View(ctx, e)
	if err != nil {
		return fmt.Errorf("events: view seq %d: %w", e.Seq, err)
	}
	if !ok {
		return nil
	}
	f := Frame{Seq: e.Seq, Type: e.Type, Data: data}
	if e.ChatID != "" {
		f.ChatID = &e.ChatID
	}
	return st.Send(ctx, f)
}
