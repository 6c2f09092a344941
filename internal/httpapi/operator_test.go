package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/apidoc"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

func TestOperatorAPIIsOffWithoutAToken(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		ws := e.workspace(1)
		for _, token := range []string{"", "sandbox", "anything"} {
			expect(t, "list with token "+token, e.do("GET", "/api/operator/v1/workspaces", token, nil),
				http.StatusServiceUnavailable, "operator_api_disabled")
			expect(t, "set with token "+token, e.do("PUT", "/api/operator/v1/workspaces/"+ws.ID+"/subscription", token,
				map[string]bool{"active": false}), http.StatusServiceUnavailable, "operator_api_disabled")
		}
		got, err := e.st.Workspace(ctx, ws.ID)
		must(t, err)
		if !got.Subscription.Active {
			t.Fatal("a refused operator call changed the subscription")
		}
	})
}

func TestOperatorAPIRefusesWrongTokens(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		e.operatorToken("s3cret")
		ws := e.workspace(1)
		for _, auth := range []string{"", "Bearer", "Bearer s3cre", "Bearer s3cret2", "Basic s3cret", "s3cret"} {
			req := newRequest("PUT", "/api/operator/v1/workspaces/"+ws.ID+"/subscription", auth)
			r := e.serve(req)
			expect(t, "auth "+auth, r, http.StatusUnauthorized, "unauthorized")
			// The operator is told about its token, not about a chat window to reopen.
			if msg := r.JSON(t)["error"].(map[string]any)["message"].(string); !strings.Contains(msg, "SWITCHBOARD_OPERATOR_TOKEN") {
				t.Fatalf("auth %q: the 401 says %q", auth, msg)
			}
		}
		// A chat window session is not an operator token either.
		_, session := e.employee(ws, 10, 0, hub.RoleAdmin, "en", "A", "A")
		expect(t, "session token", e.do("GET", "/api/operator/v1/workspaces", session, nil),
			http.StatusUnauthorized, "unauthorized")
	})
}

func TestOperatorSetsSubscriptionAndConnection(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		e.operatorToken("s3cret")
		ws := e.workspace(1)
		conn, err := e.st.CreateConnection(ctx, hub.Connection{WorkspaceID: ws.ID, Kind: hub.KindWABA, Name: "Sales",
			ExternalID: "pn1", InSubscription: true, Secrets: map[string]string{"token": "x"}})
		must(t, err)

		list := e.do("GET", "/api/operator/v1/workspaces", "s3cret", nil)
		expect(t, "list", list, http.StatusOK, "")
		items := list.JSON(t)["items"].([]any)
		if len(items) != 1 || items[0].(map[string]any)["id"] != ws.ID {
			t.Fatalf("workspaces = %s", list.Body)
		}

		r := e.do("PUT", "/api/operator/v1/workspaces/"+ws.ID+"/subscription", "s3cret", map[string]bool{"paid": false})
		expect(t, "set paid", r, http.StatusOK, "")
		got, err := e.st.Workspace(ctx, ws.ID)
		must(t, err)
		if want := (hub.Subscription{Active: true, Paid: false, TemplatesPaid: true}); got.Subscription != want {
			t.Fatalf("subscription = %+v, want %+v", got.Subscription, want)
		}
		expect(t, "nothing to set", e.do("PUT", "/api/operator/v1/workspaces/"+ws.ID+"/subscription", "s3cret",
			map[string]bool{"activ": true}), http.StatusBadRequest, "bad_request")
		expect(t, "unknown workspace", e.do("PUT", "/api/operator/v1/workspaces/nope/subscription", "s3cret",
			map[string]bool{"active": true}), http.StatusNotFound, "not_found")

		conns := e.do("GET", "/api/operator/v1/workspaces/"+ws.ID+"/connections", "s3cret", nil)
		expect(t, "connections", conns, http.StatusOK, "")
		if c := conns.JSON(t)["items"].([]any)[0].(map[string]any); c["id"] != conn.ID || c["in_subscription"] != true {
			t.Fatalf("connections = %s", conns.Body)
		}
		path := "/api/operator/v1/workspaces/" + ws.ID + "/connections/" + conn.ID + "/subscription"
		r = e.do("PUT", path, "s3cret", map[string]bool{"in_subscription": false})
		expect(t, "take out of subscription", r, http.StatusOK, "")
		c, err := e.st.Connection(ctx, ws.ID, conn.ID)
		must(t, err)
		if c.InSubscription || r.JSON(t)["in_subscription"] != false {
			t.Fatalf("connection still in subscription: %s", r.Body)
		}
		expect(t, "missing field", e.do("PUT", path, "s3cret", map[string]any{}), http.StatusBadRequest, "bad_request")
		other := e.workspace(2)
		expect(t, "connection of another workspace", e.do("PUT", "/api/operator/v1/workspaces/"+other.ID+"/connections/"+
			conn.ID+"/subscription", "s3cret", map[string]bool{"in_subscription": true}), http.StatusNotFound, "not_found")
	})
}

