package graph

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"mime"
	"net/http"
	"strconv"
)

// accepted are the media types the Cloud API takes (audio must be Ogg with Opus for voice).
var accepted = map[string]bool{"audio/aac": true, "audio/amr": true, "audio/mpeg": true, "audio/mp4": true,
	"audio/ogg": true, "image/jpeg": true, "image/png": true, "image/webp": true, "video/mp4": true, "video/3gpp": true,
	"text/plain": true, "application/pdf": true, "application/msword": true, "application/vnd.ms-excel": true,
	"application/vnd.ms-powerpoint":                                             true,
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document":   true,
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":         true,
	"application/vnd.openxmlformats-officedocument.presentationml.presentation": true}

// maxUpload is the largest file the Cloud API takes (documents, 100 MB).
const maxUpload = 100 << 20

// storeMedia keeps a file (its bytes first, then its entry) and returns its media id.
func (s *Server) storeMedia(ctx context.Context, pnid, mimeType string, data []byte) (string, error) {
	id := newID("")
	if err := s.store.PutSandboxFile(ctx, "whatsapp:"+id, mimeType, data); err != nil {
		return "", err
	}
	st := s.st.Lock()
	defer s.st.Unlock()
	st.Media[id] = mediaFile{PNID: pnid, MIME: mimeType, Size: len(data), SHA: sha(data)}
	s.st.Changed()
	return id, nil
}

func (s *Server) hasMedia(id string) bool {
	st := s.st.Lock()
	defer s.st.Unlock()
	_, ok := st.Media[id]
	return ok
}

func (s *Server) file(id string) (mediaFile, Account, bool) {
	st := s.st.Lock()
	f, ok := st.Media[id]
	s.st.Unlock()
	if !ok {
		return f, Account{}, false
	}
	a, ok := s.account(f.PNID)
	return f, a, ok
}

func sha(data []byte) string {
	h := sha256.Sum256(data)
	return base64.StdEncoding.EncodeToString(h[:])
}

// uploadMedia is POST /{phone-number-id}/media (multipart: messaging_product, type, file).
func (s *Server) uploadMedia(w http.ResponseWriter, r *http.Request) {
	a, ok := s.account(r.PathValue("pnid"))
	if !authorize(w, r, a, ok) {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload+1<<20)
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		graphError(w, http.StatusBadRequest, 100, "Invalid parameter", "multipart/form-data with a file is required")
		return
	}
	if r.FormValue("messaging_product") != "whatsapp" {
		graphError(w, http.StatusBadRequest, 100, "Invalid parameter", "messaging_product must be whatsapp")
		return
	}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		graphError(w, http.StatusBadRequest, 100, "Invalid parameter", "file is required")
		return
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		graphError(w, http.StatusBadRequest, 131053, "Media upload error", err.Error())
		return
	}
	t := r.FormValue("type")
	if t == "" {
		t = hdr.Header.Get("Content-Type")
	}
	base, _, err := mime.ParseMediaType(t)
	if err != nil || !accepted[base] {
		graphError(w, http.StatusBadRequest, 131053, "Media upload error", "Unsupported file type "+t)
		return
	}
	id, err := s.storeMedia(r.Context(), a.PhoneNumberID, t, data)
	if err != nil {
		graphError(w, http.StatusInternalServerError, 1, "An unknown error occurred", err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"id": id})
}

// mediaInfo is GET /{media-id}: a short-lived URL to download the file with the same token.
func (s *Server) mediaInfo(w http.ResponseWriter, r *http.Request) {
	f, a, ok := s.file(r.PathValue("id"))
	if !authorize(w, r, a, ok) {
		return
	}
	id := r.PathValue("id")
	writeJSON(w, http.StatusOK, map[string]any{"messaging_product": "whatsapp", "id": id,
		"url": s.Root() + "/sandbox/graph/lookaside/" + id, "mime_type": f.MIME, "sha256": f.SHA, "file_size": f.Size})
}

// downloadMedia serves the bytes behind a media URL; it needs the bearer token too.
func (s *Server) downloadMedia(w http.ResponseWriter, r *http.Request) {
	_, a, ok := s.file(r.PathValue("id"))
	if !authorize(w, r, a, ok) {
		return
	}
	mimeType, data, err := s.store.SandboxFile(r.Context(), "whatsapp:"+r.PathValue("id"))
	if err != nil {
		graphError(w, http.StatusNotFound, 100, "Invalid parameter", "media not found")
		return
	}
	w.Header().Set("Content-Type", mimeType)
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	_, _ = w.Write(data)
}
