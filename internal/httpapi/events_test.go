package httpapi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/events"
	"github.com/switchboardhq/switchboard/internal/httpapi"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/i18n"
	"github.com/switchboardhq/switchboard/internal/store"
)

func TestEventTicketsAreSingleUseShortLivedAndNeedASession(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		base := e.live(t, events.Options{})
		ws := e.workspace(1)
		emp, session := e.employee(ws, 10, 0, hub.RoleAdmin, "en", "A", "A")
		expect(t, "ticket without session", e.do("POST", "/api/v1/events/ticket", "", nil), http.StatusUnauthorized, "unauthorized")
		expect(t, "socket without ticket", e.do("GET", "/api/v1/events", "", nil), http.StatusUnauthorized, "unauthorized")
		expect(t, "unknown ticket", e.do("GET", "/api/v1/events?ticket=forged", "", nil), http.StatusUnauthorized, "unauthorized")
		expect(t, "session token as ticket", e.do("GET", "/api/v1/events?ticket="+session, "", nil), http.StatusUnauthorized, "unauthorized")

		ticket := e.ticket(session)
		expect(t, "bad since", e.do("GET", "/api/v1/events?since=-1&ticket="+ticket, "", nil), http.StatusBadRequest, "bad_request")
		s, status := dial(t, base, ticket, "") // a refused since did not spend the ticket
		if status != http.StatusSwitchingProtocols {
			t.Fatalf("first use: HTTP %d", status)
		}
		if f := s.read(); f.Type != "hello" || f.Seq != 0 {
			t.Fatalf("first frame = %s %d, want hello at seq 0", f.Type, f.Seq)
		}
		if m := e.do("GET", "/metrics", "", nil); !strings.Contains(string(m.Body), "switchboard_events_sockets 1") {
			t.Fatalf("/metrics does not count the open socket:\n%s", m.Body)
		}
		if _, status := dial(t, base, ticket, ""); status != http.StatusUnauthorized {
			t.Fatalf("second use: HTTP %d, want 401", status)
		}
		must(t, e.st.CreateEventTicket(ctx, "stale", ws.ID, emp.ID, time.Now().Add(-time.Millisecond)))
		if _, status := dial(t, base, "stale", ""); status != http.StatusUnauthorized {
			t.Fatalf("expired ticket: HTTP %d, want 401", status)
		}
	})
}

// TestReconnectReplaysExactlyTheMissedVisibleEvents kills a manager's socket mid-stream; the
// reconnect with since gets every event after it that the manager may see, in order, and
// nothing of the customer whose CRM contact belongs to someone else.
func TestReconnectReplaysExactlyTheMissedVisibleEvents(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		base := e.live(t, events.Options{})
		ws := e.workspace(1)
		c := e.chatter(ws)
		_, session := e.employee(ws, 20, 0, hub.RoleManager, "ru", hub.RightOwn, hub.RightNone)
		mine := c.customer("79990000001", 500, 20)
		theirs := c.customer("79990000002", 600, 99)

		s, _ := dial(t, base, e.ticket(session), "")
		hello := s.read()
		c.says(theirs, "hidden 1")
		chat := c.says(mine, "visible 1")
		first := s.read() // the first frame must already be the visible customer's
		if first.Type != hub.EventMessageCreated || first.ChatID == nil || *first.ChatID != chat.ID {
			t.Fatalf("first frame = %s %d %s, want message.created of chat %s", first.Type, first.Seq, first.Data, chat.ID)
		}
		checkMessage(t, first, "visible 1")
		s.conn.CloseNow() // killed mid-stream: the chat.updated behind it is still unread

		for i := 2; i <= 4; i++ {
			c.says(mine, fmt.Sprint("visible ", i))
			c.says(theirs, fmt.Sprint("hidden ", i))
		}
		want := e.visibleSeqs(ws.ID, first.Seq, chat.ID, mine.ID)
		again, _ := dial(t, base, e.ticket(session), strconv.FormatInt(first.Seq, 10))
		if h := again.read(); h.Type != "hello" || h.Seq <= hello.Seq {
			t.Fatalf("hello after reconnect = %s %d", h.Type, h.Seq)
		}
		var got []int64
		for len(got) < len(want) {
			f := again.read()
			got = append(got, f.Seq)
			if f.ChatID == nil || *f.ChatID != chat.ID {
				t.Fatalf("frame of another chat leaked: %s %d %s", f.Type, f.Seq, f.Data)
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("replayed seqs %v, want %v", got, want)
		}
		// Live again, and nothing was queued behind the replay: the next frame is the new one.
		c.says(theirs, "hidden 5")
		c.says(mine, "visible 5")
		next := again.read()
		if next.Type != hub.EventMessageCreated || next.Seq <= got[len(got)-1] {
			t.Fatalf("after replay: %s %d %s", next.Type, next.Seq, next.Data)
		}
		checkMessage(t, next, "visible 5")
	})
}

