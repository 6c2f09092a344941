// Package graph is the sandbox's stand-in for the WhatsApp Cloud API (Meta's Graph API): the
// send, media and template endpoints the hub's real adapter calls, with Meta's JSON and error
// shapes, and signed webhooks (inbound messages and delivery statuses) posted to the hub.
package graph

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"time"

	"github.com/switchboardhq/switchboard/internal/sandbox/standin"
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
	Console       bool   // made in the sandbox's provider console (its webhook and secret are the admin's)
}

// OutMessage is one message the hub sent through the stand-in.
type OutMessage struct {
	ExternalID    string    `json:"external_id"`
	PhoneNumberID string    `json:"phone_number_id"`
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
	PhoneNumberID string    `json:"phone_number_id"`
	From          string    `json:"from"`
	Type          string    `json:"type"`
	Text          string    `json:"text"`
	ReplyTo       string    `json:"reply_to,omitempty"`
	CreatedAt     time.Time `json:"created_at"`
	// Body is the webhook as posted (kept, not listed).
	Body []byte `json:"body,omitempty"`
}

// mediaFile is an uploaded or customer's file; its bytes are in the store under its id.
type mediaFile struct {
	PNID string
	MIME string
	Size int
	SHA  string
}

// state is everything the stand-in knows, shared by the sandbox's instances.
type state struct {
	Accounts    map[string]*Account // by phone number id
	Media       map[string]mediaFile
	Outbox      []*OutMessage
	Inbox       []*InMessage
	LastInbound map[string]time.Time // phone number id + "|" + wa_id
	Throttled   map[string]int       // phone number id → sends still to refuse with 130429
	Templates   []Template
	// Signals: the business's reactions (by wamid) and typing (by phone number id + "|" + wa_id).
	Signals standin.Signals
}

// Server is the stand-in. Its state lives in the sandbox's store (standin.Shared): like Meta's
// it is not the hub's to keep, yet every instance sees it and a restart keeps it.
type Server struct {
	// Root is the absolute address the stand-in is served at (the hub's public URL), for
	// media download URLs.
	Root func() string
	// StatusDelay is how long after accepting a message "sent" follows; "delivered" follows
	// after twice that. Default 300 ms.
	StatusDelay time.Duration
	HTTP        *http.Client

	store standin.Store
	st    *standin.Shared[state]
}

// New returns a stand-in keeping its state in st, with the sandbox's approved templates.
func New(st standin.Store, root func() string) *Server {
	return &Server{Root: root, HTTP: &http.Client{Timeout: 30 * time.Second}, store: st,
		st: standin.NewShared(st, "whatsapp", func() *state {
			return &state{Accounts: map[string]*Account{}, Media: map[string]mediaFile{}, LastInbound: map[string]time.Time{},
				Throttled: map[string]int{}, Templates: sampleTemplates()}
		})}
}

// Register adds or replaces an account (idempotent, for each sandbox start).
func (s *Server) Register(a Account) {
	st := s.st.Lock()
	defer s.st.Unlock()
	if old := st.Accounts[a.PhoneNumberID]; old == nil || *old != a {
		st.Accounts[a.PhoneNumberID] = &a
		s.st.Changed()
	}
}

// Account returns the number's account as Meta's dashboard shows it.
func (s *Server) Account(phoneNumberID string) (Account, bool) { return s.account(phoneNumberID) }

// UpdateAccount changes an account in one step (every instance sees it); false when there is
// no such number.
func (s *Server) UpdateAccount(phoneNumberID string, change func(*Account)) (Account, bool) {
	st := s.st.Lock()
	defer s.st.Unlock()
	a := st.Accounts[phoneNumberID]
	if a == nil {
		return Account{}, false
	}
	change(a)
	s.st.Changed()
	return *a, true
}

// SetRevoked invalidates (or restores) an account's token.
func (s *Server) SetRevoked(phoneNumberID string, revoked bool) {
	st := s.st.Lock()
	defer s.st.Unlock()
	if a := st.Accounts[phoneNumberID]; a != nil {
		a.Revoked = revoked
		s.st.Changed()
	}
}

// Throttle makes the number's next n sends fail with 130429 (Cloud API throughput reached),
// as Meta answers under load.
func (s *Server) Throttle(phoneNumberID string, n int) {
	st := s.st.Lock()
	defer s.st.Unlock()
	st.Throttled[phoneNumberID] = n
	s.st.Changed()
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
	st := s.st.Lock()
	defer s.st.Unlock()
	a, ok := st.Accounts[pnid]
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
