// Package maxapi is the sandbox's stand-in for the MAX Bot API, speaking its wire format: the
// token in the Authorization header without "Bearer" (or the older access_token parameter),
// {"code","message"} errors, GET /me, webhook subscriptions whose secret comes back in the
// X-Max-Bot-Api-Secret header, long polling with a marker, the three-step upload (a file is
// "attachment.not.ready" the first time a message attaches it, as MAX answers while it
// processes), and millisecond timestamps. A user must start the bot before it may write to
// them, and a user who stopped it refuses its messages.
package maxapi

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/switchboardhq/switchboard/internal/sandbox/standin"
)

// Prefix is where the stand-in is mounted; the adapter's base URL is the hub's address + Prefix.
const Prefix = "/sandbox/max"

// Bot is one bot as MAX's MasterBot created it.
type Bot struct {
	ID       int64
	Username string
	Name     string
	Token    string
}

// Group is a group chat the bot administers; its id is negative, as MAX's are.
type Group struct {
	ID    int64
	Title string
}

// OutMessage is one message the hub sent through a bot.
type OutMessage struct {
	ExternalID string    `json:"external_id"`
	BotID      int64     `json:"bot_id"`
	To         string    `json:"to"`
	Type       string    `json:"type"`
	Text       string    `json:"text"`
	FileName   string    `json:"file_name,omitempty"`
	ReplyTo    string    `json:"reply_to,omitempty"`
	Status     string    `json:"status"`
	CreatedAt  time.Time `json:"created_at"`
}

// InMessage is one update the stand-in delivered to the hub, kept for redelivery.
type InMessage struct {
	ExternalID string    `json:"external_id"`
	BotID      int64     `json:"bot_id"`
	From       int64     `json:"from"`
	ChatID     int64     `json:"chat_id"`
	Type       string    `json:"type"`
	Text       string    `json:"text"`
	CreatedAt  time.Time `json:"created_at"`
	// Body is the update as delivered (kept, not listed).
	Body []byte `json:"body,omitempty"`
}

type botState struct {
	Bot
	HookURL, Secret string
	// Started holds the users who pressed Start, true while they have not stopped the bot.
	Started map[int64]bool
	Users   map[int64]User
	Groups  map[int64]Group
	// Queue holds updates for long polling (no webhook set); Marker counts them from 1.
	Queue  []json.RawMessage
	Marker int64
}

// upload is a file the hub uploads or a user sends; its bytes are in the store under its id.
type upload struct {
	Kind, Token, Name, MIME string
	Done                    bool // the file arrived
	Checked                 bool // a message tried to attach it once: it is processed now
}

// state is everything the stand-in knows, shared by the sandbox's instances.
type state struct {
	Bots    map[string]*botState // by token
	Uploads map[string]*upload   // by upload id (hub uploads and users' files)
	Tokens  map[string]string    // attachment token → upload id
	Outbox  []*OutMessage
	Inbox   []*InMessage
	Seq     int64
	// Signals: the bots' typing (by chat id); MAX bots set no reactions.
	Signals standin.Signals
}

// Server is the stand-in. Its state lives in the sandbox's store (standin.Shared): like MAX's
// it is not the hub's to keep, yet every instance sees it and a restart keeps it.
type Server struct {
	HTTP *http.Client
	// publicURL is the hub's address as users and the adapter reach it, for the upload and
	// file links the stand-in hands out.
	publicURL func() string
	store     standin.Store
	st        *standin.Shared[state]
	// wake is signalled when an update is queued here; a long poll also looks again every
	// pollEvery, for updates another instance queued.
	wake chan struct{}
}

// pollEvery is how often a waiting long poll looks for updates queued by another instance.
const pollEvery = 200 * time.Millisecond

