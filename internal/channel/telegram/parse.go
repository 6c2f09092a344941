package telegram

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/switchboardhq/switchboard/internal/channel"
	"github.com/switchboardhq/switchboard/internal/hub"
)

type user struct {
	ID        int64  `json:"id"`
	IsBot     bool   `json:"is_bot"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Username  string `json:"username"`
}

type file struct {
	FileID   string `json:"file_id"`
	FileName string `json:"file_name"`
	MIME     string `json:"mime_type"`
	FileSize int64  `json:"file_size"`
	Width    int    `json:"width"`
	Height   int    `json:"height"`
	Duration int64  `json:"duration"`
}

type tgMessage struct {
	MessageID int   `json:"message_id"`
	Date      int64 `json:"date"`
	From      *user `json:"from"`
	Chat      struct {
		ID    int64  `json:"id"`
		Type  string `json:"type"`
		Title string `json:"title"`
	} `json:"chat"`
	Text           string     `json:"text"`
	Caption        string     `json:"caption"`
	Photo          []file     `json:"photo"`
	Voice          *file      `json:"voice"`
	Audio          *file      `json:"audio"`
	Video          *file      `json:"video"`
	VideoNote      *file      `json:"video_note"`
	Document       *file      `json:"document"`
	Sticker        *file      `json:"sticker"`
	ReplyToMessage *tgMessage `json:"reply_to_message"`
	Location       *struct {
		Latitude  float64 `json:"latitude"`
		Longitude float64 `json:"longitude"`
	} `json:"location"`
	Contact *struct {
		PhoneNumber string `json:"phone_number"`
		FirstName   string `json:"first_name"`
		LastName    string `json:"last_name"`
	} `json:"contact"`
}

type update struct {
	UpdateID int             `json:"update_id"`
	Message  *tgMessage      `json:"message"`
	Reaction *reactionUpdate `json:"message_reaction"`
}

// Parse reads one update. New messages from people in private chats and groups become
// messages, and reactions to messages become reactions; edits, channel posts, service updates and bots' own messages carry nothing to store.
func (a *Adapter) Parse(body []byte) (channel.Batch, error) {
	var u update
	var b channel.Batch
	if err := json.Unmarshal(body, &u); err != nil {
		return b, fmt.Errorf("telegram: update: %w", err)
	}
	if u.Reaction != nil {
		if r, ok := reaction(u.Reaction); ok {
			b.Reactions = append(b.Reactions, r)
		}
		return b, nil
	}
	m := u.Message
	if m == nil || m.From == nil || m.From.IsBot || m.MessageID == 0 {
		return b, nil
	}
	in := channel.Inbound{ChatKind: hub.ChatPrivate, ExternalChatID: strconv.FormatInt(m.Chat.ID, 10),
		From: hub.Contact{Name: strings.TrimSpace(m.From.FirstName + " " + m.From.LastName),
			TelegramUserID: m.From.ID, TelegramUsername: m.From.Username}}
	switch m.Chat.Type {
	case "private":
	case "group", "supergroup":
		in.ChatKind, in.ChatTitle = hub.ChatGroup, m.Chat.Title
	default:
		return b, nil
	}
	if m.ReplyToMessage != nil {
		in.ReplyToKey = Key(m.Chat.ID, m.ReplyToMessage.MessageID)
	}
	in.Message = message(m)
	b.Messages = append(b.Messages, in)
	return b, nil
}

func message(m *tgMessage) hub.Message {
	msg := hub.Message{ProviderKey: Key(m.Chat.ID, m.MessageID), Type: hub.TypeText, Text: m.Text}
	if m.Date > 0 {
		msg.CreatedAt = time.Unix(m.Date, 0).UTC()
	}
	withFile := func(t string, f *file) {
		msg.Type, msg.Text = t, m.Caption
		msg.Attachments = []hub.Attachment{{Name: f.FileName, MIME: f.MIME, Size: f.FileSize,
			ProviderMediaID: f.FileID, DurationMS: f.Duration * 1000, Width: f.Width, Height: f.Height}}
	}
	switch {
	case len(m.Photo) > 0:
		withFile(hub.TypeImage, &m.Photo[len(m.Photo)-1]) // the last size is the largest
	case m.Voice != nil:
		withFile(hub.TypeVoice, m.Voice)
	case m.Audio != nil:
		withFile(hub.TypeAudio, m.Audio)
	case m.Video != nil:
		withFile(hub.TypeVideo, m.Video)
	case m.VideoNote != nil:
		withFile(hub.TypeVideo, m.VideoNote)
	case m.Document != nil:
		withFile(hub.TypeFile, m.Document)
	case m.Sticker != nil:
		withFile(hub.TypeSticker, m.Sticker)
	case m.Location != nil:
		msg.Type = hub.TypeLocation
		msg.Payload.Location = &hub.Location{Latitude: m.Location.Latitude, Longitude: m.Location.Longitude}
	case m.Contact != nil:
		msg.Type = hub.TypeContacts
		msg.Payload.Contacts = []hub.SharedContact{{Name: strings.TrimSpace(m.Contact.FirstName + " " + m.Contact.LastName),
			Phones: []string{m.Contact.PhoneNumber}}}
	}
	return msg
}

type reactionUpdate struct {
	Chat struct {
		ID int64 `json:"id"`
	} `json:"chat"`
	MessageID int   `json:"message_id"`
	User      *user `json:"user"`
	New       []struct {
		Type  string `json:"type"`
		Emoji string `json:"emoji"`
	} `json:"new_reaction"`
}

// reaction reads a message_reaction update: the user's reactions now (none: removed). The hub
// keeps one emoji per person, the last one.
func reaction(r *reactionUpdate) (channel.Reaction, bool) {
	if r.User == nil || r.MessageID == 0 {
		return channel.Reaction{}, false
	}
	out := channel.Reaction{ProviderKey: Key(r.Chat.ID, r.MessageID), From: strconv.FormatInt(r.User.ID, 10)}
	for _, n := range r.New {
		if n.Type == "emoji" {
			out.Emoji = n.Emoji
		}
	}
	return out, true
}