// visibleSeqs lists, from the log itself, the events after since of one chat or contact.
func (e *env) visibleSeqs(wsID string, since int64, chatID, contactID string) []int64 {
	all, err := e.st.EventsSince(ctx, wsID, since, 1000)
	must(e.t, err)
	var out []int64
	for _, ev := range all {
		if ev.ChatID == chatID || (ev.ChatID == "" && ev.ContactID == contactID) {
			out = append(out, ev.Seq)
		}
	}
	if len(out) < 4 {
		e.t.Fatalf("only %d events of the visible chat after %d: the test writes at least 6", len(out), since)
	}
	return out
}

// checkMessage checks a frame carries the API's Message JSON with that text.
func checkMessage(t *testing.T, f frame, text string) {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(f.Data, &m); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"id", "chat_id", "direction", "type", "status", "attachments", "created_at"} {
		if _, ok := m[key]; !ok {
			t.Fatalf("frame data lacks %q: %s", key, f.Data)
		}
	}
	if m["text"] != text || m["direction"] != "in" {
		t.Fatalf("frame data = %s, want inbound %q", f.Data, text)
	}
}

// TestADemotedAdminsSocketStopsShowingWhatTheyLost: the socket re-reads the employee (here before
// every event), so a role taken away in the CRM applies to a socket already open (F34).
func TestADemotedAdminsSocketStopsShowingWhatTheyLost(t *testing.T) {
	defer httpapi.SetCallerTTL(0)()
	eachEngine(t, func(t *testing.T, e *env) {
		base := e.live(t, events.Options{})
		ws := e.workspace(1)
		c := e.chatter(ws)
		emp, session := e.employee(ws, 20, 0, hub.RoleAdmin, "en", hub.RightOwn, hub.RightNone)
		mine := c.customer("79990000001", 500, 20)
		theirs := c.customer("79990000002", 600, 99)
		s, _ := dial(t, base, e.ticket(session), "")
		s.read() // hello
		c.says(theirs, "seen while admin")
		checkMessage(t, nextMessage(s), "seen while admin")

		emp.Role = hub.RoleManager
		_, _, err := e.st.ProvisionEmployee(ctx, emp)
		must(t, err)
		must(t, e.st.SaveCRMUser(ctx, ws.ID, store.CRMUser{ID: 20, Name: emp.Name, IsActive: true,
			ContactsView: hub.RightOwn, LeadsView: hub.RightNone, FetchedAt: time.Now()}))
		c.says(theirs, "not for a manager")
		c.says(mine, "still mine")
		checkMessage(t, nextMessage(s), "still mine")
	})
}

// TestASubscriptionChangeReachesEverySocketAtOnce: when the operator ends the subscription or
// takes a connection out of it, every employee's open window hears it (even an own-only
// manager's, who sees no chat of it), so the composer says why sends are refused before anyone
// tries one.
func TestASubscriptionChangeReachesEverySocketAtOnce(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		base := e.live(t, events.Options{})
		ws := e.workspace(1)
		_, session := e.employee(ws, 20, 0, hub.RoleManager, "ru", hub.RightOwn, hub.RightNone)
		s, _ := dial(t, base, e.ticket(session), "")
		s.read() // hello
		ends := time.Date(2031, 5, 6, 7, 8, 9, 0, time.UTC)
		must(t, e.st.SetSubscription(ctx, ws.ID, hub.Subscription{Active: false, Paid: true, EndsAt: ends}))
		f := s.read()
		if f.Type != hub.EventSubscriptionUpdated || f.ChatID != nil {
			t.Fatalf("frame = %s %v %s, want %s for the whole workspace", f.Type, f.ChatID, f.Data, hub.EventSubscriptionUpdated)
		}
		var sub struct {
			Active    bool       `json:"active"`
			Paid      bool       `json:"paid"`
			ActiveNow bool       `json:"active_now"`
			EndsAt    *time.Time `json:"ends_at"`
		}
		must(t, json.Unmarshal(f.Data, &sub))
		if sub.Active || sub.ActiveNow || !sub.Paid || sub.EndsAt == nil || !sub.EndsAt.Equal(ends) {
			t.Fatalf("subscription frame = %s", f.Data)
		}
		// A connection taken out of the subscription: the connection as GET /connections shows
		// it, never its secrets.
		conn := e.chatter(ws).conn
		must(t, e.st.SetConnectionInSubscription(ctx, ws.ID, conn.ID, false))
		f = s.read()
		var got map[string]any
		must(t, json.Unmarshal(f.Data, &got))
		if f.Type != hub.EventConnectionUpdated || got["id"] != conn.ID || got["in_subscription"] != false || got["kind"] != hub.KindWABA {
			t.Fatalf("connection frame = %s %s", f.Type, f.Data)
		}
		for _, secret := range []string{"settings", "secrets", "token"} {
			if _, ok := got[secret]; ok {
				t.Fatalf("connection frame shows %q: %s", secret, f.Data)
			}
		}
	})
}