// New returns a stand-in for a hub at publicURL, keeping its state in st.
func New(st standin.Store, publicURL func() string) *Server {
	return &Server{HTTP: &http.Client{Timeout: 30 * time.Second}, publicURL: publicURL, store: st, wake: make(chan struct{}),
		st: standin.NewShared(st, "max", func() *state {
			return &state{Bots: map[string]*botState{}, Uploads: map[string]*upload{}, Tokens: map[string]string{}, Seq: 1}
		})}
}

func (s *Server) base() string { return s.publicURL() + Prefix }

// Register adds a bot (idempotent: an existing bot keeps its users, groups and webhook).
func (s *Server) Register(b Bot, groups ...Group) {
	st := s.st.Lock()
	defer s.st.Unlock()
	bs := st.Bots[b.Token]
	if bs == nil {
		bs = &botState{Bot: b, Started: map[int64]bool{}, Users: map[int64]User{}, Groups: map[int64]Group{}}
		st.Bots[b.Token] = bs
	}
	for _, g := range groups {
		bs.Groups[g.ID] = g
	}
	s.st.Changed()
}

// Mount adds the stand-in's routes.
func (s *Server) Mount(mux *http.ServeMux) {
	mux.HandleFunc("GET "+Prefix+"/me", s.authed(s.me))
	mux.HandleFunc("GET "+Prefix+"/subscriptions", s.authed(s.subscriptions))
	mux.HandleFunc("POST "+Prefix+"/subscriptions", s.authed(s.subscribe))
	mux.HandleFunc("DELETE "+Prefix+"/subscriptions", s.authed(s.unsubscribe))
	mux.HandleFunc("GET "+Prefix+"/updates", s.authed(s.updates))
	mux.HandleFunc("POST "+Prefix+"/uploads", s.authed(s.uploadURL))
	mux.HandleFunc("POST "+Prefix+"/messages", s.authed(s.send))
	mux.HandleFunc("POST "+Prefix+"/chats/{id}/actions", s.authed(s.action))
	mux.HandleFunc("GET "+Prefix+"/chats/{id}", s.authed(s.chat))
	// The upload and download hosts are file servers: no bot token there, as on MAX.
	mux.HandleFunc("POST "+Prefix+"/upload/{id}", s.receiveUpload)
	mux.HandleFunc("GET "+Prefix+"/files/{id}", s.download)
}

func fail(w http.ResponseWriter, status int, code, message string) {
	reply(w, status, map[string]string{"code": code, "message": message})
}

func reply(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func success(w http.ResponseWriter) { reply(w, 200, map[string]any{"success": true}) }

// authed finds the bot by its token: the Authorization header as is (MAX takes no "Bearer"),
// or the access_token parameter older pages describe.
// The handler gets the token and a copy of the bot as it was (the state is not read past Unlock).
func (s *Server) authed(h func(http.ResponseWriter, *http.Request, string, botState)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		token := r.Header.Get("Authorization")
		if token == "" {
			token = r.URL.Query().Get("access_token")
		}
		st := s.st.Lock()
		b := st.Bots[token]
		var bot botState
		if b != nil {
			bot = *b
		}
		s.st.Unlock()
		if b == nil {
			fail(w, http.StatusUnauthorized, "verify.token", "Invalid access_token")
			return
		}
		h(w, r, token, bot)
	}
}

func (s *Server) me(w http.ResponseWriter, r *http.Request, _ string, b botState) {
	reply(w, 200, map[string]any{"user_id": b.ID, "first_name": b.Name, "name": b.Name, "username": b.Username,
		"is_bot": true, "last_activity_time": time.Now().UnixMilli()})
}

var secretChars = regexp.MustCompile(`^[A-Za-z0-9_-]{5,256}$`)

