package maxapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/switchboardhq/switchboard/internal/sandbox/standin"
)

// User is a person using MAX.
type User struct {
	ID        int64
	FirstName string
	LastName  string
	Username  string
}

func (u User) json() map[string]any {
	name := u.FirstName
	if u.LastName != "" {
		name += " " + u.LastName
	}
	out := map[string]any{"user_id": u.ID, "first_name": u.FirstName, "last_name": u.LastName, "name": name,
		"is_bot": false, "last_activity_time": time.Now().UnixMilli()}
	if u.Username != "" {
		out["username"] = u.Username
	}
	return out
}

// Incoming is what a user sends: type text, image, video, voice or file.
type Incoming struct {
	Type    string
	Text    string
	ReplyTo string // mid of the quoted message
	File    *File
	// GroupID sends into a group the bot administers instead of the dialog.
	GroupID int64
}

// File is an attached file.
type File struct {
	Name, MIME string
	Data       []byte
}

// Start is a user pressing Start: bot_started. Writing to the bot starts it too.
func (s *Server) Start(token string, u User) error { return s.peer(token, u, "bot_started") }

// Stop is a user stopping (blocking) the bot: bot_stopped; the bot's messages are refused.
func (s *Server) Stop(token string, u User) error { return s.peer(token, u, "bot_stopped") }

func (s *Server) peer(token string, u User, kind string) error {
	st := s.st.Lock()
	b := st.Bots[token]
	if b == nil {
		s.st.Unlock()
		return errors.New("maxapi: unknown bot")
	}
	b.Started[u.ID], b.Users[u.ID] = kind == "bot_started", u
	s.st.Changed()
	s.st.Unlock()
	body, err := json.Marshal(map[string]any{"update_type": kind, "timestamp": time.Now().UnixMilli(),
		"chat_id": u.ID + 1_000_000_000, "user": u.json(), "user_id": u.ID, "user_locale": "ru"})
	if err != nil {
		return err
	}
	return s.deliver(token, body)
}

// Receive is a user writing to the bot (in its dialog, or in a group the bot administers): the
// message_created update goes to the bot's webhook with its secret, or to its long-poll queue,
// and the message's mid is returned.
func (s *Server) Receive(token string, u User, in Incoming) (string, error) {
	st := s.st.Lock()
	b := st.Bots[token]
	if b == nil {
		s.st.Unlock()
		return "", errors.New("maxapi: unknown bot")
	}
	recipient := map[string]any{"chat_id": u.ID + 1_000_000_000, "chat_type": "dialog", "user_id": b.ID}
	chatID := u.ID
	if in.GroupID != 0 {
		if _, ok := b.Groups[in.GroupID]; !ok {
			s.st.Unlock()
			return "", fmt.Errorf("maxapi: the bot is not in group %d", in.GroupID)
		}
		recipient, chatID = map[string]any{"chat_id": in.GroupID, "chat_type": "chat"}, in.GroupID
	} else if !b.Started[u.ID] {
		// Writing to a bot starts (or restarts) the dialog.
		b.Started[u.ID] = true
	}
	b.Users[u.ID] = u
	st.Seq++
	botID := b.ID
	mid := "mid." + randomID()
	msgBody := map[string]any{"mid": mid, "seq": st.Seq, "text": in.Text}
	s.st.Changed()
	s.st.Unlock()
	if err := s.attach(msgBody, in); err != nil {
		return "", err
	}
	msg := map[string]any{"sender": u.json(), "recipient": recipient, "timestamp": time.Now().UnixMilli(), "body": msgBody}
	if in.ReplyTo != "" {
		msg["link"] = map[string]any{"type": "reply", "message": map[string]any{"mid": in.ReplyTo}}
	}
	body, err := json.Marshal(map[string]any{"update_type": "message_created", "timestamp": time.Now().UnixMilli(),
		"message": msg, "user_locale": "ru"})
	if err != nil {
		return "", err
	}
	st = s.st.Lock()
	st.Inbox = standin.Trim(append(st.Inbox, &InMessage{ExternalID: mid, BotID: botID, From: u.ID, ChatID: chatID,
		Type: in.Type, Text: in.Text, CreatedAt: time.Now().UTC(), Body: body}))
	s.st.Changed()
	s.st.Unlock()
	return mid, s.deliver(token, body)
}

