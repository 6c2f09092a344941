package media_test

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/switchboardhq/switchboard/internal/media"
)

// Every store keeps, streams and refuses files alike: a folder, a shared folder by URL, and an
// S3 bucket (an in-process S3 server).
func TestStores(t *testing.T) {
	stores := map[string]func(t *testing.T) media.Store{
		"data folder": func(t *testing.T) media.Store {
			s, err := media.OpenURL("", t.TempDir())
			must(t, err)
			return s
		},
		"shared folder": func(t *testing.T) media.Store {
			s, err := media.OpenURL("file://"+t.TempDir(), "/nonexistent")
			must(t, err)
			return s
		},
		"s3": func(t *testing.T) media.Store { return FakeS3(t) },
	}
	for name, open := range stores {
		t.Run(name, func(t *testing.T) {
			s := open(t)
			png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{7}, 3000)...)
			key, ct, err := s.Put(png, "image/png")
			must(t, err)
			if ct != "image/png" {
				t.Errorf("type %q", ct)
			}
			o, err := s.Open(key)
			must(t, err)
			if _, err := o.Seek(8, io.SeekStart); err != nil {
				t.Fatal(err)
			}
			part := make([]byte, 4)
			if _, err := io.ReadFull(o, part); err != nil || !bytes.Equal(part, []byte{7, 7, 7, 7}) {
				t.Fatalf("range read %v %v", part, err)
			}
			if o.ModTime().IsZero() {
				t.Error("no modification time")
			}
			o.Close()
			got, err := s.Read(key)
			must(t, err)
			if !bytes.Equal(got, png) {
				t.Fatal("read back different bytes")
			}

			// A stream is stored as it comes; a page is no image, whatever it claims.
			key2, ct, size, err := s.PutStream(strings.NewReader("<!DOCTYPE html><script>x</script>"), "image/jpeg")
			must(t, err)
			if ct == "image/jpeg" || size != 33 {
				t.Errorf("stream stored as %q, %d bytes", ct, size)
			}
			must(t, s.Delete(key2))
			if _, err := s.Open(key2); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("deleted file opens: %v", err)
			}

			if name != "s3" { // (the in-process S3 server would hold 100 MB in memory)
				// Over the limit: refused, nothing kept, never held whole in memory.
				_, _, _, err = s.PutStream(io.LimitReader(zeros{}, media.MaxSize+1), "")
				if !errors.Is(err, media.ErrTooLarge) {
					t.Fatalf("oversize stream: %v", err)
				}
			}
			if _, err := s.Open("00000000000000000000000000000000"); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("unknown key: %v", err)
			}
		})
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// FakeS3 starts an in-process S3 server with a bucket and returns the store on it.
func FakeS3(t *testing.T) media.Store {
	t.Helper()
	backend := s3mem.New()
	must(t, backend.CreateBucket("files"))
	srv := httptest.NewServer(gofakes3.New(backend).Server())
	t.Cleanup(srv.Close)
	t.Setenv("AWS_ACCESS_KEY_ID", "test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test-secret")
	s, err := media.OpenURL("s3://files?region=us-east-1&endpoint="+srv.URL, "")
	must(t, err)
	return s
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
