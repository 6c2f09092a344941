package media

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
)

// Store keeps message files under random keys (never a name a sender chose), with streaming
// writes and reads. OpenURL picks one: the data folder's media/ for a single instance, a folder
// several instances share, or an S3-compatible bucket.
type Store interface {
	// PutStream stores what r yields (at most MaxSize bytes, else ErrTooLarge and nothing
	// kept) under a new key, with its type sniffed from the first bytes (Sniff). The S3 store
	// gives up when ctx ends (a folder's writes cannot be cut short).
	PutStream(ctx context.Context, r io.Reader, declaredMIME string) (key, contentType string, size int64, err error)
	// Put stores data (PutStream of bytes already in memory).
	Put(ctx context.Context, data []byte, declaredMIME string) (key, contentType string, err error)
	// Open returns a stored file for streaming; the caller closes it. A key never stored
	// gives an error that is fs.ErrNotExist. The S3 store gives up, also mid-stream, when ctx
	// ends (a download whose browser went away; a folder's reads ignore it).
	Open(ctx context.Context, key string) (Object, error)
	// Read returns a stored file's bytes.
	Read(ctx context.Context, key string) ([]byte, error)
	// Delete removes a stored file (an upload refused after it was stored).
	Delete(ctx context.Context, key string) error
}

// OpenURL returns the store a media URL names: "" is dataDir/media (one instance);
// file:///path a folder several instances share (a network mount); s3://bucket?endpoint=…&region=…
// an S3-compatible bucket, with credentials from the usual variables (AWS_ACCESS_KEY_ID and
// AWS_SECRET_ACCESS_KEY, or MINIO_ROOT_USER and MINIO_ROOT_PASSWORD, or ~/.aws/credentials,
// or the instance's IAM role).
func OpenURL(raw, dataDir string) (Store, error) {
	if raw == "" {
		return NewLocal(filepath.Join(dataDir, "media"))
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("media: URL %q: %w", raw, err)
	}
	switch u.Scheme {
	case "file":
		if u.Host != "" && u.Host != "localhost" || u.Path == "" {
			return nil, fmt.Errorf("media: %q: want file:///absolute/path", raw)
		}
		return NewLocal(u.Path)
	case "s3":
		return openS3(u)
	}
	return nil, fmt.Errorf("media: %q: want file:///path or s3://bucket?endpoint=…&region=…", raw)
}

// newKey returns a new random key: 32 hex digits.
func newKey() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return hex.EncodeToString(b[:]), nil
}

func validKey(k string) bool {
	if len(k) != 32 {
		return false
	}
	_, err := hex.DecodeString(k)
	return err == nil
}

// sniffed reads the first bytes of r to decide the content type and returns a reader that
// yields all of r again, refusing to go past MaxSize (errTooLargeRead, which the backends turn
// into ErrTooLarge).
func sniffed(r io.Reader, declared string) (io.Reader, string, error) {
	head := make([]byte, 512)
	n, err := io.ReadFull(r, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, "", err
	}
	head = head[:n]
	return &capped{r: io.MultiReader(bytes.NewReader(head), r), left: MaxSize}, Sniff(head, declared), nil
}

// capped fails a read that would go past its limit.
type capped struct {
	r    io.Reader
	left int64
}

func (c *capped) Read(p []byte) (int, error) {
	if c.left <= 0 {
		// Anything more is over the limit; nothing more is a clean end.
		var one [1]byte
		if n, _ := io.ReadFull(c.r, one[:]); n > 0 {
			return 0, ErrTooLarge
		}
		return 0, io.EOF
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}

// readAll reads a stored file whole.
func readAll(ctx context.Context, s Store, key string) ([]byte, error) {
	o, err := s.Open(ctx, key)
	if err != nil {
		return nil, err
	}
	defer o.Close()
	return io.ReadAll(o)
}
