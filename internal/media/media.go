// Package media keeps message files (Store): a folder under the data directory, a folder
// several instances share, or an S3-compatible bucket, with the content type sniffed from the
// bytes and a size limit per file.
package media

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"
)

// MaxSize is the largest file the store accepts (WhatsApp documents go up to 100 MB).
const MaxSize = 100 << 20

// ErrTooLarge means a file is over MaxSize.
var ErrTooLarge = errors.New("media: file is too large")

// Object is a stored file opened for streaming: Seek serves range requests, ModTime is when
// it was stored (for Last-Modified). The caller closes it.
type Object interface {
	io.ReadSeekCloser
	ModTime() time.Time
}

// Sniff decides a file's content type. Providers declare codecs ("audio/ogg; codecs=opus") that
// sniffing cannot see, so a declared type is kept when the sniffed family agrees or sniffing
// learns nothing; otherwise the bytes win, so a renamed executable is never served as an image.
func Sniff(data []byte, declared string) string {
	sniffed := http.DetectContentType(data)
	if declared == "" {
		return sniffed
	}
	base, _, err := mime.ParseMediaType(declared)
	if err != nil {
		return sniffed
	}
	sb, _, _ := mime.ParseMediaType(sniffed)
	if sb == "application/octet-stream" || sb == "text/plain" || family(sb) == family(base) ||
		(sb == "application/ogg" && strings.HasPrefix(base, "audio/")) ||
		(sb == "video/webm" && base == "audio/webm") {
		return declared
	}
	return sniffed
}

func family(t string) string {
	f, _, _ := strings.Cut(t, "/")
	return f
}

// ReadAll reads at most MaxSize bytes from r.
func ReadAll(r io.Reader) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err == nil && len(b) > MaxSize {
		return nil, ErrTooLarge
	}
	return b, err
}
