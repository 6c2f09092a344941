// Package amojo is the client of amoCRM's Chats API ("amojo"): the channel's request signing,
// connecting an account, creating chats, posting messages, delivery statuses, typing and
// reactions, and the check and shapes of the hooks amoCRM sends when a manager writes from its
// own UI. It knows nothing of the hub's store; the mirror (package amojo's Mirror) does.
package amojo

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha1"
	"encoding/hex"
	"net/http"
	"strings"
	"time"
)

// dateLayout is RFC 2822, the form amojo's Date header takes.
const dateLayout = time.RFC1123Z

// contentType is the only body type amojo accepts.
const contentType = "application/json"

// sign sets the four headers amojo checks on every request: Date, Content-Type, Content-MD5
// (lowercase hex MD5 of the exact body; of "" for a GET) and X-Signature, the lowercase hex
// HMAC-SHA1 under the channel secret of method, MD5, content type, date and path, one per line.
func sign(req *http.Request, body []byte, secret string, now time.Time) {
	sum := md5.Sum(body)
	md := hex.EncodeToString(sum[:])
	date := now.UTC().Format(dateLayout)
	req.Header.Set("Date", date)
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Content-MD5", md)
	req.Header.Set("X-Signature", signature(secret, req.Method, md, contentType, date, requestPath(req)))
}

// signature is the request signature over its parts.
func signature(secret, method, md, ctype, date, path string) string {
	m := hmac.New(sha1.New, []byte(secret))
	m.Write([]byte(strings.Join([]string{strings.ToUpper(method), md, ctype, date, path}, "\n")))
	return hex.EncodeToString(m.Sum(nil))
}

// requestPath is the part of the URL the signature covers: the path, with the query if any.
func requestPath(req *http.Request) string {
	if req.URL.RawQuery != "" {
		return req.URL.Path + "?" + req.URL.RawQuery
	}
	return req.URL.Path
}

// HookSignature is what amoCRM puts in a hook's X-Signature: lowercase hex HMAC-SHA1 of the
// raw body under the channel secret.
func HookSignature(secret string, body []byte) string {
	m := hmac.New(sha1.New, []byte(secret))
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// VerifyHook reports whether sig is the channel's signature of body (constant time; the
// header's case does not matter).
func VerifyHook(secret string, body []byte, sig string) bool {
	if secret == "" || sig == "" {
		return false
	}
	return hmac.Equal([]byte(strings.ToLower(strings.TrimSpace(sig))), []byte(HookSignature(secret, body)))
}
