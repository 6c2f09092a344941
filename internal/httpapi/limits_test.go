package httpapi_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/apidoc"
	"github.com/switchboardhq/switchboard/internal/events"
	"github.com/switchboardhq/switchboard/internal/httpapi"
	"github.com/switchboardhq/switchboard/internal/ratelimit"
	"github.com/switchboardhq/switchboard/internal/store/storetest"
	"github.com/switchboardhq/switchboard/internal/testwait"
)

func limited(t *testing.T, l httpapi.Limits) *env {
	e := newEnv(t, storetest.OpenSQLite(t))
	e.srv.Limits = l
	e.h = apidoc.Validating(e.t, e.srv.Handler())
	return e
}

func retryAfter(t *testing.T, what string, r response) {
	t.Helper()
	expect(t, what, r, http.StatusTooManyRequests, "rate_limited")
	if n, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || n < 1 {
		t.Fatalf("%s: Retry-After %q", what, r.Header.Get("Retry-After"))
	}
}

// Failed session and token attempts are counted per client address, loopback included: past
// the limit the address is refused before any credential is looked at, even a good one.
func TestAuthFailuresPerAddress(t *testing.T) {
	t.Parallel()
	e := limited(t, httpapi.NewLimits(ratelimit.Limit{Rate: 0.001, Burst: 3}, ratelimit.Limit{}, ratelimit.Limit{}, 0, 0))
	w := e.world(1)
	from := func(addr, auth string) response {
		req := newRequest(http.MethodGet, "/api/v1/connections", auth)
		req.RemoteAddr = addr
		return e.serve(req)
	}
	for i := range 3 {
		expect(t, "guess "+strconv.Itoa(i), from("127.0.0.1:4000", "Bearer guessed"), http.StatusUnauthorized, "unauthorized")
	}
	retryAfter(t, "a fourth try, with a good token", from("127.0.0.1:4001", "Bearer "+w.adminToken))
	retryAfter(t, "a session attempt from the same address", httpapiSession(e, "127.0.0.1:4002"))
	expect(t, "another address", from("10.0.0.7:4000", "Bearer "+w.adminToken), http.StatusOK, "")
	req := newRequest(http.MethodGet, "/healthz", "")
	req.RemoteAddr = "127.0.0.1:4003"
	expect(t, "what is not the API is not limited", e.serve(req), http.StatusOK, "")
}

// httpapiSession asks POST /api/v1/sessions with a made-up disposable token from addr.
func httpapiSession(e *env, addr string) response {
	req := newRequest(http.MethodPost, "/api/v1/sessions", "")
	req.Header.Set("X-Auth-Token", "not.a.token")
	req.RemoteAddr = addr
	return e.serve(req)
}

