package pipeline

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/switchboardhq/switchboard/internal/channel"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/i18n"
	"github.com/switchboardhq/switchboard/internal/store"
)

// senderStore is what the sender needs.
type senderStore interface {
	ClaimDue(ctx context.Context, now time.Time, limit int) ([]store.OutboxItem, error)
	MarkSent(ctx context.Context, workspaceID, messageID, providerKey string) (hub.Message, error)
	MarkFailed(ctx context.Context, workspaceID, messageID, code, reason string) (hub.Message, error)
	Reschedule(ctx context.Context, workspaceID, messageID string, at time.Time, lastErr string) error
	RecoverSending(ctx context.Context, code, reason string) (int, error)
	Connection(ctx context.Context, workspaceID, id string) (hub.Connection, error)
	SetConnectionStatus(ctx context.Context, workspaceID, id, status, detail string) error
	Chat(ctx context.Context, workspaceID, id string) (hub.Chat, error)
	Message(ctx context.Context, workspaceID, id string) (hub.Message, error)
	Template(ctx context.Context, workspaceID, id string) (hub.Template, error)
	Employee(ctx context.Context, workspaceID, id string) (hub.Employee, error)
}

// mediaReader reads stored files.
type mediaReader interface {
	Read(key string) ([]byte, error)
}

// CodeOutcomeUnknown is the reason of a message a crash caught mid-call.
const CodeOutcomeUnknown = channel.CodeOutcomeUnknown

// Sender delivers queued messages. Each is marked sending before the provider call, so after a
// crash RecoverSending fails the ones whose outcome is unknown instead of sending them twice.
type Sender struct {
	Store    senderStore
	Media    mediaReader
	Adapters *Adapters
	Wake     <-chan struct{}
	Poll     time.Duration // default 1 s
	// MaxAttempts for transient errors before the message fails; default 8.
	MaxAttempts int
	// Backoff is the delay before attempt n+1 after n transient failures; default exponential
	// from 2 s, capped at 10 minutes.
	Backoff func(attempts int) time.Duration
}

// Recover fails the messages a previous run left mid-call. Run calls it first.
func (s *Sender) Recover(ctx context.Context) error {
	n, err := s.Store.RecoverSending(ctx, CodeOutcomeUnknown, i18n.T("en", "error."+CodeOutcomeUnknown))
	if n > 0 {
		slog.Warn("sender: messages with unknown outcome after a restart marked failed", "count", n)
	}
	return err
}

// Run sends until ctx ends.
func (s *Sender) Run(ctx context.Context) error {
	if err := s.Recover(ctx); err != nil {
		return err
	}
	poll := s.Poll
	if poll == 0 {
		poll = time.Second
	}
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		for s.Drain(ctx) > 0 {
		}
		select {
		case <-ctx.Done():
			return nil
		case <-s.Wake:
		case <-t.C:
		}
	}
}

// Drain claims and sends the next due message and returns how many it claimed (0 or 1). One at
// a time, because a claimed message counts as mid-call: after a crash, anything claimed and not
// finished is failed as outcome unknown, so claiming a batch would fail messages never sent.
func (s *Sender) Drain(ctx context.Context) int {
	items, err := s.Store.ClaimDue(ctx, time.Now(), 1)
	if err != nil {
		if ctx.Err() == nil {
			slog.Error("sender: claim", "err", err)
		}
		return 0
	}
	for _, it := range items {
		s.deliver(ctx, it)
	}
	return len(items)
}

func (s *Sender) deliver(ctx context.Context, it store.OutboxItem) {
	m := it.Message
	key, err := s.send(ctx, m)
	if ctx.Err() != nil {
		// Stopping mid-call: whether it went out is unknown. The message stays sending, and
		// the next start's Recover fails it with that reason rather than sending it twice.
		return
	}
	if err == nil {
		if _, err := s.Store.MarkSent(ctx, m.WorkspaceID, m.ID, key); err != nil {
			slog.Error("sender: mark sent", "message", m.ID, "err", err)
		}
		return
	}
	ce := channel.Classify(err)
	max := s.MaxAttempts
	if max == 0 {
		max = 8
	}
	if ce.Transient && it.Attempts < max {
		wait := s.backoff(it.Attempts)
		if ce.RetryAfter > wait {
			wait = ce.RetryAfter
		}
		slog.Warn("sender: transient failure, will retry", "message", m.ID, "attempt", it.Attempts, "in", wait, "err", ce)
		if err := s.Store.Reschedule(ctx, m.WorkspaceID, m.ID, time.Now().Add(wait), ce.Error()); err != nil {
			slog.Error("sender: reschedule", "message", m.ID, "err", err)
		}
		return
	}
	if ce.Code == channel.CodeAuthFailed {
		if err := s.Store.SetConnectionStatus(ctx, m.WorkspaceID, m.ConnectionID, hub.StatusAuthFailed, ce.Detail); err != nil {
			slog.Error("sender: connection status", "connection", m.ConnectionID, "err", err)
		}
	}
	slog.Info("sender: message failed", "message", m.ID, "code", ce.Code, "err", ce)
	if _, err := s.Store.MarkFailed(ctx, m.WorkspaceID, m.ID, ce.Code, ce.Reason(s.lang(ctx, m))); err != nil {
		slog.Error("sender: mark failed", "message", m.ID, "err", err)
	}
}

// lang is the author's language, for the reason stored on the message.
func (s *Sender) lang(ctx context.Context, m hub.Message) string {
	if m.AuthorID == "" {
		return "en"
	}
	e, err := s.Store.Employee(ctx, m.WorkspaceID, m.AuthorID)
	if err != nil {
		return "en"
	}
	return e.Lang
}

func (s *Sender) backoff(attempts int) time.Duration {
	if s.Backoff != nil {
		return s.Backoff(attempts)
	}
	d := 2 * time.Second
	for i := 1; i < attempts && d < 10*time.Minute; i++ {
		d *= 2
	}
	return min(d, 10*time.Minute)
}

func (s *Sender) send(ctx context.Context, m hub.Message) (string, error) {
	conn, err := s.Store.Connection(ctx, m.WorkspaceID, m.ConnectionID)
	if err != nil {
		return "", hubError(err)
	}
	ad, err := s.Adapters.For(conn)
	if err != nil {
		return "", channel.Permanent(channel.CodeNotSupported, "", err.Error())
	}
	out, err := s.outgoing(ctx, m)
	if err != nil {
		return "", err
	}
	callCtx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	return ad.Send(callCtx, out)
}

// hubError classifies a failure of the hub's own lookups before any provider call: a record
// that is gone fails the message, anything else (the database busy or restarting) is retried,
// since nothing has been sent yet.
func hubError(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return channel.Permanent(channel.CodeRejected, "", "the message's connection or chat no longer exists")
	}
	return channel.Transient("hub", err.Error(), 0)
}
