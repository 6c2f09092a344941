package pipeline_test

import (
	"context"
	"database/sql/driver"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/channel/waba"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/media"
	"github.com/switchboardhq/switchboard/internal/pipeline"
	"github.com/switchboardhq/switchboard/internal/store"
	"github.com/switchboardhq/switchboard/internal/store/storetest"
)

// faultyStore is the real store with MarkSent refused (as a dropped database connection) a
// number of times, or held until the test lets it through.
type faultyStore struct {
	*store.Store
	mu      sync.Mutex
	refuse  int
	hold    chan struct{}
	entered chan struct{}
}

func (f *faultyStore) MarkSent(ctx context.Context, workspaceID, messageID, providerKey string) (hub.Message, error) {
	f.mu.Lock()
	refuse := f.refuse > 0
	if refuse {
		f.refuse--
	}
	hold, entered := f.hold, f.entered
	f.mu.Unlock()
	if refuse {
		return hub.Message{}, fmt.Errorf("store: commit: %w", driver.ErrBadConn)
	}
	if hold != nil {
		close(entered)
		<-hold
	}
	return f.Store.MarkSent(ctx, workspaceID, messageID, providerKey)
}

// The provider accepts a message while the database is refusing writes: the sender keeps
// trying to record it, and it ends sent — never "outcome unknown", never sent twice.
func TestSendRecordedThroughDatabaseBlip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		r := newRig(t, st)
		ctx := context.Background()
		r.whatsapp(r.sales, "+7 903 555 12 34", "text", "Добрый вечер")
		r.drain()
		chat, _ := r.chatMessages(r.sales, "79035551234")
		m := r.queue(chat, hub.Message{Text: "Ваш заказ готов"})
		fs := &faultyStore{Store: st, refuse: 4}
		s := &pipeline.Sender{Store: fs, Media: r.files, Adapters: r.ad, RecordRetry: func(int) time.Duration { return time.Millisecond }}
		s.Drain(ctx)
		got := r.message(m.ID)
		if got.Status != hub.StatusSent && got.Status != hub.StatusDelivered || got.ProviderKey == "" {
			t.Fatalf("after the blip: %+v, want sent with its provider id", got)
		}
		// A restart long after: nothing left to recover, nothing sent again.
		later := r.sender()
		later.Now = func() time.Time { return time.Now().Add(time.Hour) }
		must(t, later.Recover(ctx))
		later.Drain(ctx)
		if got := r.message(m.ID); got.Status == hub.StatusFailed {
			t.Fatalf("after a restart: %+v", got)
		}
		if n := len(r.outbox(r.sales)); n != 1 {
			t.Fatalf("provider got %d messages, want 1", n)
		}
	})
}

// The same on PostgreSQL with the connections really cut (a TCP proxy) right after the
// provider answered.
func TestSendRecordedThroughDatabaseCut(t *testing.T) {
	dsn, proxy := storetest.PostgresBehindProxy(t)
	st := storetest.OpenDSN(t, dsn)
	r := newRig(t, st)
	ctx := context.Background()
	r.whatsapp(r.sales, "+7 903 555 12 34", "text", "Добрый вечер")
	r.drain()
	chat, _ := r.chatMessages(r.sales, "79035551234")
	m := r.queue(chat, hub.Message{Text: "Ваш заказ готов"})
	cut := &cutAfterSend{proxy: proxy}
	s := &pipeline.Sender{Store: st, Media: r.files, Adapters: &pipeline.Adapters{HTTP: &http.Client{Transport: cut}},
		RecordRetry: func(attempt int) time.Duration {
			if attempt == 3 {
				proxy.Restore()
			}
			return 5 * time.Millisecond
		}}
	s.Drain(ctx)
	if !cut.done.Load() {
		t.Fatal("the database was never cut")
	}
	got := r.message(m.ID)
	if got.Status != hub.StatusSent && got.Status != hub.StatusDelivered || got.ProviderKey == "" {
		t.Fatalf("after the cut: %+v, want sent with its provider id", got)
	}
	if n := len(r.outbox(r.sales)); n != 1 {
		t.Fatalf("provider got %d messages, want 1", n)
	}
}

