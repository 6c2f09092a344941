package media_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/switchboardhq/switchboard/internal/media"
	"github.com/switchboardhq/switchboard/internal/testwait"
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
			key, ct, err := s.Put(t.Context(), png, "image/png")
			must(t, err)
			if ct != "image/png" {
				t.Errorf("type %q", ct)
			}
			o, err := s.Open(t.Context(), key)
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
			got, err := s.Read(t.Context(), key)
			must(t, err)
			if !bytes.Equal(got, png) {
				t.Fatal("read back different bytes")
			}

			// A stream is stored as it comes; a page is no image, whatever it claims.
			key2, ct, size, err := s.PutStream(t.Context(), strings.NewReader("<!DOCTYPE html><script>x</script>"), "image/jpeg")
			must(t, err)
			if ct == "image/jpeg" || size != 33 {
				t.Errorf("stream stored as %q, %d bytes", ct, size)
			}
			must(t, s.Delete(t.Context(), key2))
			if _, err := s.Open(t.Context(), key2); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("deleted file opens: %v", err)
			}

			if name != "s3" { // (the in-process S3 server would hold 100 MB in memory)
				// Over the limit: refused, nothing kept, never held whole in memory.
				_, _, _, err = s.PutStream(t.Context(), io.LimitReader(zeros{}, media.MaxSize+1), "")
				if !errors.Is(err, media.ErrTooLarge) {
					t.Fatalf("oversize stream: %v", err)
				}
			}
			if _, err := s.Open(t.Context(), "00000000000000000000000000000000"); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("unknown key: %v", err)
			}
		})
	}
}

// An S3 server that never answers holds an upload only until the caller's
// context ends: minio-go alone would wait a minute for each of its ten attempts, and the
// inbound worker with it, saying nothing.
func TestS3PutEndsWithItsContext(t *testing.T) {
	arrived, release := make(chan struct{}, 1), make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead {
			return // the bucket exists
		}
		select {
		case arrived <- struct{}{}:
		default:
		}
		<-release
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) }) // before Close, which waits for the handlers
	t.Setenv("AWS_ACCESS_KEY_ID", "test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test-secret")
	s, err := media.OpenURL("s3://files?region=us-east-1&endpoint="+srv.URL, "")
	must(t, err)

	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		_, _, _, err := s.PutStream(ctx, strings.NewReader("hello"), "text/plain")
		done <- err
	}()
	testwait.Recv(t, arrived, "the upload at the S3 server")
	cancel()
	if err := testwait.Recv(t, done, "the upload given up"); !errors.Is(err, context.Canceled) {
		t.Fatalf("upload with its context cancelled: %v, want context.Canceled", err)
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
