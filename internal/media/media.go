// Package media keeps message files: a local folder under the data directory (an
// S3-compatible store can take its place behind the same methods), with the content type
// sniffed from the bytes and a size limit per file.
package media

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// MaxSize is the largest file the store accepts (WhatsApp documents go up to 100 MB).
const MaxSize = 100 << 20

// ErrTooLarge means a file is over MaxSize.
var ErrTooLarge = errors.New("media: file is too large")

// Local stores files in a folder, named by random keys (never by anything a sender chose).
type Local struct {
	Dir string
}

// NewLocal makes (if needed) and returns the store rooted at dir.
func NewLocal(dir string) (*Local, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("media: %w", err)
	}
	return &Local{Dir: dir}, nil
}

// Put writes data and returns its key and content type: the declared type when the bytes do not
// contradict it, else what the bytes look like.
func (l *Local) Put(data []byte, declaredMIME string) (key, contentType string, err error) {
	if len(data) > MaxSize {
		return "", "", ErrTooLarge
	}
	contentType = Sniff(data, declaredMIME)
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", "", err
	}
	key = hex.EncodeToString(b[:])
	if err := os.MkdirAll(filepath.Dir(l.path(key)), 0o750); err != nil {
		return "", "", fmt.Errorf("media: %w", err)
	}
	if err := os.WriteFile(l.path(key), data, 0o640); err != nil {
		return "", "", fmt.Errorf("media: write: %w", err)
	}
	return key, contentType, nil
}

// Read returns a stored file's bytes.
func (l *Local) Read(key string) ([]byte, error) {
	if !validKey(key) {
		return nil, fmt.Errorf("media: bad key %q", key)
	}
	return os.ReadFile(l.path(key))
}

// Object is a stored file opened for streaming: Seek serves range requests, ModTime is when
// it was stored (for Last-Modified). The caller closes it. Any backend (a folder, an object
// store) can give one.
type Object interface {
	io.ReadSeekCloser
	ModTime() time.Time
}

// Open returns a stored file for streaming.
func (l *Local) Open(key string) (Object, error) {
	if !validKey(key) {
		return nil, fmt.Errorf("media: bad key %q", key)
	}
	f, err := os.Open(l.path(key))
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	return localObject{File: f, mod: st.ModTime()}, nil
}

// localObject is a file of the media folder.
type localObject struct {
	*os.File
	mod time.Time
}

func (o localObject) ModTime() time.Time { return o.mod }

func (l *Local) path(key string) string { return filepath.Join(l.Dir, key[:2], key) }

func validKey(k string) bool {
	if len(k) != 32 {
		return false
	}
	_, err := hex.DecodeString(k)
	return err == nil
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