func (s *Server) subscribe(w http.ResponseWriter, r *http.Request, token string, _ botState) {
	var body struct {
		URL         string   `json:"url"`
		UpdateTypes []string `json:"update_types"`
		Secret      string   `json:"secret"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || !strings.HasPrefix(body.URL, "http") {
		fail(w, 400, "proto.payload", "url is required")
		return
	}
	if body.Secret != "" && !secretChars.MatchString(body.Secret) {
		fail(w, 400, "proto.payload", "secret: only A-Z, a-z, 0-9, _ and -")
		return
	}
	st := s.st.Lock()
	st.Bots[token].HookURL, st.Bots[token].Secret = body.URL, body.Secret
	s.st.Changed()
	s.st.Unlock()
	success(w)
}

func (s *Server) subscriptions(w http.ResponseWriter, r *http.Request, _ string, b botState) {
	subs := []any{}
	if b.HookURL != "" {
		subs = append(subs, map[string]any{"url": b.HookURL, "time": time.Now().UnixMilli()})
	}
	reply(w, 200, map[string]any{"subscriptions": subs})
}

func (s *Server) unsubscribe(w http.ResponseWriter, r *http.Request, token string, _ botState) {
	st := s.st.Lock()
	if b := st.Bots[token]; b.HookURL == r.URL.Query().Get("url") {
		b.HookURL, b.Secret = "", ""
		s.st.Changed()
	}
	s.st.Unlock()
	success(w)
}

// updates is the long poll: updates after marker (or every uncommitted one), waiting up to
// timeout seconds (at most 90) for the first. Passing a marker commits what came before it.
func (s *Server) updates(w http.ResponseWriter, r *http.Request, token string, _ botState) {
	q := r.URL.Query()
	timeout, _ := strconv.Atoi(q.Get("timeout"))
	timeout = min(max(timeout, 0), 90)
	limit, _ := strconv.Atoi(q.Get("limit"))
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	deadline := time.NewTimer(time.Duration(timeout) * time.Second)
	defer deadline.Stop()
	again := time.NewTicker(pollEvery)
	defer again.Stop()
	for {
		st := s.st.Lock()
		b := st.Bots[token]
		if m, err := strconv.ParseInt(q.Get("marker"), 10, 64); err == nil && m > b.Marker {
			// Everything before the marker is committed.
			drop := min(int(m-b.Marker), len(b.Queue))
			b.Queue, b.Marker = b.Queue[drop:], b.Marker+int64(drop)
			s.st.Changed()
		}
		if len(b.Queue) > 0 || timeout == 0 {
			n := min(limit, len(b.Queue))
			out := append([]json.RawMessage(nil), b.Queue[:n]...)
			next := b.Marker + int64(n)
			s.st.Unlock()
			reply(w, 200, map[string]any{"updates": out, "marker": next})
			return
		}
		wake := s.wake
		s.st.Unlock()
		select {
		case <-wake:
		case <-again.C:
		case <-deadline.C:
			timeout = 0
		case <-r.Context().Done():
			return
		}
	}
}

func randomID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// uploadURL is POST /uploads?type=: a one-time upload URL; for video and audio the token comes
// with it, as on MAX.
func (s *Server) uploadURL(w http.ResponseWriter, r *http.Request, _ string, _ botState) {
	kind := r.URL.Query().Get("type")
	switch kind {
	case "image", "video", "audio", "file":
	default:
		fail(w, 400, "proto.payload", "type: one of image, video, audio, file")
		return
	}
	u := &upload{Kind: kind, Token: randomID()}
	id := randomID()
	st := s.st.Lock()
	st.Uploads[id] = u
	st.Tokens[u.Token] = id
	s.st.Changed()
	s.st.Unlock()
	out := map[string]string{"url": s.base() + "/upload/" + id}
	if kind == "video" || kind == "audio" {
		out["token"] = u.Token
	}
	reply(w, 200, out)
}

// receiveUpload takes the multipart field "data" at an upload URL.
func (s *Server) receiveUpload(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	st := s.st.Lock()
	var u upload
	known := st.Uploads[id] != nil
	if known {
		u = *st.Uploads[id]
	}
	s.st.Unlock()
	if !known {
		fail(w, 404, "not.found", "upload not found")
		return
	}
	if err := r.ParseMultipartForm(32 << 20); err != nil {
		fail(w, 400, "proto.payload", "multipart/form-data with a file in field data")
		return
	}
	hs := r.MultipartForm.File["data"]
	if len(hs) == 0 {
		fail(w, 400, "proto.payload", "multipart/form-data with a file in field data")
		return
	}
	f, err := hs[0].Open()
	if err != nil {
		fail(w, 400, "proto.payload", err.Error())
		return
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		fail(w, 400, "proto.payload", err.Error())
		return
	}
	if err := s.store.PutSandboxFile(r.Context(), "max:"+id, hs[0].Header.Get("Content-Type"), data); err != nil {
		fail(w, 500, "internal", err.Error())
		return
	}
	st = s.st.Lock()
	if got := st.Uploads[id]; got != nil {
		got.Name, got.MIME, got.Done = hs[0].Filename, hs[0].Header.Get("Content-Type"), true
		s.st.Changed()
	}
	s.st.Unlock()
	switch u.Kind {
	case "image":
		reply(w, 200, map[string]any{"photos": map[string]any{randomID(): map[string]string{"token": u.Token}}})
	case "file":
		reply(w, 200, map[string]any{"token": u.Token})
	default: // video and audio: the token came with the URL; the file server answers in XML
		w.Header().Set("Content-Type", "application/xml")
		_, _ = w.Write([]byte(`<?xml version="1.0" encoding="UTF-8" standalone="no"?><retval>1</retval>`))
	}
}

// download serves an inbound file at the URL its attachment carries.
func (s *Server) download(w http.ResponseWriter, r *http.Request) {
	st := s.st.Lock()
	f := st.Uploads[r.PathValue("id")]
	done := f != nil && f.Done
	s.st.Unlock()
	var mime string
	var data []byte
	err := fs.ErrNotExist
	if done {
		mime, data, err = s.store.SandboxFile(r.Context(), "max:"+r.PathValue("id"))
	}
	if err != nil {
		fail(w, 404, "not.found", "file not found")
		return
	}
	w.Header().Set("Content-Type", mime)
	_, _ = w.Write(data)
}

type outBody struct {
	Text        string `json:"text"`
	Attachments []struct {
		Type    string `json:"type"`
		Payload struct {
			Token string `json:"token"`
		} `json:"payload"`
	} `json:"attachments"`
	Link *struct {
		Type string `json:"type"`
		Mid  string `json:"mid"`
	} `json:"link"`
}

// send is POST /messages?user_id=|chat_id=.
func (s *Server) send(w http.ResponseWriter, r *http.Request, token string, _ botState) {
	var body outBody
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		fail(w, 400, "proto.payload", "body: "+err.Error())
		return
	}
	if len([]rune(body.Text)) > 4000 {
		fail(w, 400, "proto.payload", "text: at most 4000 characters")
		return
	}
	q := r.URL.Query()
	st := s.st.Lock()
	defer s.st.Unlock()
	b := st.Bots[token]
	to, recipient, status, code, msg := s.recipient(b, q.Get("user_id"), q.Get("chat_id"))
	if status != 0 {
		fail(w, status, code, msg)
		return
	}
	out := &OutMessage{BotID: b.ID, To: to, Type: "text", Text: body.Text, Status: "sent", CreatedAt: time.Now().UTC()}
	for _, a := range body.Attachments {
		u := st.Uploads[st.Tokens[a.Payload.Token]]
		if u == nil || !u.Done || u.Kind != a.Type {
			fail(w, 400, "proto.payload", "attachment: unknown token for type "+a.Type)
			return
		}
		if !u.Checked && u.Kind != "image" {
			// MAX processes audio, video and files after the upload; the first attach is early.
			u.Checked = true
			s.st.Changed()
			fail(w, 400, "attachment.not.ready", "Key: errors.process.attachment.file.not.processed")
			return
		}
		out.Type, out.FileName = a.Type, u.Name
	}
	if body.Text == "" && len(body.Attachments) == 0 {
		fail(w, 400, "proto.payload", "text or attachments are required")
		return
	}
	if body.Link != nil && body.Link.Type == "reply" {
		out.ReplyTo = body.Link.Mid
	}
	out.ExternalID = "mid." + randomID()
	st.Outbox = standin.Trim(append(st.Outbox, out))
	now := time.Now().UnixMilli()
	st.Seq++
	s.st.Changed()
	reply(w, 200, map[string]any{"message": map[string]any{
		"sender":    map[string]any{"user_id": b.ID, "first_name": b.Name, "name": b.Name, "username": b.Username, "is_bot": true},
		"recipient": recipient, "timestamp": now,
		"body": map[string]any{"mid": out.ExternalID, "seq": st.Seq, "text": body.Text}}})
}

// recipient checks who a message goes to, as MAX does: a user who started the bot and has not
// stopped it, or a group the bot is in. status is 0 when it may go.
func (s *Server) recipient(b *botState, userID, chatID string) (to string, recipient map[string]any, status int, code, msg string) {
	if userID != "" {
		id, err := strconv.ParseInt(userID, 10, 64)
		started, known := b.Started[id]
		switch {
		case err != nil:
			return "", nil, 400, "proto.payload", "user_id: a number"
		case !known:
			return "", nil, 404, "chat.not.found", "Chat not found: the user has not started the bot"
		case !started:
			return "", nil, 403, "chat.denied", "error.dialog.suspended: the user stopped the bot"
		}
		return userID, map[string]any{"chat_id": id, "chat_type": "dialog", "user_id": id}, 0, "", ""
	}
	id, err := strconv.ParseInt(chatID, 10, 64)
	if err != nil {
		return "", nil, 400, "proto.payload", "user_id or chat_id is required"
	}
	if _, ok := b.Groups[id]; !ok {
		return "", nil, 404, "chat.not.found", "Chat not found"
	}
	return chatID, map[string]any{"chat_id": id, "chat_type": "chat"}, 0, "", ""
}

// chat is GET /chats/{chatId}: a group chat the bot is in, with its title.
func (s *Server) chat(w http.ResponseWriter, r *http.Request, token string, b botState) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	g, known := b.Groups[id]
	if err != nil || !known {
		fail(w, 404, "chat.not.found", "Chat not found")
		return
	}
	reply(w, 200, map[string]any{"chat_id": g.ID, "type": "chat", "status": "active", "title": g.Title,
		"participants_count": 2, "is_public": false})
}

// action is POST /chats/{chatId}/actions: the bot shows an action (typing_on) in a group chat
// it is in.
func (s *Server) action(w http.ResponseWriter, r *http.Request, token string, b botState) {
	var in struct {
		Action string `json:"action"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<16)).Decode(&in); err != nil || in.Action == "" {
		fail(w, 400, "proto.payload", "action is required")
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if _, known := b.Groups[id]; err != nil || !known {
		fail(w, 404, "chat.not.found", "Chat not found")
		return
	}
	if in.Action == "typing_on" {
		st := s.st.Lock()
		st.Signals.Typed(r.PathValue("id"), time.Now())
		s.st.Changed()
		s.st.Unlock()
	}
	success(w)
}

// Signals is what the bots' users see of them besides messages: typing (by chat id).
func (s *Server) Signals() standin.Signals {
	st := s.st.Lock()
	defer s.st.Unlock()
	return st.Signals.Copy()
}

// Outbox lists what the hub sent through a bot, oldest first.
func (s *Server) Outbox(botID int64) []OutMessage {
	st := s.st.Lock()
	defer s.st.Unlock()
	return standin.Copies(st.Outbox, func(m *OutMessage) bool { return m.BotID == botID })
}
