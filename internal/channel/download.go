package channel

import (
	"errors"
	"fmt"
	"io"
)

// Download is an inbound file as the provider serves it: the caller streams Body (into the
// media store, never whole into memory) and closes it. Reading past the adapter's limit fails
// with a permanent "size" error (TooLarge), a broken connection with a transient one.
type Download struct {
	Name string
	MIME string
	Body io.ReadCloser
}

// providerSize is the Provider of an Error refusing a file for its size.
const providerSize = "size"

// OverLimit is the refusal of a file over an adapter's limit of max bytes.
func OverLimit(max int64) *Error {
	return Permanent(CodeRejected, providerSize, fmt.Sprintf("file is over the %d MB limit", max>>20))
}

// TooLarge reports whether err refuses a file for its size.
func TooLarge(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Provider == providerSize
}

// Stream wraps a response body so that reading it yields at most max bytes and then OverLimit
// (before handing out a byte past the limit), and a failed read is a transient error.
func Stream(body io.ReadCloser, max int64) io.ReadCloser {
	return &stream{body: body, left: max, max: max}
}

type stream struct {
	body      io.ReadCloser
	left, max int64
}

func (s *stream) Read(p []byte) (int, error) {
	if s.left <= 0 {
		// At the limit: one more byte means the file is over it; none is a clean end.
		var one [1]byte
		n, err := io.ReadFull(s.body, one[:])
		if n > 0 {
			return 0, OverLimit(s.max)
		}
		if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
			return 0, Transient("read", err.Error(), 0)
		}
		return 0, io.EOF
	}
	if int64(len(p)) > s.left {
		p = p[:s.left]
	}
	n, err := s.body.Read(p)
	s.left -= int64(n)
	if err != nil && err != io.EOF {
		err = Transient("read", err.Error(), 0)
	}
	return n, err
}

func (s *stream) Close() error { return s.body.Close() }