// A flood from one session gets 429s with Retry-After, and memory stays bounded.
func TestFloodIsRateLimitedWithBoundedMemory(t *testing.T) {
	t.Parallel()
	e := limited(t, httpapi.NewLimits(ratelimit.Limit{}, ratelimit.Limit{Rate: 10, Burst: 20}, ratelimit.Limit{}, 0, 0))
	w := e.world(1)
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	const total = 4000
	var ok, refused atomic.Int64
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range total / 8 {
				r := e.do(http.MethodGet, "/api/v1/connections", w.adminToken, nil)
				switch {
				case r.Status == http.StatusOK:
					ok.Add(1)
				case r.Status == http.StatusTooManyRequests && r.Header.Get("Retry-After") != "":
					refused.Add(1)
				default:
					t.Errorf("goroutine %d: %d %s", g, r.Status, r.Body)
					return
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	runtime.GC()
	runtime.ReadMemStats(&after)
	// At most the burst plus what the rate refilled while the flood ran.
	if most := 20 + int64(10*elapsed.Seconds()) + 1; ok.Load() > most {
		t.Errorf("%d of %d calls served in %v, want at most %d", ok.Load(), total, elapsed, most)
	}
	if refused.Load() < total/2 {
		t.Errorf("only %d of %d calls refused", refused.Load(), total)
	}
	if grew := int64(after.HeapAlloc) - int64(before.HeapAlloc); grew > 16<<20 {
		t.Errorf("heap grew by %d MB during the flood", grew>>20)
	}
	t.Logf("flood: %d served, %d refused 429 in %v; heap %d → %d KB", ok.Load(), refused.Load(), elapsed,
		before.HeapAlloc>>10, after.HeapAlloc>>10)
}

// A workspace has a limit of its own, which its employees share.
func TestWorkspaceLimitIsShared(t *testing.T) {
	t.Parallel()
	e := limited(t, httpapi.NewLimits(ratelimit.Limit{}, ratelimit.Limit{}, ratelimit.Limit{Rate: 0.001, Burst: 5}, 0, 0))
	w := e.world(1)
	_, colleague := e.manager(w, "A", "A")
	for range 5 {
		expect(t, "within the workspace's burst", e.do(http.MethodGet, "/api/v1/connections", w.adminToken, nil), http.StatusOK, "")
	}
	retryAfter(t, "a colleague after the workspace's burst", e.do(http.MethodGet, "/api/v1/connections", colleague, nil))
	other := e.world(2)
	expect(t, "another workspace", e.do(http.MethodGet, "/api/v1/connections", other.adminToken, nil), http.StatusOK, "")
}

// One employee may have so many event sockets open at once; more are refused 429.
func TestEventSocketsPerEmployee(t *testing.T) {
	t.Parallel()
	e := limited(t, httpapi.NewLimits(ratelimit.Limit{}, ratelimit.Limit{}, ratelimit.Limit{}, 3, 0))
	base := e.live(t, events.Options{})
	w := e.world(1)
	var open []*socket
	refused := 0
	for range 50 {
		s, status := dial(t, base, e.ticket(w.adminToken), "")
		switch status {
		case http.StatusSwitchingProtocols:
			open = append(open, s)
		case http.StatusTooManyRequests:
			refused++
		default:
			t.Fatalf("socket answered %d", status)
		}
	}
	if len(open) != 3 || refused != 47 {
		t.Fatalf("%d sockets open, %d refused; want 3 and 47", len(open), refused)
	}
	_, colleague := e.manager(w, "A", "A")
	if _, status := dial(t, base, e.ticket(colleague), ""); status != http.StatusSwitchingProtocols {
		t.Fatalf("another employee's socket: %d", status)
	}
	open[0].conn.CloseNow()
	testwait.Until(t, "the closed socket's place given back", func() bool { return e.srv.Limits.Sockets.Taken(w.admin.ID) == 2 })
	s, status := dial(t, base, e.ticket(w.adminToken), "")
	if status != http.StatusSwitchingProtocols {
		t.Fatalf("a socket in the closed one's place: %d", status)
	}
	s.conn.CloseNow()
}

// One employee may have so many uploads in progress; another waits for one to finish.
func TestUploadsInProgressPerEmployee(t *testing.T) {
	t.Parallel()
	e := limited(t, httpapi.NewLimits(ratelimit.Limit{}, ratelimit.Limit{}, ratelimit.Limit{}, 0, 2))
	base := e.live(t, events.Options{})
	w := e.world(1)
	upload := func(body io.Reader, ctype string) *http.Response {
		req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/uploads", body)
		req.Header.Set("Content-Type", ctype)
		req.Header.Set("Authorization", "Bearer "+w.adminToken)
		res, err := http.DefaultClient.Do(req)
		must(t, err)
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return res
	}
	whole := func() (*bytes.Buffer, string) {
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		p, _ := mw.CreateFormFile("file", "a.png")
		p.Write(pngBytes)
		p.Write(make([]byte, 64<<10)) // more than the client's write buffer, so the request goes out
		mw.Close()
		return &b, mw.FormDataContentType()
	}
	// Two uploads that stay open, half sent, until released.
	release := make(chan struct{})
	results := make(chan int, 2)
	for range 2 {
		b, ctype := whole()
		pr, pw := io.Pipe()
		go func() { results <- upload(pr, ctype).StatusCode }()
		go func() {
			half := b.Len() - 100
			pw.Write(b.Bytes()[:half])
			<-release
			pw.Write(b.Bytes()[half:])
			pw.Close()
		}()
	}
	testwait.Until(t, "two uploads in progress", func() bool { return e.srv.Limits.Uploads.Taken(w.admin.ID) == 2 })
	b, ctype := whole()
	if res := upload(b, ctype); res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
		close(release)
		t.Fatalf("a third upload at once: %d, Retry-After %q", res.StatusCode, res.Header.Get("Retry-After"))
	}
	close(release)
	for range 2 {
		if status := <-results; status != http.StatusCreated {
			t.Fatalf("a held upload ended %d", status)
		}
	}
	b, ctype = whole()
	if res := upload(b, ctype); res.StatusCode != http.StatusCreated {
		t.Fatalf("an upload after the others finished: %d", res.StatusCode)
	}
}
