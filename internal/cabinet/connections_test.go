package cabinet_test

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/connections"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

func wabaForm(token string) map[string]any {
	return map[string]any{"kind": "waba", "name": "Sales", "phone_number_id": "1065550100", "waba_id": "2025550100",
		"access_token": token, "app_secret": "app-secret-value", "verify_token": "verify-me-please"}
}

// secretsIn are the secrets the tests type in; no response may ever carry one.
var secretsIn = []string{"good-token", "app-secret-value", "s3cr3t-webhook", "12345:good-token"}

func noSecrets(t *testing.T, what string, r response) {
	t.Helper()
	for _, s := range secretsIn {
		if bytes.Contains(r.Body, []byte(s)) {
			t.Fatalf("%s sent a secret back: %s", what, r.Body)
		}
	}
}

func TestCabinetAddsWABANumber(t *testing.T) {
	eachCabinet(t, func(t *testing.T, e *cabEnv) {
		ws := e.workspace(1)
		_, ck := e.admin(ws, 10)
		e.channels.templates = []hub.Template{{Name: "order_ready", Language: "ru", Body: "Заказ {{1}} готов", Params: 1,
			Status: "APPROVED", Category: "UTILITY"}, {Name: "promo", Language: "en", Body: "Sale", Status: "REJECTED"}}

		for name, mutate := range map[string]func(map[string]any){
			"phone_number_id": func(f map[string]any) { f["phone_number_id"] = "12 34" },
			"waba_id":         func(f map[string]any) { f["waba_id"] = "" },
			"access_token":    func(f map[string]any) { f["access_token"] = "" },
			"app_secret":      func(f map[string]any) { delete(f, "app_secret") },
			"verify_token":    func(f map[string]any) { f["verify_token"] = "short" },
			"kind":            func(f map[string]any) { f["kind"] = "fax" },
		} {
			f := wabaForm("good-token")
			mutate(f)
			r := e.call(http.MethodPost, "/api/cabinet/v1/connections", ck, f)
			expect(t, name, r, http.StatusBadRequest, "invalid_field")
			if r.JSON(t)["error"].(map[string]any)["field"] != name {
				t.Fatalf("%s: error names %s", name, r.Body)
			}
		}
		refused := e.call(http.MethodPost, "/api/cabinet/v1/connections", ck, wabaForm("bad-token"))
		expect(t, "refused token", refused, http.StatusUnprocessableEntity, "connection_check_failed")
		if refused.JSON(t)["error"].(map[string]any)["reason"] != "Invalid OAuth access token." {
			t.Fatalf("the provider's reason is lost: %s", refused.Body)
		}
		// The refusal is in the audit log, with the provider's reason and no secret.
		audit := e.call(http.MethodGet, "/api/cabinet/v1/audit", ck, nil)
		entry := audit.JSON(t)["items"].([]any)[0].(map[string]any)
		if entry["action"] != "connection.check_failed" || entry["details"].(map[string]any)["reason"] != "Invalid OAuth access token." {
			t.Fatalf("failed check not audited: %v", entry)
		}
		noSecrets(t, "audit", audit)
		if conns, _ := e.st.Connections(ctx, ws.ID); len(conns) != 0 {
			t.Fatalf("bad input left %d connections", len(conns))
		}

		r := e.call(http.MethodPost, "/api/cabinet/v1/connections", ck, wabaForm("good-token"))
		expect(t, "create", r, http.StatusCreated, "")
		noSecrets(t, "create", r)
		body := r.JSON(t)
		conn := body["connection"].(map[string]any)
		id := conn["id"].(string)
		setup := body["setup"].(map[string]any)
		if setup["webhook_url"] != publicURL+"/hooks/waba/"+id || setup["verify_token"] != "verify-me-please" {
			t.Fatalf("setup = %v", setup)
		}
		// Until Meta verifies its webhook (or one arrives), a new number is not shown as working.
		if conn["state"] != "not_verified" || conn["external_id"] != "1065550100" || conn["name"] != "Sales" {
			t.Fatalf("connection = %v", conn)
		}
		stored, err := e.st.Connection(ctx, ws.ID, id)
		must(t, err)
		if stored.Secrets["access_token"] != "good-token" || stored.Settings["base_url"] != "http://graph.test/v21.0" {
			t.Fatalf("stored %+v", stored)
		}

		list := e.call(http.MethodGet, "/api/cabinet/v1/connections", ck, nil)
		expect(t, "list", list, http.StatusOK, "")
		noSecrets(t, "list", list)
		if bytes.Contains(list.Body, []byte("verify-me-please")) {
			t.Fatalf("the verify token is shown again: %s", list.Body)
		}
		tpls := e.call(http.MethodGet, "/api/cabinet/v1/connections/"+id+"/templates", ck, nil)
		expect(t, "templates", tpls, http.StatusOK, "")
		items := tpls.JSON(t)["items"].([]any)
		if len(items) != 2 || items[0].(map[string]any)["status"] != "APPROVED" {
			t.Fatalf("templates = %s", tpls.Body)
		}

		dup := wabaForm("good-token")
		expect(t, "duplicate", e.call(http.MethodPost, "/api/cabinet/v1/connections", ck, dup), http.StatusConflict, "connection_exists")

		// The token stops working: a template sync marks the connection, a good one clears it.
		stored.Secrets["access_token"] = "revoked"
		must(t, e.st.UpdateConnection(ctx, stored))
		expect(t, "sync with revoked token", e.call(http.MethodPost, "/api/cabinet/v1/connections/"+id+"/templates/sync", ck, nil),
			http.StatusUnprocessableEntity, "connection_check_failed")
		after := e.call(http.MethodGet, "/api/cabinet/v1/connections", ck, nil).JSON(t)["items"].([]any)[0].(map[string]any)
		if after["state"] != "auth_failed" {
			t.Fatalf("after a refused sync: %v", after)
		}
		stored.Secrets["access_token"] = "good-token"
		must(t, e.st.UpdateConnection(ctx, stored))
		expect(t, "sync", e.call(http.MethodPost, "/api/cabinet/v1/connections/"+id+"/templates/sync", ck, nil), http.StatusOK, "")
		if c, _ := e.st.Connection(ctx, ws.ID, id); c.Status != hub.StatusWorking {
			t.Fatalf("a good sync left status %s", c.Status)
		}
		must(t, e.st.SetConnectionInSubscription(ctx, ws.ID, id, false))
		if s := e.call(http.MethodGet, "/api/cabinet/v1/connections", ck, nil).JSON(t)["items"].([]any)[0].(map[string]any)["state"]; s != "not_in_subscription" {
			t.Fatalf("outside the subscription: %v", s)
		}
	})
}

