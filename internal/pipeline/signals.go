package pipeline

import (
	"context"
	"time"

	"github.com/switchboardhq/switchboard/internal/apierr"
	"github.com/switchboardhq/switchboard/internal/channel"
	"github.com/switchboardhq/switchboard/internal/hub"
)

// signalStore is what Signals reads.
type signalStore interface {
	LastInboundKey(ctx context.Context, workspaceID, chatID string) (string, error)
}

// Signals sends "typing…" to a chat's messenger at once, through the connection's adapter
// (messaging.Signals). Nothing is queued or retried: a late typing signal is worse than none.
type Signals struct {
	Store    signalStore
	Adapters *Adapters
}

// signalTimeout bounds one typing call: past it the moment has gone.
const signalTimeout = 10 * time.Second

// Typing asks the messenger to show the business typing. A messenger without the signal is
// apierr.TypingNotSupported; one that is down or refuses is apierr.SignalFailed.
func (s Signals) Typing(ctx context.Context, conn hub.Connection, chat hub.Chat) error {
	ad, err := s.Adapters.For(conn)
	if err != nil {
		return apierr.TypingNotSupported.Because(err)
	}
	last, err := s.Store.LastInboundKey(ctx, chat.WorkspaceID, chat.ID)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, signalTimeout)
	defer cancel()
	err = ad.Typing(ctx, chat.ExternalChatID, last)
	if err == nil {
		return nil
	}
	if ce := channel.Classify(err); ce.Code == channel.CodeNotSupported {
		return apierr.TypingNotSupported.Because(err)
	}
	return apierr.SignalFailed.Because(err)
}
