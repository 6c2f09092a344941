// Package auth issues and checks the hub's own session tokens: what the chat window sends as
// `Authorization: Bearer …` after POST /api/v1/sessions exchanged a CRM disposable token for one.
package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"time"
)

// MaxSessionTTL bounds a session token's life (ARCHITECTURE.md §3: at most an hour).
const MaxSessionTTL = time.Hour

// Session is what a token proves: who is asking, for which workspace, until when.
type Session struct {
	WorkspaceID string    `json:"w"`
	EmployeeID  string    `json:"e"`
	ExpiresAt   time.Time `json:"x"`
}

// ErrInvalid is returned for a malformed, forged or expired token.
var ErrInvalid = errors.New("auth: invalid or expired session token")

// Signer makes and checks tokens with one key.
type Signer struct{ key []byte }

// NewSigner derives the session key from the hub's secret key, so the same secret never signs
// two kinds of thing.
func NewSigner(secretKey string) *Signer { return NewSignerFor(secretKey, "session") }

// NewSignerFor derives a key for one kind of token (purpose), so a token of one kind (say, the
// cabinet's cookie) is never accepted as another (the chat window's Bearer token).
func NewSignerFor(secretKey, purpose string) *Signer {
	m := hmac.New(sha256.New, []byte(secretKey))
	m.Write([]byte("switchboard " + purpose + " v1"))
	return &Signer{key: m.Sum(nil)}
}

// Issue signs s; its ExpiresAt is capped at now+MaxSessionTTL.
func (g *Signer) Issue(s Session, now time.Time) (string, Session) {
	if s.ExpiresAt.IsZero() || s.ExpiresAt.After(now.Add(MaxSessionTTL)) {
		s.ExpiresAt = now.Add(MaxSessionTTL)
	}
	s.ExpiresAt = s.ExpiresAt.UTC().Truncate(time.Second)
	body, _ := json.Marshal(s)
	payload := base64.RawURLEncoding.EncodeToString(body)
	return payload + "." + g.sign(payload), s
}

// Verify checks the signature and expiry of token.
func (g *Signer) Verify(token string, now time.Time) (Session, error) {
	payload, sig, ok := strings.Cut(token, ".")
	if !ok || !hmac.Equal([]byte(sig), []byte(g.sign(payload))) {
		return Session{}, ErrInvalid
	}
	body, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return Session{}, ErrInvalid
	}
	var s Session
	if err := json.Unmarshal(body, &s); err != nil || s.WorkspaceID == "" || s.EmployeeID == "" {
		return Session{}, ErrInvalid
	}
	if !now.Before(s.ExpiresAt) {
		return Session{}, ErrInvalid
	}
	return s, nil
}

func (g *Signer) sign(payload string) string {
	m := hmac.New(sha256.New, g.key)
	m.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// MAC authenticates data for a purpose other than sessions (such as download links), with a key
// derived from the session key and the purpose, so a MAC made for one purpose is never valid
// for another and no MAC is ever a session token.
func (g *Signer) MAC(purpose, data string) string {
	k := hmac.New(sha256.New, g.key)
	k.Write([]byte("purpose:" + purpose))
	m := hmac.New(sha256.New, k.Sum(nil))
	m.Write([]byte(data))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}