func TestCabinetAddsTelegramBot(t *testing.T) {
	eachCabinet(t, func(t *testing.T, e *cabEnv) {
		ws := e.workspace(1)
		_, ck := e.admin(ws, 10)
		e.channels.goodToken = "12345:good-token"
		expect(t, "malformed token", e.call(http.MethodPost, "/api/cabinet/v1/connections", ck,
			map[string]any{"kind": "telegram_bot", "bot_token": "nope"}), http.StatusBadRequest, "invalid_field")
		expect(t, "unknown token", e.call(http.MethodPost, "/api/cabinet/v1/connections", ck,
			map[string]any{"kind": "telegram_bot", "bot_token": "12345:other"}), http.StatusUnprocessableEntity, "connection_check_failed")

		e.channels.webhookErr = &connections.SetupError{Reason: "bad webhook: HTTPS URL must be provided"}
		expect(t, "setWebhook refused", e.call(http.MethodPost, "/api/cabinet/v1/connections", ck,
			map[string]any{"kind": "telegram_bot", "bot_token": "12345:good-token"}), http.StatusUnprocessableEntity, "connection_check_failed")
		if conns, _ := e.st.Connections(ctx, ws.ID); len(conns) != 0 {
			t.Fatal("a bot whose webhook failed was kept")
		}
		e.channels.webhookErr = nil

		r := e.call(http.MethodPost, "/api/cabinet/v1/connections", ck,
			map[string]any{"kind": "telegram_bot", "bot_token": "12345:good-token"})
		expect(t, "create", r, http.StatusCreated, "")
		noSecrets(t, "create", r)
		conn := r.JSON(t)["connection"].(map[string]any)
		id := conn["id"].(string)
		if conn["name"] != "@acme_bot" || conn["webhook_url"] != publicURL+"/hooks/telegram/"+id {
			t.Fatalf("bot = %v", conn)
		}
		if e.channels.webhooks[id] != publicURL+"/hooks/telegram/"+id {
			t.Fatalf("setWebhook got %v", e.channels.webhooks)
		}
		expect(t, "twice", e.call(http.MethodPost, "/api/cabinet/v1/connections", ck,
			map[string]any{"kind": "telegram_bot", "bot_token": "12345:good-token"}), http.StatusConflict, "connection_exists")
		expect(t, "no templates", e.call(http.MethodPost, "/api/cabinet/v1/connections/"+id+"/templates/sync", ck, nil),
			http.StatusUnprocessableEntity, "templates_not_supported")
	})
}

