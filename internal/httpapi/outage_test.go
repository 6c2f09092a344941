package httpapi_test

import (
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store/storetest"
)

// While the database is unreachable every request answers 503 unavailable (never 500), and a
// send whose write committed just before the database went away still answers 201 with the
// queued message, not an error that would make the employee send it again.
func TestDatabaseOutage(t *testing.T) {
	dsn, proxy := storetest.PostgresBehindProxy(t)
	st := storetest.OpenDSN(t, dsn)
	e := newEnv(t, st)
	w := e.world(1)
	_, tok := e.manager(w, "M", "D")
	chat := w.chats["mine"].ID

	// The database goes away right after the send's transaction commits (the store announces
	// the commit's events before the handler renders its answer).
	var cutOnCommit atomic.Bool
	st.SetEventNotifier(func(string, int64, []hub.Event) {
		if cutOnCommit.CompareAndSwap(true, false) {
			proxy.Cut()
		}
	})
	cutOnCommit.Store(true)
	r := send(e, tok, chat, map[string]any{"client_id": "c-outage", "text": "Заказ принят"})
	expect(t, "send committed before the outage", r, http.StatusCreated, "")
	var m messageBody
	decode(t, r, &m)
	if m.Status != "queued" || m.Text != "Заказ принят" {
		t.Fatalf("answer: %s", r.Body)
	}

	expect(t, "send during the outage", send(e, tok, chat, map[string]any{"client_id": "c-2", "text": "ещё"}),
		http.StatusServiceUnavailable, "unavailable")
	expect(t, "history during the outage", e.do(http.MethodGet, "/api/v1/chats/"+chat+"/messages", tok, nil),
		http.StatusServiceUnavailable, "unavailable")

	proxy.Restore()
	var page struct{ Items []messageBody }
	decode(t, e.do(http.MethodGet, "/api/v1/chats/"+chat+"/messages", tok, nil), &page)
	if len(page.Items) == 0 || page.Items[0].ID != m.ID {
		t.Fatalf("after the outage the history is %+v, want the committed message first", page.Items)
	}
}