// cutAfterSend passes a message to the provider and cuts the database before the answer
// reaches the sender.
type cutAfterSend struct {
	proxy *storetest.Proxy
	done  atomic.Bool
}

func (c *cutAfterSend) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err == nil && req.Method == http.MethodPost && strings.HasSuffix(req.URL.Path, "/messages") {
		c.proxy.Cut()
		c.done.Store(true)
	}
	return resp, err
}

// The provider's statuses (a "not on WhatsApp" failure, and "sent"/"delivered") arrive while
// the hub is still recording its sends, among other traffic: they wait and are applied when the
// sends land, so the employee sees the failure and the ticks.
func TestStatusBeforeSendUnderTraffic(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		r := newRig(t, st)
		ctx := context.Background()
		r.whatsapp(r.sales, "+7 903 555 00 00", "text", "Здравствуйте")
		r.whatsapp(r.sales, "+7 903 555 12 34", "text", "Добрый вечер")
		r.drain()
		lost, _ := r.chatMessages(r.sales, "79035550000")
		ok, _ := r.chatMessages(r.sales, "79035551234")
		for _, c := range []struct {
			chat hub.Chat
			want string
		}{{lost, hub.StatusFailed}, {ok, hub.StatusDelivered}} {
			m := r.queue(c.chat, hub.Message{Text: "Ваш заказ готов"})
			fs := &faultyStore{Store: st, hold: make(chan struct{}), entered: make(chan struct{})}
			s := &pipeline.Sender{Store: fs, Media: r.files, Adapters: r.ad}
			sent := make(chan struct{})
			go func() { s.Drain(ctx); close(sent) }()
			<-fs.entered
			// The stand-in's reports come in with other customers writing; every webhook is
			// processed (the reports wait), none is left to be retried or dropped.
			want := 1
			if c.want == hub.StatusDelivered {
				want = 2
			}
			for i := 0; ; i++ {
				r.whatsapp(r.sales, fmt.Sprintf("+7 916 000 %02d %02d", i/100, i%100), "text", "traffic")
				r.drain()
				if parked(t, st) >= want {
					break
				}
				if i > 500 {
					t.Fatal("the stand-in's statuses never arrived")
				}
			}
			if left, err := st.PendingWebhooks(ctx, 10); err != nil || len(left) != 0 {
				t.Fatalf("webhooks left unprocessed: %d %v", len(left), err)
			}
			close(fs.hold)
			<-sent
			got := r.message(m.ID)
			if got.Status != c.want {
				t.Fatalf("after the send landed: %s, want %s", got.Status, c.want)
			}
			if c.want == hub.StatusFailed && got.ErrorCode != "not_on_whatsapp" {
				t.Fatalf("failure shown as %q, want not_on_whatsapp", got.ErrorCode)
			}
		}
	})
}

// parked counts the statuses waiting for their messages.
func parked(t *testing.T, st *store.Store) int {
	t.Helper()
	n, err := st.ParkedStatuses(context.Background())
	must(t, err)
	return n
}

