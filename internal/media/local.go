package media

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Local stores files in a folder: the data folder's media/ for one instance, or a folder
// several instances mount. A file appears under its key only when complete (written beside
// it, then renamed), so another instance never reads half of one.
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

// PutStream implements Store.
func (l *Local) PutStream(_ context.Context, r io.Reader, declaredMIME string) (key, contentType string, size int64, err error) {
	body, contentType, err := sniffed(r, declaredMIME)
	if err != nil {
		return "", "", 0, err
	}
	if key, err = newKey(); err != nil {
		return "", "", 0, err
	}
	if err := os.MkdirAll(filepath.Dir(l.path(key)), 0o750); err != nil {
		return "", "", 0, fmt.Errorf("media: %w", err)
	}
	f, err := os.CreateTemp(filepath.Dir(l.path(key)), ".part-*")
	if err != nil {
		return "", "", 0, fmt.Errorf("media: %w", err)
	}
	size, err = io.Copy(f, body)
	err = errors.Join(err, f.Chmod(0o640), f.Close())
	if err == nil {
		err = os.Rename(f.Name(), l.path(key))
	}
	if err != nil {
		os.Remove(f.Name())
		if errors.Is(err, ErrTooLarge) {
			return "", "", 0, ErrTooLarge
		}
		return "", "", 0, fmt.Errorf("media: write: %w", err)
	}
	return key, contentType, size, nil
}

// Put implements Store.
func (l *Local) Put(ctx context.Context, data []byte, declaredMIME string) (key, contentType string, err error) {
	if len(data) > MaxSize {
		return "", "", ErrTooLarge
	}
	key, contentType, _, err = l.PutStream(ctx, bytes.NewReader(data), declaredMIME)
	return key, contentType, err
}

// Open implements Store.
func (l *Local) Open(_ context.Context, key string) (Object, error) {
	if !validKey(key) {
		return nil, fmt.Errorf("media: bad key %q: %w", key, fs.ErrInvalid)
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

// Read implements Store.
func (l *Local) Read(ctx context.Context, key string) ([]byte, error) { return readAll(ctx, l, key) }

// Delete implements Store.
func (l *Local) Delete(_ context.Context, key string) error {
	if !validKey(key) {
		return fmt.Errorf("media: bad key %q: %w", key, fs.ErrInvalid)
	}
	return os.Remove(l.path(key))
}

// localObject is a file of the media folder.
type localObject struct {
	*os.File
	mod time.Time
}

func (o localObject) ModTime() time.Time { return o.mod }

func (l *Local) path(key string) string { return filepath.Join(l.Dir, key[:2], key) }
