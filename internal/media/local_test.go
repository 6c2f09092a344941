package media

import (
	"io"
	"testing"
)

// TestLocalOpenStreams: a stored file comes back as an Object that reads, seeks (range
// requests) and knows when it was stored, and a key that is not one of ours is refused.
func TestLocalOpenStreams(t *testing.T) {
	l := &Local{Dir: t.TempDir()}
	key, _, err := l.Put(t.Context(), []byte("hello, world"), "text/plain")
	if err != nil {
		t.Fatal(err)
	}
	o, err := l.Open(t.Context(), key)
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	if o.ModTime().IsZero() {
		t.Fatal("no modification time")
	}
	if _, err := o.Seek(7, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	if b, err := io.ReadAll(o); err != nil || string(b) != "world" {
		t.Fatalf("read %q, %v", b, err)
	}
	if _, err := l.Open(t.Context(), "../../etc/passwd"); err == nil {
		t.Fatal("a bad key was opened")
	}
}
