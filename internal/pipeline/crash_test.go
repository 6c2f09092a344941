package pipeline_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/pipeline"
	"github.com/switchboardhq/switchboard/internal/store"
	"github.com/switchboardhq/switchboard/internal/store/storetest"
	"github.com/switchboardhq/switchboard/internal/testwait"
)

// hangAfterSend forwards a request (so the provider gets it) and then hangs until the caller
// gives up: the process "dies" while the provider has the message and the hub has no answer.
type hangAfterSend struct {
	once    sync.Once
	reached chan struct{}
}

func (h *hangAfterSend) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err == nil {
		resp.Body.Close()
	}
	h.once.Do(func() { close(h.reached) })
	<-req.Context().Done()
	return nil, req.Context().Err()
}

// A crash between queueing and sending loses nothing; a crash mid-call never sends twice; a
// retry really sends again. Each "restart" is a new Sender on the same database.
func TestCrashBetweenQueueAndSend(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		r := newRig(t, st)
		ctx := context.Background()
		r.whatsapp(r.sales, "+7 903 555 12 34", "text", "Добрый вечер")
		r.drain()
		chat, _ := r.chatMessages(r.sales, "79035551234")

		// 1. Queued, then the process stops before the sender ran: the next start sends it once.
		queued := r.queue(chat, hub.Message{Text: "one"})
		restarted := r.sender()
		must(t, restarted.Recover(ctx))
		restarted.Drain(ctx)
		restarted.Drain(ctx)
		if got := r.message(queued.ID); got.Status == hub.StatusQueued || got.ProviderKey == "" {
			t.Fatalf("queued message after restart: %+v", got)
		}
		if n := len(r.outbox(r.sales)); n != 1 {
			t.Fatalf("outbox has %d, want 1", n)
		}

		// 2. Killed mid-call: the provider got it, the hub never heard back.
		mid := r.queue(chat, hub.Message{Text: "two"})
		hang := &hangAfterSend{reached: make(chan struct{})}
		dying := &pipeline.Sender{Store: st, Media: r.files, Adapters: &pipeline.Adapters{HTTP: &http.Client{Transport: hang}},
			Poll: 10 * time.Millisecond, Grace: time.Millisecond}
		runCtx, kill := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() { done <- dying.Run(runCtx) }()
		testwait.Done(t, hang.reached, "the sender to call the provider")
		kill()
		must(t, <-done)
		if got := r.message(mid.ID); got.Status != hub.StatusSending {
			t.Fatalf("after the kill: %s, want sending", got.Status)
		}
		// Another instance starting now (a rolling deploy) leaves it alone: its lease is live.
		next := r.sender()
		must(t, next.Recover(ctx))
		next.Drain(ctx)
		if got := r.message(mid.ID); got.Status != hub.StatusSending {
			t.Fatalf("restart within the lease: %s, want still sending", got.Status)
		}
		// Once the dead sender's lease has run out, its outcome is unknown.
		next.Now = func() time.Time { return time.Now().Add(time.Minute) }
		must(t, next.Recover(ctx))
		next.Drain(ctx)
		got := r.message(mid.ID)
		if got.Status != hub.StatusFailed || got.ErrorCode != pipeline.CodeOutcomeUnknown || got.ErrorMessage == "" {
			t.Fatalf("after restart: %+v, want failed with outcome_unknown", got)
		}
		if n := len(r.outbox(r.sales)); n != 2 {
			t.Fatalf("outbox has %d, want 2 (sent once, never again)", n)
		}

		// 3. The employee retries: it really goes out again, once.
		if _, err := st.Retry(ctx, r.ws.ID, mid.ID); err != nil {
			t.Fatal(err)
		}
		next.Drain(ctx)
		next.Drain(ctx)
		if got := r.message(mid.ID); got.Status == hub.StatusFailed || got.ErrorCode != "" {
			t.Fatalf("after retry: %+v", got)
		}
		if n := len(r.outbox(r.sales)); n != 3 {
			t.Fatalf("outbox has %d after the retry, want 3", n)
		}
	})
}
