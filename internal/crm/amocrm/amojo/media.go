package amojo

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// mediaPath serves the files of mirrored messages to amoCRM, which fetches them by URL.
const mediaPath = "/amojo/media/"

// mediaTTL is how long a media link works: amoCRM fetches the file when the message arrives,
// and again whenever a manager opens it.
const mediaTTL = 30 * 24 * time.Hour

// mediaURL is a link to a message's file that only this hub could have made: the workspace,
// message, attachment and expiry under an HMAC of the mirror's media key. It carries no
// session; anyone with the link can fetch the file until it expires, as with amoCRM's own.
func (m *Mirror) mediaURL(workspaceID, messageID, attachmentID string) string {
	exp := strconv.FormatInt(m.now().Add(mediaTTL).Unix(), 10)
	q := url.Values{"exp": {exp}, "sig": {m.mediaSig(workspaceID, messageID, attachmentID, exp)}}
	return m.PublicURL + mediaPath + url.PathEscape(workspaceID) + "/" + url.PathEscape(messageID) + "/" +
		url.PathEscape(attachmentID) + "?" + q.Encode()
}

func (m *Mirror) mediaSig(parts ...string) string {
	h := hmac.New(sha256.New, m.MediaKey)
	h.Write([]byte(strings.Join(parts, "|")))
	return hex.EncodeToString(h.Sum(nil))
}

// serveMedia answers a media link: a bad or expired signature is 403, a message or file that
// is gone 404.
func (m *Mirror) serveMedia(w http.ResponseWriter, r *http.Request) {
	ws, msgID, atID := r.PathValue("workspace"), r.PathValue("message"), r.PathValue("attachment")
	exp := r.URL.Query().Get("exp")
	until, err := strconv.ParseInt(exp, 10, 64)
	if err != nil || len(m.MediaKey) == 0 || m.now().Unix() > until ||
		!hmac.Equal([]byte(r.URL.Query().Get("sig")), []byte(m.mediaSig(ws, msgID, atID, exp))) {
		http.Error(w, "this link is not valid", http.StatusForbidden)
		return
	}
	msg, err := m.Store.Message(r.Context(), ws, msgID)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	for _, at := range msg.Attachments {
		if at.ID != atID || at.StorageKey == "" {
			continue
		}
		obj, err := m.Media.Open(r.Context(), at.StorageKey)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		defer obj.Close()
		w.Header().Set("Content-Type", at.MIME)
		w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": at.Name}))
		w.Header().Set("X-Content-Type-Options", "nosniff")
		http.ServeContent(w, r, "", obj.ModTime(), obj)
		return
	}
	http.NotFound(w, r)
}
