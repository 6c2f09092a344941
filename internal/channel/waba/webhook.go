package waba

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/url"
	"strings"
)

// SignatureHeader carries the HMAC-SHA256 of the raw body keyed with the app secret.
const SignatureHeader = "X-Hub-Signature-256"

// Sign returns the X-Hub-Signature-256 value for body (the stand-in signs with it too).
func Sign(appSecret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(appSecret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// VerifySignature checks header against the exact bytes received, in constant time. An empty
// secret never verifies: a connection without one cannot accept webhooks.
func VerifySignature(appSecret string, body []byte, header string) bool {
	if appSecret == "" || !strings.HasPrefix(header, "sha256=") {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(Sign(appSecret, body)), []byte(header)) == 1
}

// Challenge answers Meta's subscription handshake: the challenge to echo when the mode is
// subscribe and the verify token matches, ok=false otherwise.
func Challenge(q url.Values, verifyToken string) (string, bool) {
	if verifyToken == "" || q.Get("hub.mode") != "subscribe" {
		return "", false
	}
	if subtle.ConstantTimeCompare([]byte(q.Get("hub.verify_token")), []byte(verifyToken)) != 1 {
		return "", false
	}
	return q.Get("hub.challenge"), true
}

// Routes lists the phone_number_ids a payload is addressed to, so the webhook handler can
// refuse a payload meant for another number before storing it.
func Routes(body []byte) ([]string, error) {
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, err
	}
	if env.Object != "whatsapp_business_account" {
		return nil, errors.New("waba: not a whatsapp_business_account payload")
	}
	var out []string
	for _, e := range env.Entry {
		for _, c := range e.Changes {
			if id := c.Value.Metadata.PhoneNumberID; id != "" {
				out = append(out, id)
			}
		}
	}
	return out, nil
}
