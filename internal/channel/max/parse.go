package max

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
	UserID    int64  `json:"user_id"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Name      string `json:"name"`
	Username  string `json:"username"`
	IsBot     bool   `json:"is_bot"`
}

// contact is the hub's identity of a MAX user.
func (u user) contact() hub.Contact {
	name := strings.TrimSpace(u.FirstName + " " + u.LastName)
	if name == "" {
		name = u.Name
	}
	return hub.Contact{Name: name, MaxUserID: u.UserID, MaxUsername: u.Username}
}

type maxAttachment struct {
	Type    string `json:"type"`
	Payload struct {
		URL     string `json:"url"`
		Token   string `json:"token"`
		VCFInfo string `json:"vcf_info"`
		MaxInfo *user  `json:"max_info"`
	} `json:"payload"`
	Filename  string  `json:"filename"`
	Size      int64   `json:"size"`
	Width     int     `json:"width"`
	Height    int     `json:"height"`
	Duration  int64   `json:"duration"` // seconds
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
}

type body struct {
	Mid         string          `json:"mid"`
	Text        string          `json:"text"`
	Attachments []maxAttachment `json:"attachments"`
}

type message struct {
	Sender    *user `json:"sender"`
	Recipient struct {
		ChatID   int64  `json:"chat_id"`
		ChatType string `json:"chat_type"`
		UserID   int64  `json:"user_id"`
	} `json:"recipient"`
	Timestamp int64 `json:"timestamp"` // milliseconds
	Body      body  `json:"body"`
	Link      *struct {
		Type    string `json:"type"`
		Sender  *user  `json:"sender"`
		Message body   `json:"message"`
	} `json:"link"`
}

type update struct {
	UpdateType string   `json:"update_type"`
	Timestamp  int64    `json:"timestamp"`
	Message    *message `json:"message"`
	MessageID  string   `json:"message_id"` // message_removed
	ChatID     int64    `json:"chat_id"`
	User       *user    `json:"user"` // bot_started, bot_stopped
}

// Parse reads one update (a webhook body, or one element of a long poll's list). Messages of
// people in dialogs and in group chats become messages; edits and removals change what the
// hub shows; bot_started / bot_stopped say whether the bot may write to that person. Anything
// else (callbacks, membership, channels, the bot's own messages) carries nothing to store.
func (a *Adapter) Parse(raw []byte) (channel.Batch, error) {
	var u update
	var b channel.Batch
	if err := json.Unmarshal(raw, &u); err != nil {
		return b, fmt.Errorf("max: update: %w", err)
	}
	switch u.UpdateType {
	case "message_created":
		if in, ok := inbound(u.Message); ok {
			b.Messages = append(b.Messages, in)
		}
	case "message_edited":
		if m := u.Message; m != nil && m.Body.Mid != "" && m.Sender != nil && !m.Sender.IsBot {
			b.Edits = append(b.Edits, channel.Edit{ProviderKey: m.Body.Mid, Text: m.Body.Text})
		}
	case "message_removed":
		if u.MessageID != "" {
			b.Removals = append(b.Removals, u.MessageID)
		}
	case "bot_started", "bot_stopped":
		if u.User != nil && u.User.UserID > 0 && !u.User.IsBot {
			b.Peers = append(b.Peers, channel.Peer{ExternalChatID: strconv.FormatInt(u.User.UserID, 10),
				From: u.User.contact(), Stopped: u.UpdateType == "bot_stopped", At: millis(u.Timestamp)})
		}
	}
	return b, nil
}

func millis(ms int64) time.Time {
	if ms <= 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

// inbound reads a new message: a dialog's chat is the customer's user id (what sending
// addresses with user_id), a group chat's is its negative chat id.
func inbound(m *message) (channel.Inbound, bool) {
	if m == nil || m.Sender == nil || m.Sender.IsBot || m.Sender.UserID <= 0 || m.Body.Mid == "" {
		return channel.Inbound{}, false
	}
	in := channel.Inbound{ChatKind: hub.ChatPrivate, ExternalChatID: strconv.FormatInt(m.Sender.UserID, 10),
		From: m.Sender.contact()}
	switch m.Recipient.ChatType {
	case "dialog":
	case "chat":
		if m.Recipient.ChatID >= 0 { // MAX's group ids are negative; sending tells them apart by that
			return in, false
		}
		in.ChatKind, in.ExternalChatID = hub.ChatGroup, strconv.FormatInt(m.Recipient.ChatID, 10)
	default: // channels are the bot's own broadcasts, not conversations
		return in, false
	}
	b := m.Body
	if l := m.Link; l != nil {
		switch l.Type {
		case "reply":
			in.ReplyToKey = l.Message.Mid
		case "forward":
			// A forward shows what was forwarded: the customer's own words, if any, come first.
			if b.Text == "" {
				b.Text = l.Message.Text
			}
			if len(b.Attachments) == 0 {
				b.Attachments = l.Message.Attachments
			}
		}
	}
	in.Message = toMessage(b, millis(m.Timestamp))
	return in, true
}

// toMessage reads a message body. The hub shows one attachment per message (MAX sends audio
// and files alone too), the first that is the customer's content.
func toMessage(b body, at time.Time) hub.Message {
	msg := hub.Message{ProviderKey: b.Mid, Type: hub.TypeText, Text: b.Text, CreatedAt: at}
	for _, a := range b.Attachments {
		if attach(&msg, a) {
			break
		}
	}
	return msg
}

// attach puts a on msg; false for what is not content (keyboards, shares, bot data).
func attach(msg *hub.Message, a maxAttachment) bool {
	file := func(t string) bool {
		msg.Type = t
		msg.Attachments = []hub.Attachment{{Name: a.Filename, Size: a.Size, ProviderMediaID: mediaID(a),
			DurationMS: a.Duration * 1000, Width: a.Width, Height: a.Height}}
		return true
	}
	switch a.Type {
	case "image":
		return file(hub.TypeImage)
	case "video":
		return file(hub.TypeVideo)
	case "audio":
		// What MAX users record in the app is an audio attachment: a voice note.
		return file(hub.TypeVoice)
	case "file":
		return file(hub.TypeFile)
	case "sticker":
		return file(hub.TypeSticker)
	case "location":
		msg.Type = hub.TypeLocation
		msg.Payload.Location = &hub.Location{Latitude: a.Latitude, Longitude: a.Longitude}
		return true
	case "contact":
		msg.Type = hub.TypeContacts
		msg.Payload.Contacts = []hub.SharedContact{sharedContact(a)}
		return true
	}
	return false
}

// mediaID is how the hub fetches an attachment later: its URL, or for a video without one,
// its token (Fetch asks GET /videos/{token} for the file's links).
func mediaID(at maxAttachment) string {
	if at.Payload.URL != "" {
		return at.Payload.URL
	}
	if at.Type == "video" && at.Payload.Token != "" {
		return videoPrefix + at.Payload.Token
	}
	return ""
}

// sharedContact reads a contact card: the MAX user's name, or the vCard's FN and TEL lines.
func sharedContact(at maxAttachment) hub.SharedContact {
	var c hub.SharedContact
	if u := at.Payload.MaxInfo; u != nil {
		c.Name = u.contact().Name
	}
	for _, line := range strings.Split(at.Payload.VCFInfo, "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(line), ":")
		if !ok {
			continue
		}
		switch strings.ToUpper(strings.SplitN(k, ";", 2)[0]) {
		case "FN":
			if c.Name == "" {
				c.Name = v
			}
		case "TEL":
			c.Phones = append(c.Phones, v)
		}
	}
	return c
}
