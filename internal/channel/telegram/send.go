package telegram

import (
	"context"
	"strconv"
	"strings"

	"github.com/switchboardhq/switchboard/internal/channel"
	"github.com/switchboardhq/switchboard/internal/hub"
)

// Key is the hub's provider key of a Telegram message: message ids are unique only within a
// chat, so the chat id goes with it.
func Key(chatID int64, messageID int) string {
	return strconv.FormatInt(chatID, 10) + ":" + strconv.Itoa(messageID)
}

// splitKey reads a provider key back; ok=false for anything else.
func splitKey(key string) (chatID string, messageID int, ok bool) {
	c, m, found := strings.Cut(key, ":")
	if !found {
		return "", 0, false
	}
	id, err := strconv.Atoi(m)
	return c, id, err == nil
}

type sentMessage struct {
	MessageID int `json:"message_id"`
	Chat      struct {
		ID int64 `json:"id"`
	} `json:"chat"`
}

// Send delivers text with sendMessage and files with the method of their kind (as multipart).
func (a *Adapter) Send(ctx context.Context, m channel.Outgoing) (string, error) {
	if m.Template != nil {
		return "", channel.Permanent(channel.CodeNotSupported, "", "Telegram bots have no message templates")
	}
	fields := map[string]string{"chat_id": m.To}
	if _, id, ok := splitKey(m.ReplyToKey); ok {
		fields["reply_to_message_id"] = strconv.Itoa(id)
	}
	var res sentMessage
	var err error
	if m.File == nil {
		params := map[string]any{"chat_id": m.To, "text": m.Text}
		if id, ok := fields["reply_to_message_id"]; ok {
			n, _ := strconv.Atoi(id)
			params["reply_parameters"] = map[string]any{"message_id": n, "allow_sending_without_reply": true}
		}
		err = a.call(ctx, "sendMessage", params, &res)
	} else {
		method, field := fileMethod(m.Type)
		if m.Text != "" {
			fields["caption"] = m.Text
		}
		err = a.callFile(ctx, method, fields, field, *m.File, &res)
	}
	if err != nil {
		return "", err
	}
	return Key(res.Chat.ID, res.MessageID), nil
}

func fileMethod(t string) (method, field string) {
	switch t {
	case hub.TypeImage:
		return "sendPhoto", "photo"
	case hub.TypeVideo:
		return "sendVideo", "video"
	case hub.TypeVoice:
		return "sendVoice", "voice"
	case hub.TypeAudio:
		return "sendAudio", "audio"
	case hub.TypeSticker:
		return "sendSticker", "sticker"
	}
	return "sendDocument", "document"
}

// Typing shows "typing…" under the bot's name (sendChatAction; Telegram clears it after 5 s or
// at the bot's next message).
func (a *Adapter) Typing(ctx context.Context, to, lastInbound string) error {
	return a.call(ctx, "sendChatAction", map[string]any{"chat_id": to, "action": "typing"}, nil)
}

// React sets the bot's emoji on a message ("" clears it).
func (a *Adapter) React(ctx context.Context, to, providerKey, emoji string) error {
	_, id, ok := splitKey(providerKey)
	if !ok {
		return channel.Permanent(channel.CodeRejected, "", "not a Telegram message key: "+providerKey)
	}
	reaction := []map[string]string{}
	if emoji != "" {
		reaction = append(reaction, map[string]string{"type": "emoji", "emoji": emoji})
	}
	return a.call(ctx, "setMessageReaction", map[string]any{"chat_id": to, "message_id": id, "reaction": reaction}, nil)
}
