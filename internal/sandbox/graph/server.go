// Package graph is the sandbox's stand-in for the WhatsApp Cloud API (Meta's Graph API): the
// send, media and template endpoints the hub's real adapter calls, with Meta's JSON and error
// shapes, and signed webhooks (inbound messages and delivery statuses) posted to the hub.
package graph

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"sync"
	"time"
)

// Prefix is where the stand-in is mounted; the adapter's base URL is the hub's address + Prefix.
const Prefix = "/sandbox/graph/v21.0"

// Account is one business phone number as Meta's dashboard would configure it.
type Account struct {
	PhoneNumberID string
	WABAID        string
	DisplayPhone  string
	VerifiedName  string // the business name Meta shows for the number
	Token         string // the system user's access token
	AppSecret     string // signs webhooks
	HookURL       string // the callback URL: the hub's /hooks/waba/{connection_id}
	Unpaid        bool   // no payment method: templates fail with 131042
	Revoked       bool   // the token was invalidated: every call fails with 190
}

// OutMessage is one message the hub sent through the stand-in.
type OutMessage struct {
	ExternalID    string    `json:"external_id"`
	PhoneNumberID string    `json:"-"`
	To            string    `json:"to"`
	Type          string    `json:"type"`
	Text          string    `json:"text"`
	Template      string    `json:"template,omitempty"`
	MediaID       string    `json:"media_id,omitempty"`
	ReplyTo       string    `json:"reply_to,omitempty"`
	Status        string    `json:"status"`
	Error         string    `json:"error,omitempty"`
	CreatedAt     time.Time `json:"created_at"`
}

// InMessage is one customer message the stand-in delivered to the hub, kept for redelivery.
type InMessage struct {
	ExternalID    string    `json:"external_id"`
	PhoneNumberID string    `json:"-"`
	From          string    `json:"from"`
	Type          string    `json:"type"`
	Text          string    `json:"text"`
	ReplyTo       string    `json:"reply_to,omitempty"`
	CreatedAt     time.Time `json:"created_at"`
	body          []byte
}

type mediaFile struct {
	pnid string
	mime string
	data []byte
}

// Server is the stand-in. Its state lives in memory: like Meta's, it is not the hub's to keep.
type Server struct {
	// Root is the absolute address the stand-in is served at (the hub's public URL), for
	// media download URLs.
	Root func() string
	// StatusDelay is how long after accepting a message "sent" follows; "delivered" follows
	// after twice that. Default 300 ms.
	StatusDelay time.Duration
	HTTP        *http.Client

	mu          sync.Mutex
	accounts    map[string]*Account // by phone number id
	media       map[string]mediaFile
	outbox      []*OutMessage
	inbox       []*InMessage
	lastInbound map[string]time.Time // phone number id + "|" + wa_id
	throttled   map[string]int       // phone number id → sends still to refuse with 130429
	templates   []Template
}

// New returns a stand-in with the sandbox's approved templates.
func New(root func() string) *Server {
	return &Server{Root: root, HTTP: &http.Client{Timeout: 30 * time.Second},
		accounts: map[string]*Account{}, media: map[string]mediaFile{}, lastInbound: map[string]time.Time{},
		throttled: map[string]int{},
		templates: sampleTemplates()}
}

// Register adds or replaces an account (idempotent, for each sandbox start).
func (s *Server) Register(a Account) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.accounts[a.PhoneNumberID] = &a
}

// SetRevoked invalidates (or restores) an account's token.
func (s *Server) SetRevoked(phoneNumberID string, revoked bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a := s.accounts[phoneNumberID]; a != nil {
		a.Revoked = revoked
	}
}

// Throttle makes the number's next n sends fail with 130429 (Cloud API throughput reached),
// as Meta answers under load.
func (s *Server) Throttle(phoneNumberID string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.throttled[phoneNumberID] = n
}

// Mount adds the stand-in's routes.
func (s *Server) Mount(mux *http.ServeMux) {
	mux.HandleFunc("POST "+Prefix+"/{pnid}/messages", s.sendMessage)
	mux.HandleFunc("POST "+Prefix+"/{pnid}/media", s.uploadMedia)
	mux.HandleFunc("GET "+Prefix+"/{id}", s.mediaInfo)
	mux.HandleFunc("GET "+Prefix+"/{waba}/message_templates", s.listTemplates)
	mux.HandleFunc("GET "+Prefix+"/{waba}/phone_numbers", s.listPhoneNumbers)
	mux.HandleFunc("GET /sandbox/graph/lookaside/{id}", s.downloadMedia)
}

func (s *Server) account(pnid string) (Account, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.accounts[pnid]
	if !ok {
		return Account{}, false
	}
	return *a, true
}

func (s *Server) statusDelay() time.Duration {
	if s.StatusDelay > 0 {
		return s.StatusDelay
	}
	return 300 * time.Millisecond
}

func newID(prefix string) string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return prefix + hex.EncodeToString(b[:])
}
