// Package amocrm is the sandbox's stand-in for amoCRM: OAuth, the subset of REST API v4 the hub
// uses (HAL JSON, problem+json errors, the 7 requests per second limit, admin-only users),
// webhooks on responsible changes, disposable tokens signed as amoCRM signs them, and the CRM
// shell pages the widget runs in. It is "outside" the hub: the hub learns about it only through
// its HTTP API. Served under /sandbox/amocrm/ only with --sandbox.
package amocrm

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Prefix is where the stand-in is mounted.
const Prefix = "/sandbox/amocrm"

// Options configure the stand-in.
type Options struct {
	// PublicURL is the hub's public URL; the sandbox CRM lives at PublicURL + Prefix.
	PublicURL string
	// ClientID and ClientSecret are the hub's integration as registered in this CRM.
	ClientID, ClientSecret string
	// RedirectURI is the integration's redirect URI (the hub's /amocrm/oauth).
	RedirectURI string
	// StatePath is the JSON file the CRM keeps its data in ("" keeps it in memory only).
	StatePath string
	// HTTPClient sends webhooks (nil: a client with a 10 s timeout).
	HTTPClient *http.Client
}

// Server is the sandbox CRM. Safe for concurrent use.
type Server struct {
	opt   Options
	mu    sync.Mutex
	st    *state
	codes map[string]grant // authorization codes (20 minutes, single use)
	hits  map[int64][]time.Time
	// throttled counts requests refused with 429.
	throttled int
	now       func() time.Time
	hooks     sync.WaitGroup
	// chats is the amojo stand-in, for the chats in cards' feeds (nil: no chats shown).
	chats Chats
	// beforeToken, when set, runs first in every token request (BeforeToken).
	beforeToken func()
	widgetCache
}

// New loads the CRM's data from opt.StatePath, or seeds the two accounts.
func New(opt Options) (*Server, error) {
	if opt.HTTPClient == nil {
		opt.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	s := &Server{opt: opt, codes: map[string]grant{}, hits: map[int64][]time.Time{}, now: time.Now}
	st, err := loadState(opt.StatePath)
	if err != nil {
		st = &state{Accounts: map[string]*account{"demo": seedDemo(), "fresh": seedFresh()},
			Access: map[string]grant{}, Refresh: map[string]grant{}}
		if err := st.save(opt.StatePath); err != nil {
			return nil, fmt.Errorf("sandbox amocrm: %w", err)
		}
	}
	s.st = st
	return s, nil
}

// BaseURL is the CRM's address: what the hub calls, and what disposable tokens carry as iss.
func (s *Server) BaseURL() string { return strings.TrimSuffix(s.opt.PublicURL, "/") + Prefix }

// Referer is how the CRM names itself in an install's redirect (host and path, no scheme).
func (s *Server) Referer() string {
	b := s.BaseURL()
	return b[strings.Index(b, "://")+3:]
}

// Credentials derives the sandbox integration's client id and secret from the hub's secret
// key, so they stay the same across restarts without being stored anywhere.
func Credentials(secretKey string) (clientID, clientSecret string) {
	m := func(label string) []byte {
		h := hmac.New(sha256.New, []byte(secretKey))
		h.Write([]byte("sandbox amocrm " + label))
		return h.Sum(nil)
	}
	id := m("client id")[:16]
	id[6] = id[6]&0x0f | 0x40 // a well-formed UUID v4, as amoCRM's integration ids are
	id[8] = id[8]&0x3f | 0x80
	h := hex.EncodeToString(id)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:], hex.EncodeToString(m("client secret"))
}

// Mount adds the stand-in's routes.
func (s *Server) Mount(mux *http.ServeMux) {
	mux.HandleFunc("GET "+Prefix+"/oauth", s.authorizePage)
	mux.HandleFunc("POST "+Prefix+"/oauth", s.authorize)
	mux.HandleFunc("POST "+Prefix+"/oauth2/access_token", s.accessToken)
	mux.HandleFunc(Prefix+"/api/v4/", s.api)
	mux.HandleFunc("POST "+Prefix+"/token", s.disposableToken)
	mux.HandleFunc("GET "+Prefix+"/users", s.listUsers)
	s.mountShell(mux)

}

// persist saves the state; the caller holds s.mu. A failed save is logged: the CRM keeps
// working from memory.
func (s *Server) persist() {
	if err := s.st.save(s.opt.StatePath); err != nil {
		slog.Error("sandbox amocrm: save state", "err", err)
	}
}

// Wait blocks until every webhook in flight was sent (tests use it).
func (s *Server) Wait() { s.hooks.Wait() }

// Throttled reports how many API requests were refused for going over the rate limit.
func (s *Server) Throttled() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.throttled
}