// A provider media outage of 60 s (by the worker's clock) delays the customer's photo; it is
// fetched once the provider is back, in a handful of attempts. An outage longer than the retry
// window marks the file unavailable, with the reason for the employee.
func TestMediaOutageRetriedByTime(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		r := newRig(t, st)
		ctx := context.Background()
		r.whatsapp(r.sales, "+7 903 555 12 34", "image", "вот фото")
		now := time.Now()
		outage := &mediaOutage{until: now.Add(60 * time.Second), now: func() time.Time { return now }}
		in := &pipeline.Inbound{Store: st, Media: r.files, Adapters: &pipeline.Adapters{HTTP: &http.Client{Transport: outage}},
			Claims: pipeline.Claims{Now: func() time.Time { return now }}, RetryWindow: 30 * time.Minute}
		start := now
		for now.Sub(start) < 10*time.Minute {
			in.Drain(ctx)
			if fetched(t, st, r) {
				break
			}
			now = now.Add(time.Second)
		}
		_, ms := r.chatMessages(r.sales, "79035551234")
		if len(ms) != 1 || ms[0].Attachments[0].StorageKey == "" {
			t.Fatalf("photo not fetched after the outage: %+v", ms)
		}
		if took := now.Sub(start); took < 60*time.Second || took > 3*time.Minute {
			t.Errorf("fetched %s after arrival, want soon after the 60 s outage", took)
		}
		if n := outage.failed.Load(); n < 3 || n > 8 {
			t.Errorf("%d failed downloads during the outage, want a few spread over it", n)
		}

		// An outage that outlasts the window: the file is given up, and says why.
		r.whatsapp(r.sales, "+7 903 555 12 34", "image", "и ещё одно")
		now = time.Now()
		outage.until = now.Add(24 * time.Hour)
		start = now
		for now.Sub(start) < time.Hour {
			in.Drain(ctx)
			now = now.Add(10 * time.Second)
		}
		_, ms = r.chatMessages(r.sales, "79035551234")
		a := ms[0].Attachments[0]
		if a.StorageKey != "" || a.ErrorCode != pipeline.CodeMediaUnavailable {
			t.Fatalf("after a long outage: %+v, want %s", a, pipeline.CodeMediaUnavailable)
		}
		if left, err := st.PendingWebhooks(ctx, 10); err != nil || len(left) != 0 {
			t.Fatalf("webhook not finished: %d %v", len(left), err)
		}
	})
}

// The media store is given a context that ends: an S3 server gone silent would otherwise hold
// the inbound worker, and every webhook after the one it is on, for as long as minio-go retries
// (ten attempts of up to a minute each), with nothing logged.
func TestMediaStoreWriteIsBounded(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		r := newRig(t, st)
		r.whatsapp(r.sales, "+7 903 555 12 34", "image", "вот фото")
		files := &deadlines{Local: r.files}
		in := &pipeline.Inbound{Store: st, Media: files, Adapters: r.ad}
		for in.Drain(context.Background()) > 0 {
		}
		if !fetched(t, st, r) {
			t.Fatal("photo not stored")
		}
		if len(files.bounded) != 1 || !files.bounded[0] {
			t.Fatalf("the store's writes had a deadline: %v, want one write with one", files.bounded)
		}
	})
}

// deadlines is the folder store, noting for each write whether its context had a deadline.
type deadlines struct {
	*media.Local
	bounded []bool
}

func (d *deadlines) PutStream(ctx context.Context, r io.Reader, mime string) (string, string, int64, error) {
	_, ok := ctx.Deadline()
	d.bounded = append(d.bounded, ok)
	return d.Local.PutStream(ctx, r, mime)
}

// fetched says whether the first photo of the test's customer has been stored.
func fetched(t *testing.T, st *store.Store, r *rig) bool {
	chat, err := st.ChatByExternal(context.Background(), r.sales.ID, "79035551234")
	if err == store.ErrNotFound {
		return false
	}
	must(t, err)
	ms, err := st.Messages(context.Background(), r.ws.ID, chat.ID, "", 10)
	must(t, err)
	return len(ms) == 1 && ms[0].Attachments[0].StorageKey != ""
}

// mediaOutage fails the provider's media downloads (GETs) until a time on the test's clock.
type mediaOutage struct {
	until  time.Time
	now    func() time.Time
	failed atomic.Int64
}

func (m *mediaOutage) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method == http.MethodGet && m.now().Before(m.until) {
		m.failed.Add(1)
		rec := httptest.NewRecorder()
		rec.WriteHeader(http.StatusServiceUnavailable)
		return rec.Result(), nil
	}
	return http.DefaultTransport.RoundTrip(req)
}

