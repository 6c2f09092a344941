package botapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/switchboardhq/switchboard/internal/sandbox/standin"
)

// maxDownload is the cloud Bot API's download limit.
const maxDownload = 20 << 20

func (s *Server) storeFile(kind string, f storedFile) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := fmt.Sprintf("AgAD%d%s", len(s.files)+1, strings.ReplaceAll(kind, "_", ""))
	ext := path.Ext(f.path)
	f.path = fmt.Sprintf("%ss/file_%d%s", kind, len(s.files)+1, ext)
	s.files[id] = f
	return id
}

// download is GET /file/bot<token>/<file_path>.
func (s *Server) download(w http.ResponseWriter, r *http.Request) {
	if s.botByPath(r.PathValue("bot")) == nil {
		fail(w, 401, "Unauthorized", nil)
		return
	}
	s.mu.Lock()
	var found *storedFile
	for _, f := range s.files {
		if f.path == r.PathValue("path") {
			found = &f
		}
	}
	s.mu.Unlock()
	if found == nil || len(found.data) > maxDownload {
		fail(w, 404, "Not Found", nil)
		return
	}
	w.Header().Set("Content-Type", found.mime)
	_, _ = w.Write(found.data)
}

// User is the person writing to the bot.
type User struct {
	ID        int64
	FirstName string
	LastName  string
	Username  string
}

// Incoming is what a user sends: type text, image, voice, video or file.
type Incoming struct {
	Type    string
	Text    string
	ReplyTo int // message id in the same chat
	File    *File
	// GroupID sends into a group the bot is in instead of the private chat.
	GroupID int64
}

// File is an attached file.
type File struct {
	Name, MIME string
	Data       []byte
}

// Receive is a user writing to the bot: the update is posted to the bot's webhook with its
// secret token and the external id ("chat:message") is returned.
func (s *Server) Receive(token string, u User, in Incoming) (string, error) {
	s.mu.Lock()
	b := s.bots[token]
	s.mu.Unlock()
	if b == nil {
		return "", errors.New("botapi: unknown bot")
	}
	chat := map[string]any{"id": u.ID, "type": "private", "first_name": u.FirstName, "username": u.Username}
	chatID := u.ID
	s.mu.Lock()
	if in.GroupID != 0 {
		g := b.chats[in.GroupID]
		if g == nil {
			s.mu.Unlock()
			return "", fmt.Errorf("botapi: the bot is not in group %d", in.GroupID)
		}
		chat, chatID = map[string]any{"id": g.ID, "type": g.Type, "title": g.Title}, g.ID
	} else if b.chats[u.ID] == nil {
		b.chats[u.ID] = &Chat{ID: u.ID, Type: "private"}
	}
	b.nextMessage[chatID]++
	msgID := b.nextMessage[chatID] + 1000
	s.updateID++
	upd := s.updateID
	s.mu.Unlock()
	msg := map[string]any{"message_id": msgID, "date": time.Now().Unix(), "chat": chat,
		"from": map[string]any{"id": u.ID, "is_bot": false, "first_name": u.FirstName, "last_name": u.LastName,
			"username": u.Username, "language_code": "ru"}}
	if in.ReplyTo != 0 {
		msg["reply_to_message"] = map[string]any{"message_id": in.ReplyTo, "date": time.Now().Unix(), "chat": chat}
	}
	if err := s.messageBody(msg, in); err != nil {
		return "", err
	}
	body, err := json.Marshal(map[string]any{"update_id": upd, "message": msg})
	if err != nil {
		return "", err
	}
	id := itoa(chatID) + ":" + strconv.Itoa(msgID)
	s.mu.Lock()
	s.inbox = append(s.inbox, &InMessage{ExternalID: id, BotID: b.ID, From: u.ID, ChatID: chatID, Type: in.Type,
		Text: in.Text, CreatedAt: time.Now().UTC(), body: body})
	s.mu.Unlock()
	return id, s.post(b, body)
}

func (s *Server) messageBody(msg map[string]any, in Incoming) error {
	if in.Type == "text" {
		msg["text"] = in.Text
		return nil
	}
	if in.File == nil {
		return fmt.Errorf("botapi: a %s message needs a file", in.Type)
	}
	kind := map[string]string{"image": "photo", "voice": "voice", "video": "video", "file": "document"}[in.Type]
	if kind == "" {
		return fmt.Errorf("botapi: a user cannot send %q", in.Type)
	}
	id := s.storeFile(kind, storedFile{path: in.File.Name, mime: in.File.MIME, data: in.File.Data})
	f := map[string]any{"file_id": id, "file_unique_id": "u" + id, "file_size": len(in.File.Data)}
	switch kind {
	case "photo":
		msg["photo"] = []any{map[string]any{"file_id": id, "file_unique_id": "u" + id, "width": 64, "height": 64,
			"file_size": len(in.File.Data)}}
	case "voice":
		f["duration"], f["mime_type"] = 2, in.File.MIME
		msg["voice"] = f
	default:
		f["mime_type"], f["file_name"] = in.File.MIME, in.File.Name
		msg[kind] = f
	}
	if in.Text != "" {
		msg["caption"] = in.Text
	}
	return nil
}

// post delivers an update to the bot's webhook with the secret token header.
func (s *Server) post(b *botState, body []byte) error {
	s.mu.Lock()
	url, secret := b.hookURL, b.secret
	s.mu.Unlock()
	if url == "" {
		return errors.New("botapi: the bot has no webhook (setWebhook was not called)")
	}
	return standin.Post(s.HTTP, url, "X-Telegram-Bot-Api-Secret-Token", secret, body)
}

// Redeliver posts an update again, byte for byte; ok=false when the id is not this stand-in's.
func (s *Server) Redeliver(externalID string) (bool, error) {
	s.mu.Lock()
	var found *InMessage
	var bot *botState
	for _, m := range s.inbox {
		if m.ExternalID == externalID {
			found = m
		}
	}
	if found != nil {
		for _, b := range s.bots {
			if b.ID == found.BotID {
				bot = b
			}
		}
	}
	s.mu.Unlock()
	if found == nil || bot == nil {
		return false, nil
	}
	return true, s.post(bot, found.body)
}

// Inbox lists what users sent to a bot, oldest first.
func (s *Server) Inbox(botID int64) []InMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return standin.Copies(s.inbox, func(m *InMessage) bool { return m.BotID == botID })
}