func TestCabinetEditsAndRemovesConnections(t *testing.T) {
	eachCabinet(t, func(t *testing.T, e *cabEnv) {
		ws := e.workspace(1)
		_, ck := e.admin(ws, 10)
		other := e.workspace(2)
		_, otherCk := e.admin(other, 10)
		id := e.call(http.MethodPost, "/api/cabinet/v1/connections", ck, wabaForm("good-token")).JSON(t)["connection"].(map[string]any)["id"].(string)
		path := "/api/cabinet/v1/connections/" + id

		expect(t, "unknown responsible", e.call(http.MethodPatch, path, ck, map[string]any{"default_responsible_user_id": 999}),
			http.StatusUnprocessableEntity, "unknown_crm_user")
		expect(t, "empty name", e.call(http.MethodPatch, path, ck, map[string]any{"name": "  "}), http.StatusBadRequest, "invalid_field")
		r := e.call(http.MethodPatch, path, ck, map[string]any{"name": "Support", "default_responsible_user_id": 10})
		expect(t, "edit", r, http.StatusOK, "")
		if got := r.JSON(t); got["name"] != "Support" || got["default_responsible_user_id"] != 10.0 {
			t.Fatalf("edited = %s", r.Body)
		}
		for _, m := range []string{http.MethodPatch, http.MethodDelete} {
			expect(t, m+" from another workspace", e.call(m, path, otherCk, map[string]any{"name": "x"}), http.StatusNotFound, "not_found")
		}
		expect(t, "templates from another workspace", e.call(http.MethodGet, path+"/templates", otherCk, nil), http.StatusNotFound, "not_found")
		if c, _ := e.st.Connection(ctx, ws.ID, id); c.Name != "Support" {
			t.Fatalf("another workspace changed it: %s", c.Name)
		}

		// A connection with a chat keeps its history: it cannot be removed.
		_, err := e.st.SaveInbound(ctx, store.Inbound{WorkspaceID: ws.ID, ConnectionID: id, ChatKind: hub.ChatPrivate,
			ExternalChatID: "79160000001", From: hub.Contact{Name: "Ann", WAID: "79160000001"},
			Message: hub.Message{Type: hub.TypeText, Text: "hi", ProviderKey: "k1"}})
		must(t, err)
		expect(t, "in use", e.call(http.MethodDelete, path, ck, nil), http.StatusConflict, "connection_in_use")
		e.channels.goodToken = "99:bot"
		bot := e.call(http.MethodPost, "/api/cabinet/v1/connections", ck, map[string]any{"kind": "telegram_bot", "bot_token": "99:bot"})
		botID := bot.JSON(t)["connection"].(map[string]any)["id"].(string)
		expect(t, "remove", e.call(http.MethodDelete, "/api/cabinet/v1/connections/"+botID, ck, nil), http.StatusNoContent, "")
		if _, err := e.st.Connection(ctx, ws.ID, botID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("removed bot still there: %v", err)
		}
		audit := e.call(http.MethodGet, "/api/cabinet/v1/audit", ck, nil).JSON(t)["items"].([]any)
		if len(audit) != 4 || audit[0].(map[string]any)["action"] != "connection.delete" {
			t.Fatalf("audit = %v", audit)
		}
		// The edit says what changed, old → new.
		edit := audit[2].(map[string]any)
		changes, _ := edit["details"].(map[string]any)["changes"].(map[string]any)
		if edit["action"] != "connection.update" || fmt.Sprint(changes["name"]) != "[Sales Support]" ||
			fmt.Sprint(changes["default_responsible_user_id"]) != "[0 10]" {
			t.Fatalf("the edit's audit entry = %v", edit)
		}
	})
}

func TestCabinetWithoutChannelAdaptersSaysSo(t *testing.T) {
	eachCabinet(t, func(t *testing.T, e *cabEnv) {
		e.cabinet.Connections.Setup = nil
		e.cabinet.Widget = nil
		ws := e.workspace(1)
		_, ck := e.admin(ws, 10)
		r := e.call(http.MethodPost, "/api/cabinet/v1/connections", ck, wabaForm("good-token"))
		expect(t, "no adapters", r, http.StatusNotImplemented, "feature_missing")
		if r.JSON(t)["error"].(map[string]any)["part"] == "" {
			t.Fatalf("the missing part is not named: %s", r.Body)
		}
		expect(t, "no packer", e.call(http.MethodGet, "/api/cabinet/v1/widget.zip?kind=private", ck, nil), http.StatusNotImplemented, "feature_missing")
	})
}