// While the database is unreachable a signed webhook is answered 503, so the provider keeps it
// and delivers it again, never 404 (which says the URL is wrong).
func TestWebhookDuringDatabaseOutage(t *testing.T) {
	dsn, proxy := storetest.PostgresBehindProxy(t)
	st := storetest.OpenDSN(t, dsn)
	ctx := context.Background()
	ws, err := st.CreateWorkspace(ctx, hub.Workspace{Name: "Acme", CRMKind: "amocrm", CRMAccountID: 1})
	must(t, err)
	c, err := st.CreateConnection(ctx, hub.Connection{WorkspaceID: ws.ID, Kind: hub.KindWABA, Name: "WA", ExternalID: "PN1",
		Secrets: map[string]string{waba.SecretAppSecret: "app", waba.SecretVerifyToken: "vt"}})
	must(t, err)
	mux := http.NewServeMux()
	(&pipeline.Hooks{Store: st, Wake: make(chan struct{}, 1)}).Mount(mux)
	body := `{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"PN1"}}}]}]}`
	post := func() int {
		req := httptest.NewRequest("POST", "/hooks/waba/"+c.ID, strings.NewReader(body))
		req.Header.Set(waba.SignatureHeader, waba.Sign("app", []byte(body)))
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, req)
		return rec.Code
	}
	if code := post(); code != http.StatusOK {
		t.Fatalf("before the outage: %d", code)
	}
	proxy.Cut()
	for i := 0; i < 3; i++ {
		if code := post(); code != http.StatusServiceUnavailable {
			t.Fatalf("during the outage: %d, want 503", code)
		}
	}
	proxy.Restore()
	if code := post(); code != http.StatusOK {
		t.Fatalf("after the outage: %d", code)
	}
	pending, err := st.PendingWebhooks(ctx, 10)
	must(t, err)
	if len(pending) != 2 {
		t.Fatalf("%d webhooks stored, want the 2 acknowledged", len(pending))
	}
}

// Two instances drain one database's webhooks together: every webhook is processed by exactly
// one of them.
func TestTwoInstancesProcessEachWebhookOnce(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	st := storetest.OpenDSN(t, dsn)
	r := newRig(t, st)
	for i := 0; i < 60; i++ {
		r.whatsapp(r.sales, fmt.Sprintf("+7 916 000 00 %02d", i), "text", fmt.Sprint("сообщение ", i))
	}
	counts := &finishCounter{n: map[string]int{}}
	workers := []*pipeline.Inbound{
		{Store: &countingStore{Store: st, c: counts}, Media: r.files, Adapters: r.ad, Claims: pipeline.Claims{Owner: "a"}},
		{Store: &countingStore{Store: storetest.OpenDSN(t, dsn), c: counts}, Media: r.files, Adapters: r.ad, Claims: pipeline.Claims{Owner: "b"}},
	}
	var wg sync.WaitGroup
	for _, w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for w.Drain(context.Background()) > 0 {
			}
		}()
	}
	wg.Wait()
	if len(counts.n) != 60 {
		t.Fatalf("%d webhooks processed, want 60", len(counts.n))
	}
	for id, n := range counts.n {
		if n != 1 {
			t.Fatalf("webhook %s processed %d times", id, n)
		}
	}
}

type finishCounter struct {
	mu sync.Mutex
	n  map[string]int
}

type countingStore struct {
	*store.Store
	c *finishCounter
}

// SaveInboundBatch counts the webhooks it marks processed with their messages.
func (s *countingStore) SaveInboundBatch(ctx context.Context, now time.Time, hooks []store.InboundWebhook) ([]store.InboundSaved, error) {
	saved, err := s.Store.SaveInboundBatch(ctx, now, hooks)
	if err == nil {
		s.c.mu.Lock()
		for i, h := range hooks {
			if h.Finish && saved[i].Err == nil {
				s.c.n[h.WebhookID]++
			}
		}
		s.c.mu.Unlock()
	}
	return saved, err
}

