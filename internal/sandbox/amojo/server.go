// Package amojo is the sandbox's stand-in for amoCRM's Chats API ("amojo"), mounted under
// /sandbox/amojo: it checks every request's signature as amojo does, connects the channel to
// sandbox CRM accounts, keeps chats and their messages per scope, makes a contact and an
// incoming lead in the sandbox CRM when an unknown customer writes, takes delivery statuses,
// and sends the integration signed hooks when a manager answers from a card's feed. Like the
// real service it is outside the hub: the hub reaches it only over HTTP.
package amojo

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	sandboxamo "github.com/switchboardhq/switchboard/internal/sandbox/amocrm"
	"github.com/switchboardhq/switchboard/internal/sandbox/standin"
)

// Prefix is where the stand-in is mounted.
const Prefix = "/sandbox/amojo"

// CRM is the sandbox CRM as amojo uses it (amoCRM's chats and its CRM are one company's).
type CRM interface {
	AccountExists(amojoID string) bool
	UserByAmojo(accountAmojoID, userAmojoID string) (id int64, name string, ok bool)
	IncomingChat(accountAmojoID, chatID, sourceExternalID string, c sandboxamo.Customer) (int64, error)
	ChatLinked(accountAmojoID, chatID string) bool
}

// Options configure the stand-in.
type Options struct {
	// ChannelID and Secret are the one channel the stand-in has granted (the hub's).
	ChannelID, Secret string
	// HookURL is the channel's hook address with the marker :scope_id, as registered.
	HookURL string
	CRM     CRM
	// Store keeps the chats, shared by every sandbox instance on the database (nil: this
	// process's memory).
	Store standin.Store
	// ImportPath is the JSON file an earlier release kept the chats in: read once, when the
	// store has none yet.
	ImportPath string
	// HTTPClient sends hooks; nil: a client with amoCRM's 5 s limit.
	HTTPClient *http.Client
}

// Server is the stand-in. Safe for concurrent use.
type Server struct {
	opt    Options
	shared *standin.Shared[state]
	// st is the state while the lock is held (lock, unlock).
	st    *state
	now   func() time.Time
	hooks sync.WaitGroup
	// down makes every API call answer 503, as during an amojo outage.
	down atomic.Bool
}

// Credentials derives the sandbox channel's id and secret from the hub's secret key, so they
// are the same on every start without being stored (the hub's defaults in sandbox mode).
func Credentials(secretKey string) (channelID, secret string) {
	m := func(label string) []byte {
		h := hmac.New(sha256.New, []byte(secretKey))
		h.Write([]byte("sandbox amojo " + label))
		return h.Sum(nil)
	}
	id := m("channel id")[:16]
	id[6] = id[6]&0x0f | 0x40
	id[8] = id[8]&0x3f | 0x80
	h := hex.EncodeToString(id)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:], hex.EncodeToString(m("secret"))[:40]
}

// New returns the stand-in over opt.Store; the first time, its chats come from opt.ImportPath
// or it starts empty.
func New(opt Options) (*Server, error) {
	if opt.HTTPClient == nil {
		opt.HTTPClient = &http.Client{Timeout: 5 * time.Second}
	}
	if opt.CRM == nil || opt.ChannelID == "" || opt.Secret == "" {
		return nil, errors.New("sandbox amojo: a CRM, a channel id and a secret are required")
	}
	if opt.Store == nil {
		opt.Store = standin.NewMemory()
	}
	if _, err := loadState(opt.ImportPath); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	s := &Server{opt: opt, now: time.Now}
	s.shared = standin.NewShared(opt.Store, "amojo", func() *state {
		if st, err := loadState(opt.ImportPath); err == nil {
			return st
		}
		return &state{Scopes: map[string]*scope{}}
	})
	return s, nil
}

// lock takes the chats (every sandbox instance's amojo is the same one) into s.st until unlock.
func (s *Server) lock() { s.st = s.shared.Lock() }

func (s *Server) unlock() { s.shared.Unlock() }

