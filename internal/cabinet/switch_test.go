package cabinet_test

import (
	"bytes"
	"net/http"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

// auditActions lists the audit log's actions, newest first.
func (e *cabEnv) auditActions(ck *http.Cookie) []any {
	e.t.Helper()
	var out []any
	for _, it := range e.call(http.MethodGet, "/api/cabinet/v1/audit", ck, nil).JSON(e.t)["items"].([]any) {
		out = append(out, it.(map[string]any)["action"])
	}
	return out
}

// A connection with chats is switched off and on again from the cabinet: its state says so,
// the chat window's list of connections marks it, sending on it answers 409
// connection_disabled, and each switch is in the audit log.
func TestCabinetDisablesAndEnablesAConnection(t *testing.T) {
	eachCabinet(t, func(t *testing.T, e *cabEnv) {
		now := time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC)
		e.cabinet.Now = func() time.Time { return now }
		ws := e.workspace(1)
		_, ck := e.admin(ws, 10)
		_, otherCk := e.admin(e.workspace(2), 10)
		_, tok := e.employee(ws, 11, 0, hub.RoleAdmin, "es", "A", "A")
		id := e.call(http.MethodPost, "/api/cabinet/v1/connections", ck, wabaForm("good-token")).JSON(t)["connection"].(map[string]any)["id"].(string)
		in, err := e.st.SaveInbound(ctx, store.Inbound{WorkspaceID: ws.ID, ConnectionID: id, ChatKind: hub.ChatPrivate,
			ExternalChatID: "79161234567", From: hub.Contact{Name: "Иван", WAID: "79161234567", Phones: []string{"+79161234567"}},
			Message: hub.Message{Type: hub.TypeText, Text: "hi", ProviderKey: "wamid.1", CreatedAt: time.Now().Add(-time.Minute)}})
		must(t, err)

		expect(t, "another workspace's", e.call(http.MethodPost, "/api/cabinet/v1/connections/"+id+"/disable", otherCk, nil), http.StatusNotFound, "not_found")
		expect(t, "no cookie", e.call(http.MethodPost, "/api/cabinet/v1/connections/"+id+"/disable", nil, nil), http.StatusUnauthorized, "unauthorized")
		if c, _ := e.st.Connection(ctx, ws.ID, id); c.Disabled() {
			t.Fatal("refused calls switched it off")
		}
		r := e.call(http.MethodPost, "/api/cabinet/v1/connections/"+id+"/disable", ck, nil)
		expect(t, "disable", r, http.StatusOK, "")
		if got := r.JSON(t); got["state"] != "disabled" || got["disabled_at"] != "2026-07-01T09:00:00Z" {
			t.Fatalf("disabled: %s", r.Body)
		}
		list := e.do(http.MethodGet, "/api/v1/connections", tok, nil).JSON(t)["items"].([]any)[0].(map[string]any)
		if list["disabled"] != true || list["state"] != "disabled" {
			t.Fatalf("the chat window's list: %v", list)
		}
		sent := e.do(http.MethodPost, "/api/v1/chats/"+in.Chat.ID+"/messages", tok, map[string]any{"client_id": "c-1", "text": "Hola"})
		expect(t, "send on it", sent, http.StatusConflict, "connection_disabled")
		if !bytes.Contains(sent.Body, []byte("desactivada en el gabinete")) {
			t.Fatalf("the refusal in the employee's words: %s", sent.Body)
		}
		expect(t, "again", e.call(http.MethodPost, "/api/cabinet/v1/connections/"+id+"/disable", ck, nil), http.StatusOK, "")

		r = e.call(http.MethodPost, "/api/cabinet/v1/connections/"+id+"/enable", ck, nil)
		expect(t, "enable", r, http.StatusOK, "")
		if got := r.JSON(t); got["state"] == "disabled" || got["disabled_at"] != nil {
			t.Fatalf("enabled: %s", r.Body)
		}
		expect(t, "send again", e.do(http.MethodPost, "/api/v1/chats/"+in.Chat.ID+"/messages", tok, map[string]any{"client_id": "c-1", "text": "Hola"}),
			http.StatusCreated, "")
		got := e.auditActions(ck)
		if len(got) < 3 || got[0] != "connection.enable" || got[1] != "connection.disable" || got[2] != "connection.create" {
			t.Fatalf("audit: %v", got)
		}
	})
}

