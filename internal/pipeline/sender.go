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
	ClaimDue(ctx context.Context, owner string, now time.Time, lease time.Duration, limit int) ([]store.OutboxItem, error)
	RenewSend(ctx context.Context, owner, messageID string, until time.Time) error
	MarkSent(ctx context.Context, workspaceID, messageID, providerKey string) (hub.Message, error)
	MarkFailed(ctx context.Context, workspaceID, messageID, code, reason string) (hub.Message, error)
	Reschedule(ctx context.Context, workspaceID, messageID string, at time.Time, lastErr string) error
	RecoverSending(ctx context.Context, now time.Time, code, reason string) (int, error)
	Connection(ctx context.Context, workspaceID, id string) (hub.Connection, error)
	SetConnectionStatus(ctx context.Context, workspaceID, id, status, detail string) error
	RecordHealth(ctx context.Context, connectionID, event string, at time.Time, detail string) error
	Chat(ctx context.Context, workspaceID, id string) (hub.Chat, error)
	Message(ctx context.Context, workspaceID, id string) (hub.Message, error)
	Template(ctx context.Context, workspaceID, id string) (hub.Template, error)
	Employee(ctx context.Context, workspaceID, id string) (hub.Employee, error)
	ClaimReaction(ctx context.Context, owner string, now time.Time, lease time.Duration) (store.ReactionJob, bool, error)
	FinishReaction(ctx context.Context, j store.ReactionJob) error
	RescheduleReaction(ctx context.Context, j store.ReactionJob, at time.Time, lastErr string) error
	DropReaction(ctx context.Context, j store.ReactionJob) (hub.Message, error)
}

// mediaReader reads stored files.
type mediaReader interface {
	Read(ctx context.Context, key string) ([]byte, error)
}

// CodeOutcomeUnknown is the reason of a message a crash caught mid-call.
const CodeOutcomeUnknown = channel.CodeOutcomeUnknown

// Sender delivers queued messages and the business's reactions (DrainReactions). Each is claimed (marked sending, with a lease the sender
// renews) before the provider call, and the provider's answer is recorded before anything else
// happens; a message whose sender's lease ran out mid-call is failed as "outcome unknown" rather
// than sent twice. Several instances share the outbox.
type Sender struct {
	Store    senderStore
	Media    mediaReader
	Adapters *Adapters
	Wake     <-chan struct{}
	Poll     time.Duration // default 1 s
	Claims
	// MaxAttempts for transient errors before the message fails; default 8.
	MaxAttempts int
	// Backoff is the delay before attempt n+1 after n transient failures; default exponential
	// from 2 s, capped at 10 minutes.
	Backoff func(attempts int) time.Duration
	// RecordRetry is the delay before writing an outcome again after the database refused it
	// (attempt from 1); default from 200 ms doubling to 30 s, with jitter.
	RecordRetry func(attempt int) time.Duration
	// Grace is how long a provider call in flight may still run after Run was told to stop
	// (a deploy restarting the instance), so its outcome is known; default 15 s. Run returns
	// once that call is over.
	Grace time.Duration
}

// recordGrace is how long an outcome is still written after the sender was told to stop: the
// provider has answered, and losing that answer would turn a sent message into "outcome unknown".
const recordGrace = 10 * time.Second

// Recover fails the messages whose sender's lease ran out mid-call (a crashed or cut-off
// instance); messages other instances are sending are left alone. Run calls it at start and
// on every poll.
func (s *Sender) Recover(ctx context.Context) error {
	n, err := s.Store.RecoverSending(ctx, s.now(), CodeOutcomeUnknown, i18n.T("en", "error."+CodeOutcomeUnknown))
	if n > 0 {
		slog.Warn("sender: messages whose sender stopped mid-call marked failed (outcome unknown)", "count", n)
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
		for s.Drain(ctx)+s.DrainReactions(ctx) > 0 {
		}
		select {
		case <-ctx.Done():
			return nil
		case <-s.Wake:
		case <-t.C:
			if err := s.Recover(ctx); err != nil && ctx.Err() == nil {
				slog.Error("sender: recover", "err", err)
			}
		}
	}
}

