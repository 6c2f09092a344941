// Package secrets encrypts values at rest (connection tokens, app secrets, CRM OAuth tokens)
// with AES-256-GCM under a key from SWITCHBOARD_SECRET_KEY.
package secrets

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Box seals and opens values with one key.
type Box struct{ aead cipher.AEAD }

// NewBox takes a 32-byte key written as 64 hex digits or standard base64.
func NewBox(key string) (*Box, error) {
	key = strings.TrimSpace(key)
	raw, err := hex.DecodeString(key)
	if err != nil {
		raw, err = base64.StdEncoding.DecodeString(key)
	}
	if err != nil || len(raw) != 32 {
		return nil, errors.New("secret key must be 32 bytes, as 64 hex digits or base64")
	}
	block, err := aes.NewCipher(raw)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Box{aead}, nil
}

// Seal encrypts plain; the result is base64 text safe for a TEXT column.
func (b *Box) Seal(plain []byte) string {
	nonce := make([]byte, b.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return base64.StdEncoding.EncodeToString(b.aead.Seal(nonce, nonce, plain, nil))
}

// Open decrypts what Seal produced; a wrong key or tampered text is an error.
func (b *Box) Open(sealed string) ([]byte, error) {
	raw, err := base64.StdEncoding.DecodeString(sealed)
	if err != nil || len(raw) < b.aead.NonceSize() {
		return nil, errors.New("secrets: malformed sealed value")
	}
	n := b.aead.NonceSize()
	plain, err := b.aead.Open(nil, raw[:n], raw[n:], nil)
	if err != nil {
		return nil, errors.New("secrets: cannot decrypt (wrong SWITCHBOARD_SECRET_KEY?)")
	}
	return plain, nil
}

// LoadOrCreateKey reads the key kept in dir/secret.key, creating it with a random key when
// absent. Sandbox mode only: production passes SWITCHBOARD_SECRET_KEY.
func LoadOrCreateKey(dir string) (string, error) {
	p := filepath.Join(dir, "secret.key")
	if b, err := os.ReadFile(p); err == nil {
		return strings.TrimSpace(string(b)), nil
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	key := hex.EncodeToString(raw)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	if err := os.WriteFile(p, []byte(key+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("secret key: %w", err)
	}
	return key, nil
}
