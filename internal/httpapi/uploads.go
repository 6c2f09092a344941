package httpapi

import (
	"bufio"
	"errors"
	"io"
	"mime"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/switchboardhq/switchboard/internal/apierr"
	"github.com/switchboardhq/switchboard/internal/media"
	"github.com/switchboardhq/switchboard/internal/respond"
	"github.com/switchboardhq/switchboard/internal/sanitize"
	"github.com/switchboardhq/switchboard/internal/store"
)

// Media keeps files: internal/media's stores (a folder, a shared folder, an S3 bucket).
type Media = media.Store

// MaxUpload bounds one uploaded file unless Server.UploadLimit says less (WhatsApp documents
// go up to 100 MB).
const MaxUpload = 100 << 20

// upload answers POST /api/v1/uploads (multipart, field "file"): 201 {"id", "name", "mime",
// "size"}. The type comes from the bytes; the name's extension only refines a type the bytes
// cannot tell apart (an Office file is a zip), never overrides what they show.
func (s *Server) upload(w http.ResponseWriter, r *http.Request) error {
	c := callerOf(r.Context())
	if s.Media == nil {
		return apierr.Unavailable.Because(errors.New("no media store configured"))
	}
	if !s.Limits.Uploads.Enter(c.Employee.ID) {
		return rateLimited(w, time.Second)
	}
	defer s.Limits.Uploads.Leave(c.Employee.ID)
	if err := readFor(w, UploadReadTimeout); err != nil {
		return err
	}
	limit := s.UploadLimit
	if limit <= 0 {
		limit = MaxUpload
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit+1<<20) // room for the multipart framing
	mr, err := r.MultipartReader()
	if err != nil {
		return apierr.BadRequest.Because(err)
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return apierr.BadRequest.Because(errors.New(`no "file" part`))
		} else if err != nil {
			return uploadReadError(err)
		}
		if part.FormName() != "file" {
			part.Close()
			continue
		}
		// Streamed to the media store: the type is decided from the first bytes, the rest is
		// never held whole in memory.
		in := bufio.NewReaderSize(part, 512)
		head, err := in.Peek(512)
		if err != nil && !errors.Is(err, io.EOF) {
			return uploadReadError(err)
		}
		if len(head) == 0 {
			return apierr.BadRequest.Because(errors.New("empty file"))
		}
		name := sanitize.FileName(part.FileName())
		if name == "" {
			name = "file"
		}
		ctype := fileType(head, name, part.Header.Get("Content-Type"))
		body := &limitedBody{r: in, left: limit}
		key, ctype, size, err := s.Media.PutStream(r.Context(), body, ctype)
		if body.over {
			if err == nil {
				_ = s.Media.Delete(r.Context(), key)
			}
			return apierr.TooLarge
		}
		if errors.Is(err, media.ErrTooLarge) {
			return apierr.TooLarge
		}
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				return apierr.TooLarge
			}
			return err
		}
		u, err := s.Store.CreateUpload(r.Context(), store.Upload{WorkspaceID: c.Workspace.ID, EmployeeID: c.Employee.ID,
			Name: name, MIME: ctype, Size: size, StorageKey: key})
		if err != nil {
			return err
		}
		respond.JSON(w, http.StatusCreated, map[string]any{"id": u.ID, "name": u.Name, "mime": u.MIME, "size": u.Size})
		return nil
	}
}

// limitedBody reads at most left bytes and notes that the file went over (it then ends early,
// and the upload is refused).
type limitedBody struct {
	r    io.Reader
	left int64
	over bool
}

func (l *limitedBody) Read(p []byte) (int, error) {
	if l.left <= 0 {
		var one [1]byte
		if n, _ := io.ReadFull(l.r, one[:]); n > 0 {
			l.over = true
		}
		return 0, io.EOF
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}

func uploadReadError(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return apierr.TooLarge
	}
	return apierr.BadRequest.Because(err)
}

// fileType decides a file's type from its bytes (net/http.DetectContentType). The client's
// declared type and the name's extension are used only where the bytes cannot decide: audio or
// video inside one container (a recorder's WebM or Ogg is audio), and a generic sniff (zip,
// plain text, unknown binary) refined to a type that is never shown inline — so a client can
// make a zip a .docx, but never make anything an image, a page or a script.
func fileType(data []byte, name, declared string) string {
	sniffed := http.DetectContentType(data)
	base := mediaBase(sniffed)
	ext := strings.ToLower(filepath.Ext(name))
	if d := mediaBase(declared); d == base {
		return sniffed
	} else if slices.Contains(sameContainer[base], d) {
		return d
	}
	byExt, ok := extTypes[ext]
	if ok && slices.Contains(sameContainer[base], byExt) {
		return byExt
	}
	if !ok {
		byExt = mediaBase(mime.TypeByExtension(ext))
	}
	switch {
	case byExt == "" || byExt == base || inlineMIME(byExt) || strings.Contains(byExt, "html") ||
		strings.Contains(byExt, "javascript") || strings.HasSuffix(byExt, "xml"):
		return sniffed
	case base == "application/octet-stream" || base == "application/zip" || base == "text/plain":
		return byExt
	}
	return sniffed
}

func mediaBase(t string) string {
	b, _, _ := mime.ParseMediaType(t)
	return b
}

// sameContainer lists, for a sniffed container type, the types that are the same bytes.
var sameContainer = map[string][]string{
	"video/webm":      {"audio/webm"},
	"application/ogg": {"audio/ogg", "video/ogg"},
	"video/mp4":       {"audio/mp4"},
}

// extTypes are types the system's table may lack: the zip-based office formats and Ogg audio.
var extTypes = map[string]string{
	".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
	".odt":  "application/vnd.oasis.opendocument.text",
	".ods":  "application/vnd.oasis.opendocument.spreadsheet",
	".ogg":  "audio/ogg",
	".oga":  "audio/ogg",
	".opus": "audio/ogg",
	".weba": "audio/webm",
	".m4a":  "audio/mp4",
}

// inlineMIME: the types a browser may show in the page (images, audio, video); everything
// else downloads. SVG is an image that runs scripts, so it downloads too.
func inlineMIME(t string) bool {
	base, _, _ := mime.ParseMediaType(t)
	if base == "image/svg+xml" {
		return false
	}
	return strings.HasPrefix(base, "image/") || strings.HasPrefix(base, "audio/") || strings.HasPrefix(base, "video/")
}