// Drain claims and sends the next due message and returns how many it claimed (0 or 1). One at
// a time, because a claimed message counts as mid-call: once its lease is over, anything
// claimed and not finished is failed as outcome unknown, so claiming a batch would fail
// messages never sent.
func (s *Sender) Drain(ctx context.Context) int {
	items, err := s.Store.ClaimDue(ctx, s.owner(), s.now(), s.lease(), 1)
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
	// What follows the claim outlives a stop (ctx): the call for Grace, the lease and the
	// outcome's record for as long as they take.
	bg := context.WithoutCancel(ctx)
	stop := s.hold(bg, "send "+m.ID, func(ctx context.Context, until time.Time) error {
		return s.Store.RenewSend(ctx, s.owner(), m.ID, until)
	})
	defer stop()
	// The call outlives a stop by Grace: cut off, its outcome would be unknown.
	callCtx, cancel := context.WithCancel(bg)
	defer cancel()
	stopCut := context.AfterFunc(ctx, func() { time.AfterFunc(s.grace(), cancel) })
	defer stopCut()
	key, err := s.send(callCtx, m)
	if err == nil {
		s.record(ctx, m.ID, "mark sent", func(ctx context.Context) error {
			_, err := s.Store.MarkSent(ctx, m.WorkspaceID, m.ID, key)
			return err
		})
		return
	}
	if callCtx.Err() != nil {
		// Cut off mid-call by a stop: whether it went out is unknown. The message stays
		// sending, and once the lease has run out Recover fails it with that reason rather
		// than sending it twice.
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
		s.record(ctx, m.ID, "reschedule", func(ctx context.Context) error {
			return s.Store.Reschedule(ctx, m.WorkspaceID, m.ID, s.now().Add(wait), ce.Error())
		})
		return
	}
	if ce.Code == channel.CodeAuthFailed {
		if err := s.Store.SetConnectionStatus(bg, m.WorkspaceID, m.ConnectionID, hub.StatusAuthFailed, ce.Detail); err != nil {
			slog.Error("sender: connection status", "connection", m.ConnectionID, "err", err)
		}
	}
	slog.Info("sender: message failed", "message", m.ID, "code", ce.Code, "err", ce)
	if ce.Code != hub.RefuseConnectionDisabled { // the admin's choice, not the provider failing
		if err := s.Store.RecordHealth(bg, m.ConnectionID, store.HealthSendFailed, s.now(), ce.Code); err != nil {
			slog.Error("sender: connection health", "connection", m.ConnectionID, "err", err)
		}
	}
	reason := ce.Reason(s.lang(bg, m))
	s.record(ctx, m.ID, "mark failed", func(ctx context.Context) error {
		_, err := s.Store.MarkFailed(ctx, m.WorkspaceID, m.ID, ce.Code, reason)
		return err
	})
}

// record writes a send's outcome, trying again with backoff while the database refuses it: the
// outcome exists only in memory until it lands. The claim's lease is renewed meanwhile; after
// a stop it keeps trying for recordGrace, then leaves the message to the lease's expiry.
func (s *Sender) record(ctx context.Context, messageID, what string, write func(ctx context.Context) error) {
	bg := context.WithoutCancel(ctx)
	stopping := ctx.Done()
	var grace <-chan time.Time
	for attempt := 1; ; attempt++ {
		err := write(bg)
		if err == nil || errors.Is(err, store.ErrNotFound) {
			return
		}
		if grace == nil && ctx.Err() != nil {
			grace, stopping = time.After(recordGrace), nil
		}
		wait := s.recordRetry(attempt)
		slog.Error("sender: outcome not recorded yet, retrying", "what", what, "message", messageID, "attempt", attempt, "in", wait, "err", err)
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-stopping:
			t.Stop()
			grace, stopping = time.After(recordGrace), nil
		case <-grace:
			t.Stop()
			slog.Error("sender: stopping with an outcome not recorded; it becomes outcome unknown when the lease runs out",
				"what", what, "message", messageID)
			return
		}
	}
}

func (s *Sender) grace() time.Duration {
	if s.Grace > 0 {
		return s.Grace
	}
	return 15 * time.Second
}

func (s *Sender) recordRetry(attempt int) time.Duration {
	if s.RecordRetry != nil {
		return s.RecordRetry(attempt)
	}
	return backoff(200*time.Millisecond, 30*time.Second, attempt)
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

// providerCallTimeout bounds one provider call; the claim's lease is renewed throughout.
const providerCallTimeout = 60 * time.Second

func (s *Sender) send(ctx context.Context, m hub.Message) (string, error) {
	conn, err := s.Store.Connection(ctx, m.WorkspaceID, m.ConnectionID)
	if err != nil {
		return "", hubError(err)
	}
	if conn.Disabled() {
		// Switched off after the message was queued: it fails, nothing goes to the provider.
		return "", channel.Permanent(hub.RefuseConnectionDisabled, "", "")
	}
	ad, err := s.Adapters.For(conn)
	if err != nil {
		return "", channel.Permanent(channel.CodeNotSupported, "", err.Error())
	}
	out, err := s.outgoing(ctx, m)
	if err != nil {
		return "", err
	}
	callCtx, cancel := context.WithTimeout(ctx, providerCallTimeout)
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
