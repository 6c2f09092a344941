package pipeline

import (
	"context"
	"log/slog"

	"github.com/switchboardhq/switchboard/internal/channel"
	"github.com/switchboardhq/switchboard/internal/store"
)

// DrainReactions delivers the next due business reaction and returns how many it claimed (0 or
// 1). A reaction is idempotent (it sets the emoji), so unlike a message one whose sender died
// mid-call is simply sent again once its lease has run out; transient failures are retried
// without limit, since a newer reaction replaces an old one in the queue rather than piling up.
// One the messenger refuses is taken off the message, so the window shows what the customer
// sees.
func (s *Sender) DrainReactions(ctx context.Context) int {
	j, ok, err := s.Store.ClaimReaction(ctx, s.owner(), s.now(), s.lease())
	if err != nil {
		if ctx.Err() == nil {
			slog.Error("sender: claim reaction", "err", err)
		}
		return 0
	}
	if !ok {
		return 0
	}
	bg := context.WithoutCancel(ctx)
	err = s.react(bg, j)
	if err == nil {
		s.record(ctx, j.Message.ID, "reaction sent", func(ctx context.Context) error { return s.Store.FinishReaction(ctx, j) })
		return 1
	}
	ce := channel.Classify(err)
	if ce.Transient {
		wait := max(s.backoff(j.Attempts), ce.RetryAfter)
		slog.Warn("sender: reaction will be sent again", "message", j.Message.ID, "attempt", j.Attempts, "in", wait, "err", ce)
		s.record(ctx, j.Message.ID, "reschedule reaction", func(ctx context.Context) error {
			return s.Store.RescheduleReaction(ctx, j, s.now().Add(wait), ce.Error())
		})
		return 1
	}
	slog.Info("sender: reaction refused by the messenger", "message", j.Message.ID, "code", ce.Code, "err", ce)
	s.record(ctx, j.Message.ID, "drop reaction", func(ctx context.Context) error {
		_, err := s.Store.DropReaction(ctx, j)
		return err
	})
	return 1
}

func (s *Sender) react(ctx context.Context, j store.ReactionJob) error {
	m := j.Message
	conn, err := s.Store.Connection(ctx, m.WorkspaceID, m.ConnectionID)
	if err != nil {
		return hubError(err)
	}
	chat, err := s.Store.Chat(ctx, m.WorkspaceID, m.ChatID)
	if err != nil {
		return hubError(err)
	}
	ad, err := s.Adapters.For(conn)
	if err != nil {
		return channel.Permanent(channel.CodeNotSupported, "", err.Error())
	}
	callCtx, cancel := context.WithTimeout(ctx, providerCallTimeout)
	defer cancel()
	return ad.React(callCtx, chat.ExternalChatID, m.ProviderKey, j.Emoji)
}
