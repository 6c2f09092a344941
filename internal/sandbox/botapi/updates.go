package botapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"path"
	"strconv"
	"time"

	"github.com/switchboardhq/switchboard/internal/sandbox/standin"
)

// maxDownload is the cloud Bot API's download limit.
const maxDownload = 20 << 20

// upload is a file given to the stand-in, not stored yet.
type upload struct {
	name, mime string
	data       []byte
}

// storeFile keeps a file (its bytes first, then its entry, so a listed file can be read) and
// returns its id.
func (s *Server) storeFile(ctx context.Context, kind string, f upload) (string, error) {
	var b [8]byte
	_, _ = rand.Read(b[:])
	n := hex.EncodeToString(b[:])
	id := "AgAD" + n + kind
	if err := s.store.PutSandboxFile(ctx, "telegram:"+id, f.mime, f.data); err != nil {
		return "", err
	}
	st := s.st.Lock()
	defer s.st.Unlock()
	st.Files[id] = fileInfo{Path: fmt.Sprintf("%ss/file_%s%s", kind, n, path.Ext(f.name)), MIME: f.mime, Size: len(f.data)}
	s.st.Changed()
	return id, nil
}

// download is GET /file/bot<token>/<file_path>.
func (s *Server) download(w http.ResponseWriter, r *http.Request) {
	if s.tokenOf(r.PathValue("bot")) == "" {
		fail(w, 401, "Unauthorized", nil)
		return
	}
	id, found := "", fileInfo{}
	st := s.st.Lock()
	for fid, f := range st.Files {
		if f.Path == r.PathValue("path") {
			id, found = fid, f
		}
	}
	s.st.Unlock()
	if id == "" || found.Size > maxDownload {
		fail(w, 404, "Not Found", nil)
		return
	}
	mime, data, err := s.store.SandboxFile(r.Context(), "telegram:"+id)
	if err != nil {
		fail(w, 404, "Not Found", nil)
		return
	}
	w.Header().Set("Content-Type", mime)
	_, _ = w.Write(data)
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
	if s.tokenOf("bot"+token) == "" {
		return "", errors.New("botapi: unknown bot")
	}
	msg := map[string]any{"from": map[string]any{"id": u.ID, "is_bot": false, "first_name": u.FirstName,
		"last_name": u.LastName, "username": u.Username, "language_code": "ru"}}
	if err := s.messageBody(msg, in); err != nil { // files are stored before the update exists
		return "", err
	}
	st := s.st.Lock()
	b := st.Bots[token]
	if b == nil {
		s.st.Unlock()
		return "", errors.New("botapi: unknown bot")
	}
	chat := map[string]any{"id": u.ID, "type": "private", "first_name": u.FirstName, "username": u.Username}
	chatID := u.ID
	if in.GroupID != 0 {
		g := b.Chats[in.GroupID]
		if g == nil {
			s.st.Unlock()
			return "", fmt.Errorf("botapi: the bot is not in group %d", in.GroupID)
		}
		chat, chatID = map[string]any{"id": g.ID, "type": g.Type, "title": g.Title}, g.ID
	} else if b.Chats[u.ID] == nil {
		b.Chats[u.ID] = &Chat{ID: u.ID, Type: "private"}
	}
	b.NextMessage[chatID]++
	msgID := b.NextMessage[chatID] + 1000
	st.UpdateID++
	msg["message_id"], msg["date"], msg["chat"] = msgID, time.Now().Unix(), chat
	if in.ReplyTo != 0 {
		msg["reply_to_message"] = map[string]any{"message_id": in.ReplyTo, "date": time.Now().Unix(), "chat": chat}
	}
	body, err := json.Marshal(map[string]any{"update_id": st.UpdateID, "message": msg})
	if err != nil {
		s.st.Unlock()
		return "", err
	}
	id := itoa(chatID) + ":" + strconv.Itoa(msgID)
	st.Inbox = standin.Trim(append(st.Inbox, &InMessage{ExternalID: id, BotID: b.ID, From: u.ID, ChatID: chatID,
		Type: in.Type, Text: in.Text, CreatedAt: time.Now().UTC(), Body: body}))
	hook, secret := b.HookURL, b.Secret
	s.st.Changed()
	s.st.Unlock()
	return id, s.post(hook, secret, body)
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
	id, err := s.storeFile(context.Background(), kind, upload{name: in.File.Name, mime: in.File.MIME, data: in.File.Data})
	if err != nil {
		return err
	}
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
func (s *Server) post(url, secret string, body []byte) error {
	if url == "" {
		return errors.New("botapi: the bot has no webhook (setWebhook was not called)")
	}
	return standin.Post(s.HTTP, url, "X-Telegram-Bot-Api-Secret-Token", secret, body)
}

// Redeliver posts an update again, byte for byte; ok=false when the id is not this stand-in's.
func (s *Server) Redeliver(externalID string) (bool, error) {
	st := s.st.Lock()
	var found *InMessage
	for _, m := range st.Inbox {
		if m.ExternalID == externalID {
			found = m
		}
	}
	var hook, secret string
	bot := false
	if found != nil {
		for _, b := range st.Bots {
			if b.ID == found.BotID {
				hook, secret, bot = b.HookURL, b.Secret, true
			}
		}
	}
	var body []byte
	if found != nil {
		body = found.Body
	}
	s.st.Unlock()
	if !bot {
		return false, nil
	}
	return true, s.post(hook, secret, body)
}

// Inbox lists what users sent to a bot, oldest first.
func (s *Server) Inbox(botID int64) []InMessage {
	st := s.st.Lock()
	defer s.st.Unlock()
	return standin.Listed(st.Inbox, func(m *InMessage) bool { return m.BotID == botID },
		func(m *InMessage) *[]byte { return &m.Body })
}