// TestALanguageChangeReachesTheEmployeesOwnSockets: the CRM's users refresh changes an
// employee's language (F34); their open window is told at once and switches without a reload,
// a colleague's socket hears nothing, and a refresh that changes nothing sends nothing.
func TestALanguageChangeReachesTheEmployeesOwnSockets(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		base := e.live(t, events.Options{})
		ws := e.workspace(1)
		me, mine := e.employee(ws, 20, 0, hub.RoleManager, "ru", hub.RightOwn, hub.RightNone)
		_, theirs := e.employee(ws, 21, 0, hub.RoleManager, "ru", hub.RightOwn, hub.RightNone)
		s, _ := dial(t, base, e.ticket(mine), "")
		s.read() // hello
		other, _ := dial(t, base, e.ticket(theirs), "")
		other.read() // hello

		me.Lang = "es"
		_, _, err := e.st.ProvisionEmployee(ctx, me)
		must(t, err)
		f := s.read()
		var got map[string]string
		must(t, json.Unmarshal(f.Data, &got))
		if f.Type != hub.EventEmployeeUpdated || got["lang"] != "es" || got["role"] != hub.RoleManager {
			t.Fatalf("frame = %s %s", f.Type, f.Data)
		}
		// Unchanged again: no event; then a subscription change, which every socket hears, is
		// the next frame of both — the colleague never got the language change.
		_, _, err = e.st.ProvisionEmployee(ctx, me)
		must(t, err)
		must(t, e.st.SetSubscription(ctx, ws.ID, hub.Subscription{Active: true, Paid: true}))
		if f := s.read(); f.Type != hub.EventSubscriptionUpdated {
			t.Fatalf("after an unchanged refresh: %s %s", f.Type, f.Data)
		}
		if f := other.read(); f.Type != hub.EventSubscriptionUpdated {
			t.Fatalf("a colleague's socket got %s %s", f.Type, f.Data)
		}
	})
}

// TestSocketsShareAnEventYetEachSeesItsOwn: the feed reads and renders an event once for all
// of a workspace's sockets, yet each frame is the caller's own — its language, file links
// signed for that employee — and a manager who may not see the chat gets nothing of it.
func TestSocketsShareAnEventYetEachSeesItsOwn(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		base := e.live(t, events.Options{})
		ws := e.workspace(1)
		c := e.chatter(ws)
		adminEN, enSession := e.employee(ws, 10, 0, hub.RoleAdmin, "en", "A", "A")
		adminRU, ruSession := e.employee(ws, 11, 0, hub.RoleAdmin, "ru", "A", "A")
		owner, ownerSession := e.employee(ws, 20, 0, hub.RoleManager, "en", hub.RightOwn, hub.RightNone)
		_, otherSession := e.employee(ws, 21, 0, hub.RoleManager, "en", hub.RightOwn, hub.RightNone)
		mine := c.customer("79990000001", 500, 20)
		type window struct {
			who    hub.Employee
			lang   string
			socket *socket
		}
		var windows []window
		for _, w := range []struct {
			who           hub.Employee
			lang, session string
		}{{adminEN, "en", enSession}, {adminRU, "ru", ruSession}, {owner, "en", ownerSession}} {
			s, _ := dial(t, base, e.ticket(w.session), "")
			s.read() // hello
			windows = append(windows, window{w.who, w.lang, s})
		}
		other, _ := dial(t, base, e.ticket(otherSession), "")
		other.read() // hello

		_, err := e.st.SaveInbound(ctx, store.Inbound{WorkspaceID: ws.ID, ConnectionID: c.conn.ID,
			ChatKind: hub.ChatPrivate, ExternalChatID: mine.WAID, From: hub.Contact{WAID: mine.WAID},
			Message: hub.Message{Type: hub.TypeFile, ProviderKey: store.NewID(), CreatedAt: time.Now(),
				Attachments: []hub.Attachment{{Name: "big.pdf", MIME: "application/pdf", ErrorCode: "media_too_large"}}}})
		must(t, err)
		for _, w := range windows {
			f := w.socket.read()
			var m struct {
				Attachments []struct {
					URL   string
					Error struct{ Message string }
				}
			}
			must(t, json.Unmarshal(f.Data, &m))
			if f.Type != hub.EventMessageCreated || len(m.Attachments) != 1 {
				t.Fatalf("%s: frame = %s %s", w.who.Name, f.Type, f.Data)
			}
			a := m.Attachments[0]
			if !strings.Contains(a.URL, "e="+w.who.ID+"&") {
				t.Fatalf("%s: file link not signed for them: %s", w.who.Name, a.URL)
			}
			if want := i18n.T(w.lang, "error.media_too_large"); a.Error.Message != want {
				t.Fatalf("%s: reason %q, want %q", w.who.Name, a.Error.Message, want)
			}
		}
		must(t, e.st.SetSubscription(ctx, ws.ID, hub.Subscription{Active: true, Paid: true}))
		if f := other.read(); f.Type != hub.EventSubscriptionUpdated {
			t.Fatalf("a manager who may not see the chat got %s %s", f.Type, f.Data)
		}
	})
}
