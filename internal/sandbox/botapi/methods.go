package botapi

import (
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/switchboardhq/switchboard/internal/sandbox/standin"
)

// params reads a method's parameters from the query, a form, multipart or JSON, as the Bot API
// accepts all four. Files of a multipart body come back in files.
func params(r *http.Request) (p map[string]string, files map[string]upload, ok bool) {
	p, files = map[string]string{}, map[string]upload{}
	for k, v := range r.URL.Query() {
		p[k] = v[0]
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/json":
		var m map[string]any
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&m); err != nil {
			return nil, nil, false
		}
		for k, v := range m {
			if s, isStr := v.(string); isStr {
				p[k] = s
			} else {
				b, _ := json.Marshal(v)
				p[k] = string(b)
			}
		}
	case "multipart/form-data":
		if err := r.ParseMultipartForm(8 << 20); err != nil {
			return nil, nil, false
		}
		for k, v := range r.MultipartForm.Value {
			p[k] = v[0]
		}
		for k, hs := range r.MultipartForm.File {
			f, err := hs[0].Open()
			if err != nil {
				return nil, nil, false
			}
			data, _ := io.ReadAll(f)
			f.Close()
			files[k] = upload{name: hs[0].Filename, mime: hs[0].Header.Get("Content-Type"), data: data}
		}
	case "application/x-www-form-urlencoded":
		if err := r.ParseForm(); err != nil {
			return nil, nil, false
		}
		for k, v := range r.PostForm {
			p[k] = v[0]
		}
	}
	return p, files, true
}