// operatorToken switches the operator API on with token.
func (e *env) operatorToken(token string) {
	e.srv.OperatorToken = token
	e.h = apidoc.Validating(e.t, e.srv.Handler())
}

// TestOperatorSubscriptionEnds: the operator sets an end and clears it; past the end (on the
// server's clock) sending is refused subscription_inactive, and the cabinet says so.
func TestOperatorSubscriptionEnds(t *testing.T) {
	eachEngine(t, func(t *testing.T, e *env) {
		e.operatorToken("s3cret")
		now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
		e.srv.Now = func() time.Time { return now }
		w := e.world(1)
		in, err := e.st.SaveInbound(ctx, store.Inbound{WorkspaceID: w.ws.ID, ConnectionID: w.waba.ID, ChatKind: hub.ChatPrivate,
			ExternalChatID: "79160001111", From: hub.Contact{Name: "Anna", WAID: "79160001111", Phones: []string{"+79160001111"}},
			Message: hub.Message{Type: hub.TypeText, Text: "hi", ProviderKey: "w.1", CreatedAt: now.Add(-time.Minute)}})
		must(t, err)
		path := "/api/operator/v1/workspaces/" + w.ws.ID + "/subscription"
		r := e.do("PUT", path, "s3cret", map[string]any{"ends_at": "2026-05-01T13:00:00Z"})
		expect(t, "set ends_at", r, http.StatusOK, "")
		sub := r.JSON(t)["subscription"].(map[string]any)
		if sub["ends_at"] != "2026-05-01T13:00:00Z" || sub["active_now"] != true || sub["paid"] != true {
			t.Fatalf("subscription = %v", sub)
		}
		expect(t, "bad ends_at", e.do("PUT", path, "s3cret", map[string]any{"ends_at": "tomorrow"}),
			http.StatusBadRequest, "bad_request")
		text := func(id string) map[string]any { return map[string]any{"client_id": id, "text": "hello"} }
		expect(t, "before the end", send(e, w.adminToken, in.Chat.ID, text("a")), http.StatusCreated, "")
		now = now.Add(time.Hour)
		expect(t, "at the end", send(e, w.adminToken, in.Chat.ID, text("b")), http.StatusPaymentRequired, "subscription_inactive")
		list := e.do("GET", "/api/operator/v1/workspaces", "s3cret", nil).JSON(t)["items"].([]any)
		if s := list[0].(map[string]any)["subscription"].(map[string]any); s["active"] != true || s["active_now"] != false {
			t.Fatalf("an ended subscription is still shown as active now: %v", s)
		}
		r = e.do("PUT", path, "s3cret", map[string]any{"ends_at": nil})
		expect(t, "clear ends_at", r, http.StatusOK, "")
		if sub := r.JSON(t)["subscription"].(map[string]any); sub["ends_at"] != nil || sub["active_now"] != true {
			t.Fatalf("cleared subscription = %v", sub)
		}
		expect(t, "after clearing", send(e, w.adminToken, in.Chat.ID, text("c")), http.StatusCreated, "")
	})
}
