package httpapi

import (
	"crypto/hmac"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/switchboardhq/switchboard/internal/apierr"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

// fileLinkTTL bounds how long a download link works. Links expire on 10-minute boundaries so
// a history reloaded within the same window gets the same URLs (and the browser's cache).
const fileLinkTTL = 30 * time.Minute

const fileLinkPurpose = "file link v1"

// fileURL is an attachment's download link for the caller: usable without a header (by <img>,
// <video>, <audio>), bound to the employee, short-lived.
func (s *Server) fileURL(c Caller, attachmentID string, now time.Time) string {
	exp := now.Add(fileLinkTTL).Truncate(10 * time.Minute).Add(10 * time.Minute).Unix()
	q := url.Values{}
	q.Set("w", c.Workspace.ID)
	q.Set("e", c.Employee.ID)
	q.Set("x", strconv.FormatInt(exp, 10))
	q.Set("s", s.Signer.MAC(fileLinkPurpose, fileLinkData(c.Workspace.ID, c.Employee.ID, attachmentID, exp)))
	return "/api/v1/files/" + url.PathEscape(attachmentID) + "?" + q.Encode()
}

func fileLinkData(ws, emp, attachmentID string, exp int64) string {
	return fmt.Sprintf("%s\n%s\n%s\n%d", ws, emp, attachmentID, exp)
}

// downloadFile answers GET /api/v1/files/{id}: a signed link checked like a session (the
// employee must still exist) and then against the same access rules as the chat.
func (s *Server) downloadFile(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	id := r.PathValue("id")
	exp, err := strconv.ParseInt(q.Get("x"), 10, 64)
	if err != nil || time.Now().Unix() >= exp {
		return apierr.Unauthorized
	}
	want := s.Signer.MAC(fileLinkPurpose, fileLinkData(q.Get("w"), q.Get("e"), id, exp))
	if !hmac.Equal([]byte(want), []byte(q.Get("s"))) {
		return apierr.Unauthorized
	}
	ctx := r.Context()
	emp, err := s.Store.Employee(ctx, q.Get("w"), q.Get("e"))
	if errors.Is(err, store.ErrNotFound) {
		return apierr.Unauthorized
	} else if err != nil {
		return err
	}
	ws, err := s.Store.Workspace(ctx, emp.WorkspaceID)
	if err != nil {
		return err
	}
	ctx = withCaller(ctx, Caller{Workspace: ws, Employee: emp})
	a, err := s.Store.AccessOf(ctx, emp)
	if err != nil {
		return err
	}
	att, chatID, err := s.Store.AttachmentOf(ctx, ws.ID, id)
	if errors.Is(err, store.ErrNotFound) {
		return apierr.NotFound
	} else if err != nil {
		return err
	}
	if _, _, err := s.visibleChat(ctx, a, chatID); err != nil {
		return err
	}
	return s.serveMedia(w, r.WithContext(ctx), att)
}

// serveMedia streams a stored file with Range support. Only images, audio and video display
// inline; everything else downloads, and nosniff stops the browser second-guessing the type.
func (s *Server) serveMedia(w http.ResponseWriter, r *http.Request, a hub.Attachment) error {
	if a.StorageKey == "" {
		return apierr.NotFound.Because(errors.New("attachment not fetched yet"))
	}
	f, err := s.Media.Open(r.Context(), a.StorageKey)
	if err != nil {
		return apierr.NotFound.Because(err)
	}
	defer f.Close()
	h := w.Header()
	h.Set("Content-Type", a.MIME)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, max-age=600")
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	disposition := "attachment"
	if inlineMIME(a.MIME) {
		disposition = "inline"
	}
	h.Set("Content-Disposition", disposition+"; filename*=UTF-8''"+rfc5987(a.Name))
	http.ServeContent(w, r, "", f.ModTime(), f)
	return nil
}

// rfc5987 percent-encodes a file name for filename* (RFC 5987 attr-chars stay as they are).
func rfc5987(name string) string {
	const keep = "!#$&+-.^_`|~"
	var b strings.Builder
	for _, c := range []byte(name) {
		if c < 0x80 && (unicode.IsLetter(rune(c)) || unicode.IsDigit(rune(c)) || strings.IndexByte(keep, c) >= 0) {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}