// attach adds the user's file as MAX shows it to bots: a URL on its file server (plus the
// name and size of a file).
func (s *Server) attach(body map[string]any, in Incoming) error {
	if in.Type == "text" {
		return nil
	}
	kind := map[string]string{"image": "image", "video": "video", "voice": "audio", "file": "file"}[in.Type]
	if kind == "" {
		return fmt.Errorf("maxapi: a user cannot send %q", in.Type)
	}
	if in.File == nil {
		return fmt.Errorf("maxapi: a %s message needs a file", in.Type)
	}
	id := randomID()
	if err := s.store.PutSandboxFile(context.Background(), "max:"+id, in.File.MIME, in.File.Data); err != nil {
		return err
	}
	st := s.st.Lock()
	st.Uploads[id] = &upload{Kind: kind, Name: in.File.Name, MIME: in.File.MIME, Done: true}
	s.st.Changed()
	s.st.Unlock()
	a := map[string]any{"type": kind, "payload": map[string]any{"url": s.base() + "/files/" + id, "token": randomID()}}
	switch kind {
	case "file":
		a["filename"], a["size"] = in.File.Name, len(in.File.Data)
	case "audio", "video":
		a["duration"] = 2
	}
	body["attachments"] = []any{a}
	return nil
}

// deliver posts an update to the bot's webhook with the secret header, or queues it for long
// polling when the bot has no webhook.
func (s *Server) deliver(token string, body []byte) error {
	st := s.st.Lock()
	b := st.Bots[token]
	url, secret := b.HookURL, b.Secret
	if url == "" {
		b.Queue = append(b.Queue, body)
		s.st.Changed()
		close(s.wake) // wakes this instance's long polls; others look again shortly
		s.wake = make(chan struct{})
		s.st.Unlock()
		return nil
	}
	s.st.Unlock()
	return standin.Post(s.HTTP, url, "X-Max-Bot-Api-Secret", secret, body)
}

// Redeliver posts an update again, byte for byte; ok=false when the id is not this stand-in's.
func (s *Server) Redeliver(externalID string) (bool, error) {
	st := s.st.Lock()
	var body []byte
	token := ""
	for _, m := range st.Inbox {
		if m.ExternalID == externalID {
			for t, b := range st.Bots {
				if b.ID == m.BotID {
					token, body = t, m.Body
				}
			}
		}
	}
	s.st.Unlock()
	if token == "" {
		return false, nil
	}
	return true, s.deliver(token, body)
}

// Inbox lists what users sent to a bot, oldest first.
func (s *Server) Inbox(botID int64) []InMessage {
	st := s.st.Lock()
	defer s.st.Unlock()
	return standin.Listed(st.Inbox, func(m *InMessage) bool { return m.BotID == botID },
		func(m *InMessage) *[]byte { return &m.Body })
}

// Remember restores what MAX would know after the hub restarts: the user started the bot (and
// whether they stopped it since). Nothing is delivered.
func (s *Server) Remember(token string, userID int64, stopped bool) {
	st := s.st.Lock()
	defer s.st.Unlock()
	if b := st.Bots[token]; b != nil {
		if _, known := b.Started[userID]; !known {
			b.Started[userID] = !stopped
			s.st.Changed()
		}
	}
}

// Edit is a user changing the text of their message: message_edited.
func (s *Server) Edit(token string, u User, mid, text string) error {
	return s.change(token, map[string]any{"update_type": "message_edited", "timestamp": time.Now().UnixMilli(),
		"message": map[string]any{"sender": u.json(), "recipient": map[string]any{"chat_id": u.ID + 1_000_000_000,
			"chat_type": "dialog"}, "timestamp": time.Now().UnixMilli(), "body": map[string]any{"mid": mid, "text": text}}})
}

// Remove is a user deleting their message: message_removed.
func (s *Server) Remove(token string, u User, mid string) error {
	return s.change(token, map[string]any{"update_type": "message_removed", "timestamp": time.Now().UnixMilli(),
		"message_id": mid, "chat_id": u.ID + 1_000_000_000, "user_id": u.ID})
}

func (s *Server) change(token string, update map[string]any) error {
	st := s.st.Lock()
	known := st.Bots[token] != nil
	s.st.Unlock()
	if !known {
		return errors.New("maxapi: unknown bot")
	}
	body, err := json.Marshal(update)
	if err != nil {
		return err
	}
	return s.deliver(token, body)
}
