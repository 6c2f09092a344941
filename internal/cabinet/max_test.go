package cabinet_test

import (
	"net/http"
	"testing"
)

// A MAX bot connects by its token (GET /me proves it), its webhook set by the hub; an admin may
// switch it to long polling and back.
func TestCabinetAddsMaxBot(t *testing.T) {
	eachCabinet(t, func(t *testing.T, e *cabEnv) {
		ws := e.workspace(1)
		_, ck := e.admin(ws, 10)
		e.channels.goodToken = "good-token"
		for name, form := range map[string]map[string]any{
			"bot_token": {"kind": "max_bot", "bot_token": ""},
			"delivery":  {"kind": "max_bot", "bot_token": "good-token", "delivery": "pigeon"},
		} {
			r := e.call(http.MethodPost, "/api/cabinet/v1/connections", ck, form)
			expect(t, name, r, http.StatusBadRequest, "invalid_field")
			if r.JSON(t)["error"].(map[string]any)["field"] != name {
				t.Fatalf("%s: %s", name, r.Body)
			}
		}
		refused := e.call(http.MethodPost, "/api/cabinet/v1/connections", ck, map[string]any{"kind": "max_bot", "bot_token": "other"})
		expect(t, "unknown token", refused, http.StatusUnprocessableEntity, "connection_check_failed")
		if conns, _ := e.st.Connections(ctx, ws.ID); len(conns) != 0 {
			t.Fatal("a refused token left a connection")
		}

		r := e.call(http.MethodPost, "/api/cabinet/v1/connections", ck, map[string]any{"kind": "max_bot", "bot_token": "good-token"})
		expect(t, "create", r, http.StatusCreated, "")
		noSecrets(t, "create", r)
		conn := r.JSON(t)["connection"].(map[string]any)
		id := conn["id"].(string)
		hook := publicURL + "/hooks/max/" + id
		if conn["kind"] != "max_bot" || conn["webhook_url"] != hook || conn["settings"].(map[string]any)["delivery"] != "webhook" {
			t.Fatalf("bot = %v", conn)
		}
		if e.channels.webhooks[id] != hook {
			t.Fatalf("subscription: %v", e.channels.webhooks)
		}
		expect(t, "twice", e.call(http.MethodPost, "/api/cabinet/v1/connections", ck,
			map[string]any{"kind": "max_bot", "bot_token": "good-token"}), http.StatusConflict, "connection_exists")

		r = e.call(http.MethodPatch, "/api/cabinet/v1/connections/"+id, ck, map[string]any{"delivery": "polling"})
		expect(t, "to polling", r, http.StatusOK, "")
		if r.JSON(t)["settings"].(map[string]any)["delivery"] != "polling" || e.channels.webhooks[id] != "polling" {
			t.Fatalf("polling: %s %v", r.Body, e.channels.webhooks)
		}
		stored, err := e.st.Connection(ctx, ws.ID, id)
		if err != nil || stored.Settings["delivery"] != "polling" || stored.Settings["username"] != "acme_max_bot" {
			t.Fatalf("stored: %v %v", stored.Settings, err)
		}
		expect(t, "delivery of a WABA number", e.call(http.MethodPatch, "/api/cabinet/v1/connections/"+id, ck,
			map[string]any{"delivery": "sometimes"}), http.StatusBadRequest, "invalid_field")
	})
}