// SetDown starts (true) or ends an outage: meanwhile every API call answers 503.
func (s *Server) SetDown(down bool) { s.down.Store(down) }

// Wait blocks until every hook in flight was sent (tests use it).
func (s *Server) Wait() { s.hooks.Wait() }

// Mount adds the API's routes.
func (s *Server) Mount(mux *http.ServeMux) {
	base := Prefix + "/v2/origin/custom/"
	mux.HandleFunc("POST "+base+"{channel}/connect", s.signed(s.connect))
	mux.HandleFunc("DELETE "+base+"{channel}/disconnect", s.signed(s.disconnect))
	mux.HandleFunc("POST "+base+"{scope}/chats", s.signed(s.scoped(s.createChat)))
	mux.HandleFunc("POST "+base+"{scope}", s.signed(s.scoped(s.event)))
	mux.HandleFunc("POST "+base+"{scope}/{msgid}/delivery_status", s.signed(s.scoped(s.deliveryStatus)))
	mux.HandleFunc("POST "+base+"{scope}/typing", s.signed(s.scoped(s.typing)))
	mux.HandleFunc("POST "+base+"{scope}/react", s.signed(s.scoped(s.react)))
}

// state is the stand-in's data, kept in the sandbox's store like the sandbox CRM's.
type state struct {
	Scopes map[string]*scope `json:"scopes"`
}

// scope is the channel connected to one account.
type scope struct {
	AccountID string           `json:"account_id"` // the account's amojo id
	Title     string           `json:"title"`
	Connected bool             `json:"connected"`
	Chats     map[string]*chat `json:"chats"` // by the integration's conversation_id
}

// chat is one conversation with a customer.
type chat struct {
	ID             string     `json:"id"` // amojo's
	ConversationID string     `json:"conversation_id"`
	UserID         string     `json:"user_id"`   // amojo's id of the customer
	ClientID       string     `json:"client_id"` // the integration's id of the customer
	Name           string     `json:"name"`
	Phone          string     `json:"phone,omitempty"`
	Avatar         string     `json:"avatar,omitempty"`
	ProfileLink    string     `json:"profile_link,omitempty"`
	Source         string     `json:"source,omitempty"`
	Messages       []*message `json:"messages"`
}

// message is one message of a chat.
type message struct {
	ID       string `json:"id"`              // amojo's
	MsgID    string `json:"msgid,omitempty"` // the integration's (messages it posted)
	Incoming bool   `json:"incoming"`
	Author   string `json:"author"`
	Type     string `json:"type"`
	Text     string `json:"text,omitempty"`
	Media    string `json:"media,omitempty"`
	FileName string `json:"file_name,omitempty"`
	Status   string `json:"status,omitempty"` // outgoing: sent, delivered, read, failed
	Error    string `json:"error,omitempty"`
	At       int64  `json:"at"`
	Silent   bool   `json:"silent,omitempty"`
	Reaction string `json:"reaction,omitempty"` // the customer's
	// ManagerReaction is the reaction a manager set in amoCRM.
	ManagerReaction string `json:"manager_reaction,omitempty"`
}

func loadState(path string) (*state, error) {
	if path == "" {
		return nil, os.ErrNotExist
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var st state
	if err := json.Unmarshal(b, &st); err != nil || st.Scopes == nil {
		return nil, fmt.Errorf("sandbox amojo: %s is damaged: %v", path, err)
	}
	return &st, nil
}

// persist marks the state to be saved at unlock; the caller holds the lock.
func (s *Server) persist() { s.shared.Changed() }

// scopeOf finds the connected scope of an account; the caller holds the lock.
func (s *Server) scopeOf(accountAmojoID string) (string, *scope) {
	for id, sc := range s.st.Scopes {
		if sc.AccountID == accountAmojoID && sc.Connected {
			return id, sc
		}
	}
	return "", nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// refuse answers an error as amojo does.
func refuse(w http.ResponseWriter, status int, detail string) {
	writeJSON(w, status, map[string]any{"error": strings.ToLower(http.StatusText(status)), "detail": detail})
}