func reply(w http.ResponseWriter, status int, v map[string]any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func ok(w http.ResponseWriter, result any) {
	reply(w, 200, map[string]any{"ok": true, "result": result})
}

func fail(w http.ResponseWriter, code int, description string, extra map[string]any) {
	body := map[string]any{"ok": false, "error_code": code, "description": description}
	if extra != nil {
		body["parameters"] = extra
	}
	reply(w, code, body)
}

// sendMethods maps each send method to its file parameter and the outbox type.
var sendMethods = map[string][2]string{
	"sendMessage": {"", "text"}, "sendPhoto": {"photo", "image"}, "sendVideo": {"video", "video"},
	"sendVoice": {"voice", "voice"}, "sendAudio": {"audio", "audio"}, "sendDocument": {"document", "file"},
	"sendSticker": {"sticker", "sticker"},
}

func (s *Server) method(w http.ResponseWriter, r *http.Request) {
	token := s.tokenOf(r.PathValue("bot"))
	if token == "" {
		fail(w, 401, "Unauthorized", nil)
		return
	}
	p, files, good := params(r)
	if !good {
		fail(w, 400, "Bad Request: can't parse request parameters", nil)
		return
	}
	st := s.st.Lock()
	b := *st.Bots[token] // a copy: the state is not read past Unlock
	if b.Throttle > 0 {
		st.Bots[token].Throttle = 0
		s.st.Changed()
	}
	s.st.Unlock()
	throttle := b.Throttle
	if throttle > 0 {
		fail(w, 429, "Too Many Requests: retry after "+strconv.Itoa(throttle), map[string]any{"retry_after": throttle})
		return
	}
	m := r.PathValue("method")
	switch m {
	case "getMe":
		ok(w, map[string]any{"id": b.ID, "is_bot": true, "first_name": b.Name, "username": b.Username})
	case "setWebhook", "deleteWebhook":
		st := s.st.Lock()
		st.Bots[token].HookURL, st.Bots[token].Secret = p["url"], p["secret_token"]
		s.st.Changed()
		s.st.Unlock()
		ok(w, true)
	case "getWebhookInfo":
		ok(w, map[string]any{"url": b.HookURL, "has_custom_certificate": false, "pending_update_count": 0})
	case "getFile":
		st := s.st.Lock()
		f, found := st.Files[p["file_id"]]
		s.st.Unlock()
		if !found {
			fail(w, 400, "Bad Request: invalid file_id", nil)
			return
		}
		ok(w, map[string]any{"file_id": p["file_id"], "file_unique_id": "u" + p["file_id"], "file_size": f.Size, "file_path": f.Path})
	case "setMessageReaction":
		if _, errCode, desc := s.chatFor(token, p["chat_id"]); errCode != 0 {
			fail(w, errCode, desc, nil)
			return
		}
		var reaction []struct {
			Type  string `json:"type"`
			Emoji string `json:"emoji"`
		}
		if p["reaction"] != "" && (json.Unmarshal([]byte(p["reaction"]), &reaction) != nil || len(reaction) > 1) {
			fail(w, 400, "Bad Request: REACTION_INVALID", nil)
			return
		}
		emoji := ""
		if len(reaction) == 1 {
			emoji = reaction[0].Emoji
		}
		st := s.st.Lock()
		st.Signals.React(p["chat_id"]+":"+p["message_id"], emoji)
		s.st.Changed()
		s.st.Unlock()
		ok(w, true)
	case "sendChatAction":
		if _, errCode, desc := s.chatFor(token, p["chat_id"]); errCode != 0 {
			fail(w, errCode, desc, nil)
			return
		}
		if p["action"] != "typing" {
			fail(w, 400, "Bad Request: wrong parameter action in request", nil)
			return
		}
		st := s.st.Lock()
		st.Signals.Typed(p["chat_id"], time.Now())
		s.st.Changed()
		s.st.Unlock()
		ok(w, true)
	default:
		spec, isSend := sendMethods[m]
		if !isSend {
			fail(w, 404, "Not Found", nil)
			return
		}
		s.send(w, r, token, p, files, spec)
	}
}

// chatFor finds the chat a call addresses, or the Bot API's error for it.
func (s *Server) chatFor(token, chatID string) (Chat, int, string) {
	id, err := strconv.ParseInt(chatID, 10, 64)
	st := s.st.Lock()
	defer s.st.Unlock()
	c := st.Bots[token].Chats[id]
	switch {
	case err != nil || c == nil:
		return Chat{}, 400, "Bad Request: chat not found"
	case c.Blocked:
		return Chat{}, 403, "Forbidden: bot was blocked by the user"
	}
	return *c, 0, ""
}

func (s *Server) send(w http.ResponseWriter, r *http.Request, token string, p map[string]string, files map[string]upload, spec [2]string) {
	c, code, desc := s.chatFor(token, p["chat_id"])
	if code != 0 {
		fail(w, code, desc, nil)
		return
	}
	text := p["text"]
	if spec[0] != "" {
		f, has := files[spec[0]]
		if !has && p[spec[0]] == "" {
			fail(w, 400, "Bad Request: there is no "+spec[0]+" in the request", nil)
			return
		}
		if has {
			if _, err := s.storeFile(r.Context(), spec[0], f); err != nil {
				fail(w, 500, "Internal Server Error: "+err.Error(), nil)
				return
			}
		}
		text = p["caption"]
	} else if strings.TrimSpace(text) == "" {
		fail(w, 400, "Bad Request: message text is empty", nil)
		return
	}
	replyTo := p["reply_to_message_id"]
	if rp := p["reply_parameters"]; rp != "" {
		var v struct {
			MessageID int `json:"message_id"`
		}
		if json.Unmarshal([]byte(rp), &v) == nil && v.MessageID != 0 {
			replyTo = strconv.Itoa(v.MessageID)
		}
	}
	st := s.st.Lock()
	b := st.Bots[token]
	b.NextMessage[c.ID]++
	id := b.NextMessage[c.ID] + 1000
	out := &OutMessage{ExternalID: itoa(c.ID) + ":" + strconv.Itoa(id), BotID: b.ID, To: itoa(c.ID), Type: spec[1],
		Text: text, Status: "sent", CreatedAt: time.Now().UTC()}
	if replyTo != "" {
		out.ReplyTo = itoa(c.ID) + ":" + replyTo
	}
	st.Outbox = standin.Trim(append(st.Outbox, out))
	bot := b.Bot
	s.st.Changed()
	s.st.Unlock()
	msg := map[string]any{"message_id": id, "date": time.Now().Unix(),
		"from": map[string]any{"id": bot.ID, "is_bot": true, "first_name": bot.Name, "username": bot.Username},
		"chat": map[string]any{"id": c.ID, "type": c.Type, "title": c.Title}}
	if spec[0] == "" {
		msg["text"] = text
	} else if text != "" {
		msg["caption"] = text
	}
	ok(w, msg)
}

// Signals is what the bots' customers see of them besides messages: reactions (by
// "chat:message") and typing (by chat id).
func (s *Server) Signals() standin.Signals {
	st := s.st.Lock()
	defer s.st.Unlock()
	return st.Signals.Copy()
}

// Outbox lists what the hub sent through a bot, oldest first.
func (s *Server) Outbox(botID int64) []OutMessage {
	st := s.st.Lock()
	defer s.st.Unlock()
	return standin.Copies(st.Outbox, func(o *OutMessage) bool { return o.BotID == botID })
}