// A wrong phone number id is corrected like a new one is checked: a number not among the
// account's is refused in the provider's words and changes nothing, another connection's is
// connection_exists, and the right one is stored with old → new in the audit log.
func TestCabinetCorrectsPhoneNumberID(t *testing.T) {
	eachCabinet(t, func(t *testing.T, e *cabEnv) {
		ws := e.workspace(1)
		_, ck := e.admin(ws, 10)
		id := e.call(http.MethodPost, "/api/cabinet/v1/connections", ck, wabaForm("good-token")).JSON(t)["connection"].(map[string]any)["id"].(string)
		other := wabaForm("good-token")
		other["phone_number_id"] = "1065550199"
		e.call(http.MethodPost, "/api/cabinet/v1/connections", ck, other)
		e.channels.numbers = []string{"1065550100", "1065550101", "1065550199"}
		path := "/api/cabinet/v1/connections/" + id + "/credentials"

		expect(t, "malformed", e.call(http.MethodPut, path, ck, map[string]string{"phone_number_id": "10 65"}), http.StatusBadRequest, "invalid_field")
		refused := e.call(http.MethodPut, path, ck, map[string]string{"phone_number_id": "999"})
		expect(t, "not the account's", refused, http.StatusUnprocessableEntity, "connection_check_failed")
		if !bytes.Contains(refused.Body, []byte("is not a number of")) {
			t.Fatalf("the provider's reason: %s", refused.Body)
		}
		expect(t, "another connection's", e.call(http.MethodPut, path, ck, map[string]string{"phone_number_id": "1065550199"}),
			http.StatusConflict, "connection_exists")
		if c, _ := e.st.Connection(ctx, ws.ID, id); c.ExternalID != "1065550100" {
			t.Fatalf("a refused id was stored: %s", c.ExternalID)
		}
		r := e.call(http.MethodPut, path, ck, map[string]string{"phone_number_id": "1065550101"})
		expect(t, "corrected", r, http.StatusOK, "")
		if c, _ := e.st.Connection(ctx, ws.ID, id); c.ExternalID != "1065550101" || c.Secrets["access_token"] != "good-token" {
			t.Fatalf("stored: %+v", c)
		}
		audit := e.call(http.MethodGet, "/api/cabinet/v1/audit", ck, nil).JSON(t)["items"].([]any)[0].(map[string]any)
		changes, _ := audit["details"].(map[string]any)["changes"].(map[string]any)
		if audit["action"] != "connection.credentials" || len(changes) != 1 || changes["phone_number_id"].([]any)[1] != "1065550101" {
			t.Fatalf("audit: %v", audit)
		}
		e.channels.goodToken = "12345:good-token"
		bot := e.call(http.MethodPost, "/api/cabinet/v1/connections", ck, map[string]any{"kind": "telegram_bot", "bot_token": "12345:good-token"})
		botID := bot.JSON(t)["connection"].(map[string]any)["id"].(string)
		expect(t, "a bot has none", e.call(http.MethodPut, "/api/cabinet/v1/connections/"+botID+"/credentials", ck,
			map[string]string{"phone_number_id": "1", "bot_token": "12345:good-token"}), http.StatusBadRequest, "invalid_field")
	})
}

// The verify token is rotated: the new one is answered once, stored, and never shown again;
// a bot has none.
func TestCabinetRotatesVerifyToken(t *testing.T) {
	eachCabinet(t, func(t *testing.T, e *cabEnv) {
		ws := e.workspace(1)
		_, ck := e.admin(ws, 10)
		id := e.call(http.MethodPost, "/api/cabinet/v1/connections", ck, wabaForm("good-token")).JSON(t)["connection"].(map[string]any)["id"].(string)
		r := e.call(http.MethodPost, "/api/cabinet/v1/connections/"+id+"/verify-token", ck, nil)
		expect(t, "rotate", r, http.StatusOK, "")
		setup := r.JSON(t)["setup"].(map[string]any)
		token, _ := setup["verify_token"].(string)
		c, _ := e.st.Connection(ctx, ws.ID, id)
		if len(token) < 16 || token == "verify-me-please" || c.Secrets["verify_token"] != token || setup["webhook_url"] != publicURL+"/hooks/waba/"+id {
			t.Fatalf("rotated: %s, stored %q", r.Body, c.Secrets["verify_token"])
		}
		if list := e.call(http.MethodGet, "/api/cabinet/v1/connections", ck, nil); bytes.Contains(list.Body, []byte(token)) {
			t.Fatalf("the verify token is shown again: %s", list.Body)
		}
		if got := e.auditActions(ck); got[0] != "connection.verify_token" {
			t.Fatalf("audit: %v", got)
		}
		e.channels.goodToken = "12345:good-token"
		bot := e.call(http.MethodPost, "/api/cabinet/v1/connections", ck, map[string]any{"kind": "telegram_bot", "bot_token": "12345:good-token"})
		botID := bot.JSON(t)["connection"].(map[string]any)["id"].(string)
		expect(t, "a bot", e.call(http.MethodPost, "/api/cabinet/v1/connections/"+botID+"/verify-token", ck, nil), http.StatusBadRequest, "bad_request")
	})
}
