package httpapi_test

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/events"
	"github.com/switchboardhq/switchboard/internal/httpapi"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store/storetest"
	"github.com/switchboardhq/switchboard/internal/testwait"
)

// short are timeouts a test can outwait; the hub's own are DefaultTimeouts.
var short = httpapi.Timeouts{ReadHeader: 200 * time.Millisecond, Read: 300 * time.Millisecond, Idle: 300 * time.Millisecond}

// serveWith serves e's handler with the hub's http.Server under the given timeouts.
func serveWith(t *testing.T, e *env, to httpapi.Timeouts) *httptest.Server {
	ts := httptest.NewUnstartedServer(e.h)
	ts.Config = httpapi.NewHTTPServer(e.h, to)
	ts.Start()
	t.Cleanup(ts.Close)
	return ts
}

// closedWithin writes raw to a new connection and reports whether the server closed it (or
// answered and closed) within limit: a server without timeouts would wait for ever.
func closedWithin(t *testing.T, addr, raw string, limit time.Duration) bool {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	must(t, err)
	defer c.Close()
	_, err = io.WriteString(c, raw)
	must(t, err)
	c.SetReadDeadline(time.Now().Add(limit))
	_, err = io.Copy(io.Discard, c) // returns at EOF (closed by the server) or at our deadline
	return err == nil
}

// stalledBody is a request whose body never ends: only the server's read timeout closes it.
const stalledBody = "PUT /api/v1/chats/x/draft HTTP/1.1\r\nHost: hub\r\nContent-Length: 1000\r\n\r\n{\"te"

// readTimeoutPassed returns once the server's read timeout has fired for a request begun now,
// so for every request begun before: what a slow client must outlast has passed.
func readTimeoutPassed(t *testing.T, addr string) {
	t.Helper()
	if !closedWithin(t, addr, stalledBody, testwait.Bound) {
		t.Fatal("the server never closed a stalled body")
	}
}

// Slow or stalled clients cannot hold connections: a body that never comes, headers that
// never end and an idle keep-alive connection are all closed; an upload and the events socket
// may take longer than the read timeout.
func TestServerTimeouts(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite(t))
	e.live(t, events.Options{}) // wires the events hub; the server below is the one under test
	w := e.world(1)
	ts := serveWith(t, e, short)
	addr := ts.Listener.Addr().String()
	limit := 10 * time.Second

	if !closedWithin(t, addr, stalledBody, limit) {
		t.Error("a body that never ends held its connection")
	}
	if !closedWithin(t, addr, "GET /healthz HTTP/1.1\r\nHost: hub\r\nX-Slow: ", limit) {
		t.Error("headers that never end held their connection")
	}
	// Idle: one complete request on a keep-alive connection, then nothing.
	c, err := net.Dial("tcp", addr)
	must(t, err)
	defer c.Close()
	_, err = io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: hub\r\n\r\n")
	must(t, err)
	res, err := http.ReadResponse(bufio.NewReader(c), nil)
	must(t, err)
	res.Body.Close()
	c.SetReadDeadline(time.Now().Add(limit))
	if _, err := io.Copy(io.Discard, c); err != nil {
		t.Errorf("an idle keep-alive connection stayed open: %v", err)
	}

	// An upload whose body takes longer than the read timeout still arrives.
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	part, _ := mw.CreateFormFile("file", "slow.png")
	part.Write(pngBytes)
	mw.Close()
	pr, pw := io.Pipe()
	go func() {
		half := body.Len() / 2
		pw.Write(body.Bytes()[:half])
		// The rest comes after the server's read timeout (not t.Fatal: this is not the test's goroutine).
		if !closedWithin(t, addr, stalledBody, testwait.Bound) {
			pw.CloseWithError(errors.New("the server never closed a stalled body"))
			return
		}
		pw.Write(body.Bytes()[half:])
		pw.Close()
	}()
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/api/v1/uploads", pr)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+w.adminToken)
	res, err = http.DefaultClient.Do(req)
	must(t, err)
	answer, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusCreated {
		t.Errorf("a slow upload: %d %s", res.StatusCode, answer)
	}

	// The events socket is read for as long as it is open.
	ch := e.chatter(w.ws)
	s, _ := dial(t, ts.URL, e.ticket(w.adminToken), "")
	if h := s.read(); h.Type != "hello" {
		t.Fatalf("first frame %s", h.Type)
	}
	readTimeoutPassed(t, addr) // which the socket must survive
	ch.says(ch.customer("79990000777", 777, 1), "still there")
	for {
		f := s.read()
		if f.Type == hub.EventMessageCreated {
			if !strings.Contains(string(f.Data), "still there") {
				t.Errorf("frame %s", f.Data)
			}
			break
		}
	}
}
