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
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/switchboardhq/switchboard/internal/sandbox/standin"
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
	// Store keeps the CRM's data, shared by every sandbox instance on the database (nil: this
	// process's memory).
	Store standin.Store
	// ImportPath is the JSON file an earlier release kept the CRM's data in: read once, when
	// the store has none yet.
	ImportPath string
	// HTTPClient sends webhooks (nil: a client with a 10 s timeout).
	HTTPClient *http.Client
}

// Server is the sandbox CRM. Safe for concurrent use.
type Server struct {
	opt    Options
	shared *standin.Shared[state]
	// st is the state while the lock is held (lock, unlock).
	st   *state
	hits map[int64][]time.Time
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

// New returns the CRM over opt.Store; the first time, its data comes from opt.ImportPath or
// is the two accounts' seed.
func New(opt Options) (*Server, error) {
	if opt.HTTPClient == nil {
		opt.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	if opt.Store == nil {
		opt.Store = standin.NewMemory()
	}
	s := &Server{opt: opt, hits: map[int64][]time.Time{}, now: time.Now}
	s.shared = standin.NewShared(opt.Store, "amocrm", func() *state {
		st, err := loadState(opt.ImportPath)
		if err != nil {
			st = &state{Accounts: map[string]*account{"demo": seedDemo(), "fresh": seedFresh()},
				Access: map[string]grant{}, Refresh: map[string]grant{}}
		}
		return st
	})
	s.lock() // seeds the store now, not on the first request
	s.unlock()
	return s, nil
}

// lock takes the CRM's data (every sandbox instance's CRM is the same one) into s.st until
// unlock; it also guards this process's request counts.
func (s *Server) lock() {
	s.st = s.shared.Lock()
	if s.st.Codes == nil {
		s.st.Codes = map[string]grant{}
	}
}

func (s *Server) unlock() { s.shared.Unlock() }

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

// persist marks the state to be saved at unlock; the caller holds the lock.
func (s *Server) persist() { s.shared.Changed() }

// Wait blocks until every webhook in flight was sent (tests use it).
func (s *Server) Wait() { s.hooks.Wait() }

// Throttled reports how many API requests were refused for going over the rate limit.
func (s *Server) Throttled() int {
	s.lock()
	defer s.unlock()
	return s.throttled
}
