package httpapi_test

import (
	"net/http"
	"testing"

	"github.com/switchboardhq/switchboard/internal/hub"
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
			expect(t, "auth "+auth, e.serve(req), http.StatusUnauthorized, "unauthorized")
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
		items := list.json(t)["items"].([]any)
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
		if c := conns.json(t)["items"].([]any)[0].(map[string]any); c["id"] != conn.ID || c["in_subscription"] != true {
			t.Fatalf("connections = %s", conns.Body)
		}
		path := "/api/operator/v1/workspaces/" + ws.ID + "/connections/" + conn.ID + "/subscription"
		r = e.do("PUT", path, "s3cret", map[string]bool{"in_subscription": false})
		expect(t, "take out of subscription", r, http.StatusOK, "")
		c, err := e.st.Connection(ctx, ws.ID, conn.ID)
		must(t, err)
		if c.InSubscription || r.json(t)["in_subscription"] != false {
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
	e.h = e.srv.Handler()
}
