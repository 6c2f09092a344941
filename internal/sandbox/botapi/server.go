// Package botapi is the sandbox's stand-in for the Telegram Bot API: the methods the hub's real
// adapter calls (JSON, form or multipart parameters, {"ok":…} answers, the real error shapes),
// file downloads, and updates posted to the bot's webhook with its secret token.
package botapi

import (
	"net/http"
	"strconv"
	"time"

	"github.com/switchboardhq/switchboard/internal/sandbox/standin"
)

// Prefix is where the stand-in is mounted; the adapter's base URL is the hub's address + Prefix.
const Prefix = "/sandbox/telegram"

// Bot is one bot as BotFather created it.
type Bot struct {
	ID       int64
	Username string
	Name     string
	Token    string
}

// Chat is a private chat or a group the bot is in.
type Chat struct {
	ID    int64
	Type  string // private, group, supergroup
	Title string
	// Blocked: the user blocked the bot (403 on send).
	Blocked bool
}

// OutMessage is one message the hub sent through a bot.
type OutMessage struct {
	ExternalID string    `json:"external_id"`
	BotID      int64     `json:"bot_id"`
	To         string    `json:"to"`
	Type       string    `json:"type"`
	Text       string    `json:"text"`
	ReplyTo    string    `json:"reply_to,omitempty"`
	Status     string    `json:"status"`
	CreatedAt  time.Time `json:"created_at"`
}

// InMessage is one update the stand-in posted to the hub, kept for redelivery.
type InMessage struct {
	ExternalID string    `json:"external_id"`
	BotID      int64     `json:"bot_id"`
	From       int64     `json:"from"`
	ChatID     int64     `json:"chat_id"`
	Type       string    `json:"type"`
	Text       string    `json:"text"`
	CreatedAt  time.Time `json:"created_at"`
	// Body is the update as posted (kept, not listed).
	Body []byte `json:"body,omitempty"`
}

type botState struct {
	Bot
	HookURL, Secret string
	Chats           map[int64]*Chat
	NextMessage     map[int64]int
	Throttle        int // seconds: the next call answers 429 with this retry_after
}

// fileInfo is a stored file; its bytes are in the store under the file id.
type fileInfo struct {
	Path, MIME string
	Size       int
}

// state is everything the stand-in knows, shared by the sandbox's instances.
type state struct {
	Bots     map[string]*botState // by token
	Files    map[string]fileInfo  // by file id
	Outbox   []*OutMessage
	Inbox    []*InMessage
	UpdateID int
	Signals  standin.Signals
}

// Server is the stand-in. Its state lives in the sandbox's store (standin.Shared): like
// Telegram's it is not the hub's to keep, yet every instance sees it and a restart keeps it.
type Server struct {
	HTTP  *http.Client
	store standin.Store
	st    *standin.Shared[state]
}

// New returns a stand-in keeping its state in st.
func New(st standin.Store) *Server {
	return &Server{HTTP: &http.Client{Timeout: 30 * time.Second}, store: st,
		st: standin.NewShared(st, "telegram", func() *state {
			return &state{Bots: map[string]*botState{}, Files: map[string]fileInfo{}, UpdateID: 500000000}
		})}
}

// Register adds a bot and chats it is in (idempotent: an existing bot keeps its webhook, and a
// chat it knows keeps its state, a block included).
func (s *Server) Register(b Bot, chats ...Chat) {
	st := s.st.Lock()
	defer s.st.Unlock()
	bs := st.Bots[b.Token]
	if bs == nil {
		bs = &botState{Bot: b, Chats: map[int64]*Chat{}, NextMessage: map[int64]int{}}
		st.Bots[b.Token] = bs
	}
	for _, c := range chats {
		if bs.Chats[c.ID] == nil {
			c := c
			bs.Chats[c.ID] = &c
		}
	}
	s.st.Changed()
}

// SetBlocked makes a user block (or unblock) the bot.
func (s *Server) SetBlocked(token string, chatID int64, blocked bool) {
	st := s.st.Lock()
	defer s.st.Unlock()
	if b := st.Bots[token]; b != nil {
		if c := b.Chats[chatID]; c != nil {
			c.Blocked = blocked
			s.st.Changed()
		}
	}
}

// Throttle makes the bot's next call answer 429 with retry_after seconds.
func (s *Server) Throttle(token string, retryAfter int) {
	st := s.st.Lock()
	defer s.st.Unlock()
	if b := st.Bots[token]; b != nil {
		b.Throttle = retryAfter
		s.st.Changed()
	}
}

// Mount adds the stand-in's routes.
func (s *Server) Mount(mux *http.ServeMux) {
	mux.HandleFunc(Prefix+"/{bot}/{method}", s.method)
	mux.HandleFunc("GET "+Prefix+"/file/{bot}/{path...}", s.download)
}

// tokenOf is the bot token of a path segment "bot<token>", "" when there is no such bot.
func (s *Server) tokenOf(seg string) string {
	if len(seg) < 4 || seg[:3] != "bot" {
		return ""
	}
	st := s.st.Lock()
	defer s.st.Unlock()
	if st.Bots[seg[3:]] == nil {
		return ""
	}
	return seg[3:]
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
