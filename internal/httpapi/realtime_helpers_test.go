package httpapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/switchboardhq/switchboard/internal/apidoc"
	"github.com/switchboardhq/switchboard/internal/events"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

// live gives e an events hub fed by its store and serves it on a real listener (WebSockets
// need one); it returns the server's base URL.
func (e *env) live(t *testing.T, opts events.Options) string { return e.liveShared(t, opts, "") }

// liveShared is live with the hub's news shared through the NATS server at natsURL ("" for none).
func (e *env) liveShared(t *testing.T, opts events.Options, natsURL string) string {
	h := events.New(e.st, opts)
	if natsURL != "" {
		n, err := events.ConnectNATS(natsURL, h.Notify)
		must(t, err)
		t.Cleanup(func() { n.Close() })
		h.ShareThrough(n)
	}
	h.PrepareWith(e.srv.PrepareEvents) // as the instance wires it
	e.st.SetEventNotifier(h.Committed)
	e.srv.Events = h
	e.h = apidoc.Validating(e.t, e.srv.Handler())
	ts := httptest.NewServer(e.h)
	t.Cleanup(ts.Close)
	return ts.URL
}

// ticket asks for an events ticket with a session token.
func (e *env) ticket(session string) string {
	e.t.Helper()
	r := e.do("POST", "/api/v1/events/ticket", session, nil)
	expect(e.t, "ticket", r, http.StatusCreated, "")
	return r.JSON(e.t)["ticket"].(string)
}

// socket is a test client of GET /api/v1/events.
type socket struct {
	t       *testing.T
	conn    *websocket.Conn
	pending []frame // the rest of a message that held several events
}

// dial opens the events socket; a refusal returns the HTTP status instead.
func dial(t *testing.T, base, ticket, since string) (*socket, int) {
	t.Helper()
	q := url.Values{"ticket": {ticket}}
	if since != "" {
		q.Set("since", since)
	}
	u := "ws" + strings.TrimPrefix(base, "http") + "/api/v1/events?" + q.Encode()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, resp, err := websocket.Dial(ctx, u, nil)
	if err != nil {
		if resp == nil {
			t.Fatalf("dial: %v", err)
		}
		return nil, resp.StatusCode
	}
	conn.SetReadLimit(1 << 20)
	s := &socket{t: t, conn: conn}
	t.Cleanup(func() { conn.CloseNow() })
	return s, http.StatusSwitchingProtocols
}

// frame is what the socket sends; Data stays raw for the checks that need it.
type frame struct {
	Seq    int64           `json:"seq"`
	Type   string          `json:"type"`
	ChatID *string         `json:"chat_id"`
	Data   json.RawMessage `json:"data"`
}

// json decodes the frame's data.
func (f frame) JSON(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(f.Data, &m); err != nil {
		t.Fatalf("frame data %s: %v", f.Data, err)
	}
	return m
}

// read returns the next frame, taking the frames of a message that holds several (an array) one
// by one.
func (s *socket) read() frame {
	s.t.Helper()
	if len(s.pending) == 0 {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_, b, err := s.conn.Read(ctx)
		if err != nil {
			s.t.Fatalf("read frame: %v", err)
		}
		if err := apidoc.CheckFrame(b); err != nil {
			s.t.Errorf("message does not match docs/openapi.yaml's EventFrame or EventFrames: %v\n%.600s", err, b)
		}
		if strings.HasPrefix(string(b), "[") {
			if err := json.Unmarshal(b, &s.pending); err != nil {
				s.t.Fatalf("frames %s: %v", b, err)
			}
		} else {
			var f frame
			if err := json.Unmarshal(b, &f); err != nil {
				s.t.Fatalf("frame %s: %v", b, err)
			}
			s.pending = []frame{f}
		}
	}
	f := s.pending[0]
	s.pending = s.pending[1:]
	return f
}

// chatter is a workspace with a WhatsApp connection whose customers can write in.
type chatter struct {
	e    *env
	ws   hub.Workspace
	conn hub.Connection
}

func (e *env) chatter(ws hub.Workspace) chatter {
	conn, err := e.st.CreateConnection(ctx, hub.Connection{WorkspaceID: ws.ID, Kind: hub.KindWABA, Name: "Sales",
		ExternalID: "pn-" + ws.ID, InSubscription: true, Secrets: map[string]string{"token": "t"}})
	must(e.t, err)
	return chatter{e, ws, conn}
}

// customer creates a hub contact linked to a cached CRM contact owned by crmOwner.
func (c chatter) customer(waID string, crmContactID, crmOwner int64) hub.Contact {
	must(c.e.t, c.e.st.SaveCRMContact(ctx, c.ws.ID, store.CRMEntity{ID: crmContactID, Name: "CRM " + waID,
		ResponsibleUserID: crmOwner, FetchedAt: time.Now()}))
	ct, err := c.e.st.CreateContact(ctx, hub.Contact{WorkspaceID: c.ws.ID, Name: "Customer " + waID, WAID: waID,
		Phones: []string{"+" + waID}, CRMContactIDs: []int64{crmContactID}})
	must(c.e.t, err)
	return ct
}

// says stores an inbound text from the customer and returns its chat.
func (c chatter) says(who hub.Contact, text string) hub.Chat {
	r, err := c.e.st.SaveInbound(ctx, store.Inbound{WorkspaceID: c.ws.ID, ConnectionID: c.conn.ID,
		ChatKind: hub.ChatPrivate, ExternalChatID: who.WAID, From: hub.Contact{WAID: who.WAID},
		Message: hub.Message{Type: hub.TypeText, Text: text, ProviderKey: store.NewID(), CreatedAt: time.Now()}})
	must(c.e.t, err)
	return r.Chat
}
