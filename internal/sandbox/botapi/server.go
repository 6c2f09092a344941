// Package botapi is the sandbox's stand-in for the Telegram Bot API: the methods the hub's real
// adapter calls (JSON, form or multipart parameters, {"ok":…} answers, the real error shapes),
// file downloads, and updates posted to the bot's webhook with its secret token.
package botapi

import (
	"net/http"
	"strconv"
	"sync"
	"time"
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
	BotID      int64     `json:"-"`
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
	BotID      int64     `json:"-"`
	From       int64     `json:"from"`
	ChatID     int64     `json:"chat_id"`
	Type       string    `json:"type"`
	Text       string    `json:"text"`
	CreatedAt  time.Time `json:"created_at"`
	body       []byte
}

type botState struct {
	Bot
	hookURL, secret string
	chats           map[int64]*Chat
	nextMessage     map[int64]int
	throttle        int // seconds: the next call answers 429 with this retry_after
}

type storedFile struct {
	path, mime string
	data       []byte
}

// Server is the stand-in; its state lives in memory, as Telegram's is not the hub's to keep.
type Server struct {
	HTTP *http.Client

	mu       sync.Mutex
	bots     map[string]*botState // by token
	files    map[string]storedFile
	outbox   []*OutMessage
	inbox    []*InMessage
	updateID int
}

// New returns an empty stand-in.
func New() *Server {
	return &Server{HTTP: &http.Client{Timeout: 30 * time.Second}, bots: map[string]*botState{},
		files: map[string]storedFile{}, updateID: 500000000}
}

// Register adds a bot (idempotent: an existing bot keeps its chats and webhook).
func (s *Server) Register(b Bot, chats ...Chat) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.bots[b.Token]
	if st == nil {
		st = &botState{Bot: b, chats: map[int64]*Chat{}, nextMessage: map[int64]int{}}
		s.bots[b.Token] = st
	}
	for _, c := range chats {
		c := c
		st.chats[c.ID] = &c
	}
}

// SetBlocked makes a user block (or unblock) the bot.
func (s *Server) SetBlocked(token string, chatID int64, blocked bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if b := s.bots[token]; b != nil {
		if c := b.chats[chatID]; c != nil {
			c.Blocked = blocked
		}
	}
}

// Throttle makes the bot's next call answer 429 with retry_after seconds.
func (s *Server) Throttle(token string, retryAfter int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if b := s.bots[token]; b != nil {
		b.throttle = retryAfter
	}
}

// Mount adds the stand-in's routes.
func (s *Server) Mount(mux *http.ServeMux) {
	mux.HandleFunc(Prefix+"/{bot}/{method}", s.method)
	mux.HandleFunc("GET "+Prefix+"/file/{bot}/{path...}", s.download)
}

func (s *Server) botByPath(seg string) *botState {
	if len(seg) < 4 || seg[:3] != "bot" {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.bots[seg[3:]]
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
