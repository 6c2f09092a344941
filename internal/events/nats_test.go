package events_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/events"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
	"github.com/switchboardhq/switchboard/internal/store/storetest"
)

// NATSURL returns the test NATS server or skips.
func natsURL(t *testing.T) string {
	url := os.Getenv("SWITCHBOARD_TEST_NATS_URL")
	if url == "" {
		t.Skip("NATS skipped: set SWITCHBOARD_TEST_NATS_URL=nats://127.0.0.1:4222 to run it")
	}
	return url
}

// TestNATSWakesTheOtherInstance runs two hubs on one PostgreSQL database; polling is off, so
// only the broker can tell B about A's commit.
func TestNATSWakesTheOtherInstance(t *testing.T) {
	url := natsURL(t)
	dsn := storetest.PostgresDSN(t)
	a, b := storetest.OpenDSN(t, dsn), storetest.OpenDSN(t, dsn)
	ws, err := a.CreateWorkspace(context.Background(), hub.Workspace{Name: "W", CRMKind: "amocrm", CRMAccountID: 1})
	if err != nil {
		t.Fatal(err)
	}
	var hubs []*events.Fanout
	for _, st := range []*store.Store{a, b} {
		h := events.New(st, events.Options{PollEvery: time.Hour})
		n, err := events.ConnectNATS(url, h.Notify)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { n.Close() })
		h.ShareThrough(n)
		st.SetEventNotifier(h.Committed)
		hubs = append(hubs, h)
	}

	onB := newRecorder()
	e := env{st: b, hub: hubs[1], ws: ws.ID}
	e.serve(t, nil, everything, onB)
	onB.waitFor(t, 1)
	if _, err := a.AppendEvent(context.Background(), ws.ID, hub.EventChatUpdated, "c1", "", map[string]string{}); err != nil {
		t.Fatal(err)
	}
	onB.waitFor(t, 2)
	equal(t, "frames on B", onB.seqs(), []int64{-1, 1})
}