func TestCabinetReplacesCredentials(t *testing.T) {
	eachCabinet(t, func(t *testing.T, e *cabEnv) {
		ws := e.workspace(1)
		_, ck := e.admin(ws, 10)
		_, otherCk := e.admin(e.workspace(2), 10)
		id := e.call(http.MethodPost, "/api/cabinet/v1/connections", ck, wabaForm("good-token")).JSON(t)["connection"].(map[string]any)["id"].(string)
		path := "/api/cabinet/v1/connections/" + id + "/credentials"
		must(t, e.st.SetConnectionStatus(ctx, ws.ID, id, hub.StatusAuthFailed, "190"))

		expect(t, "nothing given", e.call(http.MethodPut, path, ck, map[string]string{}), http.StatusBadRequest, "invalid_field")
		expect(t, "another workspace", e.call(http.MethodPut, path, otherCk, map[string]string{"access_token": "x"}), http.StatusNotFound, "not_found")
		e.channels.goodToken = "rotated-token"
		expect(t, "refused token", e.call(http.MethodPut, path, ck, map[string]string{"access_token": "still-bad"}),
			http.StatusUnprocessableEntity, "connection_check_failed")
		if c, _ := e.st.Connection(ctx, ws.ID, id); c.Secrets["access_token"] != "good-token" || c.Status != hub.StatusAuthFailed {
			t.Fatalf("a refused token changed the connection: %+v", c)
		}
		r := e.call(http.MethodPut, path, ck, map[string]string{"access_token": "rotated-token"})
		expect(t, "rotated", r, http.StatusOK, "")
		if bytes.Contains(r.Body, []byte("rotated-token")) || r.JSON(t)["status"] != "working" {
			t.Fatalf("answer: %s", r.Body)
		}
		c, _ := e.st.Connection(ctx, ws.ID, id)
		if c.Secrets["access_token"] != "rotated-token" || c.Secrets["app_secret"] != "app-secret-value" || c.Status != hub.StatusWorking {
			t.Fatalf("stored: %+v", c)
		}
	})
}

// TestCabinetShowsMeasuredHealth: a connection's state comes from what was measured — refused
// webhooks in the last hour (on the server's clock), the verify handshake, failed sends.
func TestCabinetShowsMeasuredHealth(t *testing.T) {
	eachCabinet(t, func(t *testing.T, e *cabEnv) {
		now := time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC)
		e.cabinet.Now = func() time.Time { return now }
		ws := e.workspace(1)
		_, ck := e.admin(ws, 10)
		id := e.call(http.MethodPost, "/api/cabinet/v1/connections", ck, wabaForm("good-token")).JSON(t)["connection"].(map[string]any)["id"].(string)
		state := func() (string, map[string]any) {
			c := e.call(http.MethodGet, "/api/cabinet/v1/connections", ck, nil).JSON(t)["items"].([]any)[0].(map[string]any)
			return c["state"].(string), c["health"].(map[string]any)
		}
		if s, _ := state(); s != "not_verified" {
			t.Fatalf("new number: %s", s)
		}
		must(t, e.st.RecordHealth(ctx, id, store.HealthVerified, now, ""))
		if s, _ := state(); s != "working" {
			t.Fatalf("verified number: %s", s)
		}
		for i := 0; i < 3; i++ {
			must(t, e.st.RecordHealth(ctx, id, store.HealthWebhookRefused, now.Add(-time.Duration(i)*time.Second), "signature"))
		}
		s, h := state()
		if s != "not_receiving" || h["refused_last_hour"] != 3.0 || h["last_refusal"] != "signature" {
			t.Fatalf("after refused webhooks: %s %v", s, h)
		}
		must(t, e.st.RecordHealth(ctx, id, store.HealthWebhook, now, ""))
		if s, _ := state(); s != "refusing" {
			t.Fatalf("some accepted, some refused: %s", s)
		}
		now = now.Add(61 * time.Minute)
		if s, _ := state(); s != "working" {
			t.Fatalf("an hour later: %s", s)
		}
		must(t, e.st.RecordHealth(ctx, id, store.HealthSendFailed, now, "channel_auth_failed"))
		if s, h := state(); s != "send_failing" || h["last_send_error"] != "channel_auth_failed" {
			t.Fatalf("after a failed send: %s %v", s, h)
		}
	})
}
