package scale

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

// longKept is how many of the long chats (the plan puts them first) Result names.
const longKept = 10

func (g *gen) chats(ctx context.Context) error {
	b := store.Bulk{WorkspaceID: g.res.WorkspaceID}
	for i := range g.size.Chats {
		c := g.contact[i]
		conn := g.res.WABA
		if onTelegram(int(c)) != g.second[i] {
			conn = g.res.Bot
		}
		chat := hub.Chat{ID: store.NewID(), WorkspaceID: g.res.WorkspaceID, ConnectionID: conn.ID,
			Kind: hub.ChatPrivate, ContactID: g.contactIDs[c], ExternalChatID: g.external(int(c), conn),
			LastActivityAt: time.UnixMilli(g.activity[i]), CreatedAt: g.now.Add(-span)}
		msgs := g.history(chat, int(g.messages[i]), g.unanswered[i])
		if n := len(msgs); n > 0 {
			last := msgs[n-1]
			chat.LastMessage = &last
			for _, m := range slices.Backward(msgs) {
				if m.Direction == hub.DirIn {
					chat.LastInboundAt = m.CreatedAt
					break
				}
			}
		}
		if g.unanswered[i] {
			chat.UnansweredCount = 1
		}
		if i < longKept {
			g.res.LongestChats = append(g.res.LongestChats, chat.ID)
		}
		b.Chats = append(b.Chats, chat)
		b.Messages = append(b.Messages, msgs...)
		if len(b.Chats)+len(b.Messages) >= batchRows {
			if err := g.flush(ctx, &b); err != nil {
				return err
			}
		}
	}
	return g.flush(ctx, &b)
}

func (g *gen) external(contact int, conn hub.Connection) string {
	if conn.Kind == hub.KindTelegramBot {
		return strconv.Itoa(5_000_000_000 + contact)
	}
	return strconv.Itoa(79_100_000_000 + contact)
}

// history makes n messages ending at the chat's last activity, a few minutes to a few hours
// apart; an unanswered chat ends with the customer's message, others with either side.
func (g *gen) history(chat hub.Chat, n int, unanswered bool) []hub.Message {
	out := make([]hub.Message, n)
	at := chat.LastActivityAt
	for k := n - 1; k >= 0; k-- {
		dir := hub.DirOut
		if g.r.IntN(2) == 0 || (k == n-1 && unanswered) {
			dir = hub.DirIn
		}
		m := hub.Message{ID: store.NewID(), WorkspaceID: chat.WorkspaceID, ChatID: chat.ID,
			ConnectionID: chat.ConnectionID, Direction: dir, Type: hub.TypeText,
			Text: phrases[g.r.IntN(len(phrases))], Status: hub.StatusReceived, CreatedAt: at, UpdatedAt: at}
		if dir == hub.DirOut {
			m.Status, m.AuthorName = hub.StatusRead, "Generated agent"
		}
		out[k] = m
		at = at.Add(-time.Duration(1+g.r.IntN(240)) * time.Minute)
	}
	return out
}
