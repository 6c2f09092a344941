package channel

import (
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// A request that never left may be retried; one that left and got no answer may have been
// delivered, so it is never retried blindly.
func TestClassifyNetworkFailures(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String()
	ln.Close()
	_, err = http.Get(closed)
	if e := Classify(err); !e.Transient {
		t.Errorf("connection refused: %+v, want transient", e)
	}

	release := make(chan struct{})
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-release }))
	defer hang.Close()
	defer close(release)
	_, err = (&http.Client{Timeout: 100 * time.Millisecond}).Get(hang.URL)
	if e := Classify(err); e.Transient || e.Code != CodeOutcomeUnknown {
		t.Errorf("timeout after sending: %+v, want outcome_unknown", e)
	}

	if e := Classify(errors.New("something odd")); e.Transient || e.Code != CodeRejected {
		t.Errorf("unknown error: %+v", e)
	}
	wrapped := Permanent(CodeChatNotFound, "400", "Bad Request: chat not found")
	if e := Classify(wrapped); e != wrapped {
		t.Error("an *Error is kept as it is")
	}
}

func TestReasonIsLocalisedWithProviderWords(t *testing.T) {
	if r := Permanent(CodeNotOnWhatsApp, "131026", "Message undeliverable").Reason("ru"); r != "Пользователь не зарегистрирован в WhatsApp." {
		t.Errorf("ru reason %q", r)
	}
	if r := Permanent(CodeRejected, "132015", "Template is paused").Reason("en"); r != "The messenger refused the message. Template is paused" {
		t.Errorf("en reason %q", r)
	}
}
