package messaging

import (
	"context"
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/switchboardhq/switchboard/internal/apierr"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

// Signals sends what is not a message to a chat's messenger at once: nothing is queued,
// since a "typing…" that arrives late is worse than none.
type Signals interface {
	Typing(ctx context.Context, conn hub.Connection, chat hub.Chat) error
}

// maxEmoji bounds a reaction: one emoji, with its modifiers and joiners (a family is 25 bytes).
const maxEmoji = 32

// React puts the business's reaction on a message of the chat as the actor ("" takes it off):
// the window shows it at once and the sender delivers it. The messengers treat a reaction as a
// free-form message, so the send refusals apply (blacklist, subscription, WhatsApp's 24-hour
// window); a message that never reached the messenger has nothing there to react on.
func (s *Service) React(ctx context.Context, who Actor, chatID, messageID, emoji string) (hub.Message, error) {
	chat, contact, err := s.VisibleChat(ctx, who, chatID)
	if err != nil {
		return hub.Message{}, err
	}
	if !isEmoji(emoji) {
		return hub.Message{}, apierr.BadRequest.Because(errors.New(`emoji: one emoji, or "" to take the reaction off`))
	}
	m, err := s.Store.Message(ctx, who.Workspace.ID, messageID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && m.ChatID != chat.ID) {
		return m, apierr.NotFound
	} else if err != nil {
		return m, err
	}
	if m.ProviderKey == "" {
		return m, apierr.NotReactable
	}
	conn, err := s.Store.Connection(ctx, who.Workspace.ID, chat.ConnectionID)
	if err != nil {
		return m, err
	}
	switch code := hub.ReactRefusal(who.Workspace, conn, chat, contact != nil && contact.Blocked, s.now()); code {
	case "":
	case hub.RefuseNoReactions:
		return m, apierr.ReactionsNotSupported
	default:
		return m, refusals[code]
	}
	m, err = s.Store.SetBusinessReaction(ctx, who.Workspace.ID, m.ID, who.Employee.ID, emoji, s.now())
	if err == nil {
		s.wake()
	}
	return m, err
}

// isEmoji accepts "" (no reaction) or one short run of symbols without letters, digits or
// spaces: what the messengers take as a reaction. Which emoji a messenger allows is its own
// rule; it refuses the rest, and the reaction is then taken off.
func isEmoji(s string) bool {
	if s == "" {
		return true
	}
	if len(s) > maxEmoji || !utf8.ValidString(s) {
		return false
	}
	return !strings.ContainsFunc(s, func(r rune) bool {
		keycap := r == '#' || r == '*' || ('0' <= r && r <= '9') // the base of 1️⃣ and its kind
		return (r < 0x80 && !keycap) || unicode.IsLetter(r) || unicode.IsSpace(r) || unicode.IsControl(r)
	})
}

// Typing tells the chat's customer that the actor is typing. Only the blacklist and the
// subscription stop it; a messenger without the signal answers not supported.
func (s *Service) Typing(ctx context.Context, who Actor, chatID string) error {
	chat, contact, err := s.VisibleChat(ctx, who, chatID)
	if err != nil {
		return err
	}
	if s.Signals == nil {
		return apierr.Unavailable.Because(errors.New("this hub sends no typing signals (no channel signals configured)"))
	}
	conn, err := s.Store.Connection(ctx, who.Workspace.ID, chat.ConnectionID)
	if err != nil {
		return err
	}
	if code := hub.SignalRefusal(who.Workspace, conn, chat, contact != nil && contact.Blocked, s.now()); code != "" {
		return refusals[code]
	}
	return s.Signals.Typing(ctx, conn, chat)
}
