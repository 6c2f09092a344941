package httpapi_test

import (
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/switchboardhq/switchboard/internal/events"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store/storetest"
)

// TestTwoInstancesShareEventsThroughNATS runs two hubs on one PostgreSQL database with NATS
// between them and polling off, so only NATS can wake B: a customer's message stored by A, and
// a reply sent through A's API, reach a WebSocket on B.
func TestTwoInstancesShareEventsThroughNATS(t *testing.T) {
	natsURL := os.Getenv("SWITCHBOARD_TEST_NATS_URL")
	if natsURL == "" {
		t.Skip("two-instance test skipped: set SWITCHBOARD_TEST_NATS_URL=nats://127.0.0.1:4222 (and " +
			storetest.PostgresEnv + ") to run it")
	}
	dsn := storetest.PostgresDSN(t)
	a, b := newEnv(t, storetest.OpenDSN(t, dsn)), newEnv(t, storetest.OpenDSN(t, dsn))
	noPolling := events.Options{PollEvery: time.Hour}
	a.liveShared(t, noPolling, natsURL)
	baseB := b.liveShared(t, noPolling, natsURL)

	ws := a.workspace(1)
	c := a.chatter(ws)
	_, session := a.employee(ws, 10, 0, hub.RoleAdmin, "en", hub.RightAll, hub.RightAll)
	customer := c.customer("79990000001", 500, 10)

	onB, status := dial(t, baseB, a.ticket(session), "") // a ticket from A opens a socket on B
	if status != http.StatusSwitchingProtocols {
		t.Fatalf("socket on B: HTTP %d", status)
	}
	onB.read() // hello
	chat := c.says(customer, "hello from the customer")
	checkMessage(t, nextMessage(onB), "hello from the customer")

	sent := a.do("POST", "/api/v1/chats/"+chat.ID+"/messages", session,
		map[string]string{"client_id": uuid.NewString(), "text": "hello from A"})
	expect(t, "send through A", sent, http.StatusCreated, "")
	f := nextMessage(onB)
	if m := f.JSON(t); m["text"] != "hello from A" || m["direction"] != "out" || m["id"] != sent.JSON(t)["id"] {
		t.Fatalf("B's frame = %s, want the message sent through A: %s", f.Data, sent.Body)
	}
}

// nextMessage skips chat and contact updates up to the next message.created frame.
func nextMessage(s *socket) frame {
	for {
		if f := s.read(); f.Type == hub.EventMessageCreated {
			return f
		}
	}
}