func (s *countingStore) FinishWebhook(ctx context.Context, id string, now time.Time, o store.WebhookOutcome) error {
	s.c.mu.Lock()
	s.c.n[id]++
	s.c.mu.Unlock()
	return s.Store.FinishWebhook(ctx, id, now, o)
}

// An instance told to stop (a deploy) while the provider is answering slowly lets that call
// finish and records it: the message is sent, not left for "outcome unknown".
func TestStopLetsTheSendInFlightFinish(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		r := newRig(t, st)
		ctx := context.Background()
		r.whatsapp(r.sales, "+7 903 555 12 34", "text", "Добрый вечер")
		r.drain()
		chat, _ := r.chatMessages(r.sales, "79035551234")
		m := r.queue(chat, hub.Message{Text: "Ваш заказ готов"})
		slow := &slowSend{reached: make(chan struct{}), release: make(chan struct{})}
		s := &pipeline.Sender{Store: st, Media: r.files, Adapters: &pipeline.Adapters{HTTP: &http.Client{Transport: slow}},
			Poll: 10 * time.Millisecond}
		runCtx, stop := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() { done <- s.Run(runCtx) }()
		<-slow.reached
		stop()
		close(slow.release)
		must(t, <-done)
		if got := r.message(m.ID); got.Status != hub.StatusSent && got.Status != hub.StatusDelivered || got.ProviderKey == "" {
			t.Fatalf("after a stop mid-call: %+v, want sent", got)
		}
	})
}

// slowSend holds a message send until released, after the sender was told to stop.
type slowSend struct {
	reached, release chan struct{}
	once             sync.Once
}

func (s *slowSend) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method == http.MethodPost && strings.HasSuffix(req.URL.Path, "/messages") {
		s.once.Do(func() { close(s.reached) })
		<-s.release
	}
	return http.DefaultTransport.RoundTrip(req)
}

// A media store that cannot be read (S3 down or silent) puts off a file's send, as a provider
// that is down would: nothing has gone out yet, so the message waits and is sent once the store
// answers, instead of failing as if its file were gone. Its read is bounded like a provider call.
func TestMediaStoreReadOutagePutsOffTheSend(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		r := newRig(t, st)
		r.whatsapp(r.sales, "+7 916 234 56 78", "text", "пришлите счёт")
		r.drain()
		chat, _ := r.chatMessages(r.sales, "79162345678")
		m := r.queueSample(chat, hub.TypeFile, "file", "счёт.pdf")
		files := &flakyReads{Local: r.files, down: true}
		s := &pipeline.Sender{Store: st, Media: files, Adapters: r.ad, Backoff: func(int) time.Duration { return 0 }}
		s.Drain(context.Background())
		if got := r.message(m.ID); got.Status != hub.StatusQueued {
			t.Fatalf("with the media store down the message is %s (%s %s), want queued for another try", got.Status, got.ErrorCode, got.ErrorMessage)
		}
		if len(files.bounded) != 1 || !files.bounded[0] {
			t.Fatalf("the store's reads had a deadline: %v, want one read with one", files.bounded)
		}
		files.down = false
		s.Drain(context.Background())
		if got := r.message(m.ID); got.Status == hub.StatusFailed || got.ProviderKey == "" {
			t.Fatalf("once the store answers the file is not sent: %+v", got)
		}
	})
}

// flakyReads is the folder store whose reads fail while down, noting for each read whether its
// context had a deadline.
type flakyReads struct {
	*media.Local
	down    bool
	bounded []bool
}

func (f *flakyReads) Read(ctx context.Context, key string) ([]byte, error) {
	_, ok := ctx.Deadline()
	f.bounded = append(f.bounded, ok)
	if f.down {
		return nil, fmt.Errorf("media: s3 get: %w", context.DeadlineExceeded)
	}
	return f.Local.Read(ctx, key)
}
