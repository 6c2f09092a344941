package messengers

import (
	"context"
	"strconv"

	"github.com/switchboardhq/switchboard/internal/channel/telegram"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/sandbox/botapi"
)

// chatLister lists a connection's chats.
type chatLister interface {
	ChatsOfConnection(ctx context.Context, workspaceID, connectionID string) ([]hub.Chat, error)
}

// Remember tells the stand-ins about conversations the hub has that they did not carry (the
// demo history, written straight into the hub's database; chats of an older sandbox), as the
// real providers would know them: a WABA customer's last message opens the 24-hour window from
// that time, and a Telegram user who wrote to the bot (or started the MAX bot and did not stop
// it) can be written to. What the stand-ins know already is kept.
func (s *Sandbox) Remember(ctx context.Context, st chatLister, conns []hub.Connection) error {
	for _, c := range conns {
		chats, err := st.ChatsOfConnection(ctx, c.WorkspaceID, c.ID)
		if err != nil {
			return err
		}
		for _, ch := range chats {
			switch {
			case c.Kind == hub.KindWABA && !ch.LastInboundAt.IsZero():
				s.Graph.CustomerWrote(c.ExternalID, ch.ExternalChatID, ch.LastInboundAt)
			case c.Kind == hub.KindTelegramBot && ch.Kind == hub.ChatPrivate:
				id, err := strconv.ParseInt(ch.ExternalChatID, 10, 64)
				if err != nil {
					continue
				}
				s.BotAPI.Register(botapi.Bot{ID: BotID, Username: BotUsername, Name: botName,
					Token: c.Secrets[telegram.SecretBotToken]}, botapi.Chat{ID: id, Type: "private"})
			case c.Kind == hub.KindMaxBot && ch.Kind == hub.ChatPrivate:
				if id, err := strconv.ParseInt(ch.ExternalChatID, 10, 64); err == nil {
					s.MaxAPI.Remember(MaxBotToken(c), id, !ch.StoppedAt.IsZero())
				}
			}
		}
	}
	return nil
}
