package cabinet_test

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
	"github.com/switchboardhq/switchboard/internal/widget"
)

func TestCabinetWorkspaceAndSync(t *testing.T) {
	eachCabinet(t, func(t *testing.T, e *cabEnv) {
		ws := e.workspace(1)
		must(t, e.st.SetSubscription(ctx, ws.ID, hub.Subscription{Active: true, Paid: false, TemplatesPaid: false}))
		_, ck := e.admin(ws, 10)
		body := e.call(http.MethodGet, "/api/cabinet/v1/workspace", ck, nil).JSON(t)
		sub := body["subscription"].(map[string]any)
		if sub["active"] != true || sub["paid"] != false || sub["templates_paid"] != false || body["id"] != ws.ID {
			t.Fatalf("workspace = %v", body)
		}
		if body["sync"].(map[string]any)["state"] != "idle" {
			t.Fatalf("sync before any: %v", body["sync"])
		}
		e.crm.users = []store.CRMUser{{ID: 10, Name: "Olga", IsAdmin: true, IsActive: true}}
		r := e.call(http.MethodPost, "/api/cabinet/v1/sync", ck, nil)
		expect(t, "start sync", r, http.StatusAccepted, "")
		e.sync.Wait()
		s := e.call(http.MethodGet, "/api/cabinet/v1/workspace", ck, nil).JSON(t)["sync"].(map[string]any)
		if s["state"] != "done" || s["contacts"] != 1.0 || s["finished_at"] == nil {
			t.Fatalf("sync after = %v", s)
		}
		e.crm.fail = true
		e.call(http.MethodPost, "/api/cabinet/v1/sync", ck, nil)
		e.sync.Wait()
		s = e.call(http.MethodGet, "/api/cabinet/v1/workspace", ck, nil).JSON(t)["sync"].(map[string]any)
		if s["state"] != "failed" || s["error"].(map[string]any)["code"] != "crm_sync_failed" {
			t.Fatalf("failed sync = %v", s)
		}
	})
}

func TestCabinetWidgetArchive(t *testing.T) {
	eachCabinet(t, func(t *testing.T, e *cabEnv) {
		var gotURL string
		var gotKind widget.Kind
		e.cabinet.Widget = func(w io.Writer, publicURL string, kind widget.Kind) error {
			gotURL, gotKind = publicURL, kind
			_, err := w.Write([]byte("PK\x03\x04zip"))
			return err
		}
		_, ck := e.admin(e.workspace(1), 10)
		expect(t, "no kind", e.call(http.MethodGet, "/api/cabinet/v1/widget.zip", ck, nil), http.StatusBadRequest, "invalid_field")
		r := e.call(http.MethodGet, "/api/cabinet/v1/widget.zip?kind=private", ck, nil)
		expect(t, "widget", r, http.StatusOK, "")
		if r.Header.Get("Content-Type") != "application/zip" || string(r.Body[:2]) != "PK" || gotURL != publicURL || gotKind != widget.Private {
			t.Fatalf("widget: %v %q %s %s", r.Header, r.Body, gotURL, gotKind)
		}
		// The real packer refuses an address the CRM's HTTPS pages cannot load, and says so.
		e.cabinet.Widget, e.cabinet.PublicURL = widget.Pack, "http://hub.example.com"
		if ws := e.call(http.MethodGet, "/api/cabinet/v1/workspace", ck, nil).JSON(t); ws["widget_https"] != false {
			t.Fatalf("workspace for an http:// hub: %v", ws)
		}
		expect(t, "http:// hub", e.call(http.MethodGet, "/api/cabinet/v1/widget.zip?kind=public", ck, nil), http.StatusUnprocessableEntity, "widget_needs_https")
		e.cabinet.Widget = func(w io.Writer, publicURL string, kind widget.Kind) error {
			w.Write([]byte("PK\x03\x04half"))
			return errors.New("disk full")
		}
		expect(t, "a failing packer", e.call(http.MethodGet, "/api/cabinet/v1/widget.zip?kind=private", ck, nil), http.StatusInternalServerError, "internal")
	})
}

func TestCabinetEmployees(t *testing.T) {
	eachCabinet(t, func(t *testing.T, e *cabEnv) {
		ws := e.workspace(1)
		_, ck := e.admin(ws, 10)
		e.employee(ws, 11, 3, hub.RoleManager, "es", "G", "M")
		_, otherCk := e.admin(e.workspace(2), 99)
		r := e.call(http.MethodGet, "/api/cabinet/v1/employees", ck, nil)
		expect(t, "employees", r, http.StatusOK, "")
		items := r.JSON(t)["items"].([]any)
		if len(items) != 2 {
			t.Fatalf("employees = %s", r.Body)
		}
		m := items[1].(map[string]any)
		rights := m["rights"].(map[string]any)
		if m["crm_user_id"] != 11.0 || m["group_id"] != 3.0 || m["employee"].(map[string]any)["role"] != "manager" ||
			rights["contacts"].(map[string]any)["view"] != "G" {
			t.Fatalf("manager = %v", m)
		}
		if other := e.call(http.MethodGet, "/api/cabinet/v1/employees", otherCk, nil).JSON(t)["items"].([]any); len(other) != 1 {
			t.Fatalf("another workspace sees %d employees", len(other))
		}

		e.crm.users = []store.CRMUser{{ID: 12, Name: "New hire", Lang: "ru", IsActive: true, Rights: `{"contacts":{"view":"M"}}`}}
		r = e.call(http.MethodPost, "/api/cabinet/v1/employees/refresh", ck, nil)
		expect(t, "refresh", r, http.StatusOK, "")
		items = r.JSON(t)["items"].([]any)
		if len(items) != 3 || items[2].(map[string]any)["employee"] != nil {
			t.Fatalf("after refresh = %s", r.Body)
		}
		e.crm.fail = true
		expect(t, "CRM down", e.call(http.MethodPost, "/api/cabinet/v1/employees/refresh", ck, nil),
			http.StatusBadGateway, "crm_unavailable")
		e.cabinet.Sync = nil
		unset := e.call(http.MethodPost, "/api/cabinet/v1/employees/refresh", ck, nil)
		expect(t, "no CRM credentials", unset, http.StatusServiceUnavailable, "crm_not_configured")
		if got := unset.JSON(t)["error"].(map[string]any); got["part"] != "SWITCHBOARD_AMOCRM_CLIENT_ID, SWITCHBOARD_AMOCRM_CLIENT_SECRET" ||
			strings.Contains(got["message"].(string), "build") {
			t.Fatalf("missing CRM credentials told as %v", got)
		}
	})
}

func TestCabinetQuickReplies(t *testing.T) {
	eachCabinet(t, func(t *testing.T, e *cabEnv) {
		ws := e.workspace(1)
		_, ck := e.admin(ws, 10)
		_, otherCk := e.admin(e.workspace(2), 10)
		const p = "/api/cabinet/v1/quick-replies"
		expect(t, "no name", e.call(http.MethodPost, p, ck, map[string]string{"body": "x"}), http.StatusBadRequest, "invalid_field")
		expect(t, "no body", e.call(http.MethodPost, p, ck, map[string]string{"name": "x"}), http.StatusBadRequest, "invalid_field")
		r := e.call(http.MethodPost, p, ck, map[string]string{"name": "Delivery", "body": "Your order {{1}} ships on {{2}}."})
		expect(t, "create", r, http.StatusCreated, "")
		q := r.JSON(t)
		if q["params"] != 2.0 || q["kind"] != "quick_reply" {
			t.Fatalf("quick reply = %v", q)
		}
		id := q["id"].(string)
		expect(t, "same name", e.call(http.MethodPost, p, ck, map[string]string{"name": "Delivery", "body": "y"}),
			http.StatusConflict, "name_taken")
		expect(t, "an unknown language", e.call(http.MethodPost, p, ck, map[string]string{"name": "Envío", "body": "y", "language": "xx"}),
			http.StatusBadRequest, "invalid_field")
		// The same name in another language is another reply, for the employees who speak it.
		es := e.call(http.MethodPost, p, ck, map[string]string{"name": "Delivery", "body": "Su pedido {{1}}.", "language": "es"})
		expect(t, "the same name in Spanish", es, http.StatusCreated, "")
		if l := es.JSON(t)["language"]; l != "es" {
			t.Fatalf("language = %v, want es", l)
		}
		expect(t, "delete the Spanish one", e.call(http.MethodDelete, p+"/"+es.JSON(t)["id"].(string), ck, nil), http.StatusNoContent, "")
		expect(t, "edit", e.call(http.MethodPut, p+"/"+id, ck, map[string]string{"name": "Shipping", "body": "Shipped.", "language": "en"}), http.StatusOK, "")
		expect(t, "edit across workspaces", e.call(http.MethodPut, p+"/"+id, otherCk, map[string]string{"name": "x", "body": "y"}),
			http.StatusNotFound, "not_found")
		expect(t, "delete across workspaces", e.call(http.MethodDelete, p+"/"+id, otherCk, nil), http.StatusNotFound, "not_found")
		list := e.call(http.MethodGet, p, ck, nil).JSON(t)["items"].([]any)
		if len(list) != 1 || list[0].(map[string]any)["body"] != "Shipped." || list[0].(map[string]any)["language"] != "en" {
			t.Fatalf("list = %v", list)
		}
		if l := e.call(http.MethodGet, p, otherCk, nil).JSON(t)["items"].([]any); len(l) != 0 {
			t.Fatalf("another workspace sees %v", l)
		}
		expect(t, "delete", e.call(http.MethodDelete, p+"/"+id, ck, nil), http.StatusNoContent, "")
		expect(t, "delete again", e.call(http.MethodDelete, p+"/"+id, ck, nil), http.StatusNotFound, "not_found")
	})
}

func TestCabinetBlacklist(t *testing.T) {
	eachCabinet(t, func(t *testing.T, e *cabEnv) {
		ws := e.workspace(1)
		admin, ck := e.admin(ws, 10)
		_, otherCk := e.admin(e.workspace(2), 10)
		conn, err := e.st.CreateConnection(ctx, hub.Connection{WorkspaceID: ws.ID, Kind: hub.KindWABA, Name: "Sales",
			ExternalID: "pn1", InSubscription: true})
		must(t, err)
		in := func(key string) store.Inbound {
			return store.Inbound{WorkspaceID: ws.ID, ConnectionID: conn.ID, ChatKind: hub.ChatPrivate, ExternalChatID: "79161112233",
				From:    hub.Contact{Name: "Spammer", WAID: "79161112233", Phones: []string{"+79161112233"}},
				Message: hub.Message{Type: hub.TypeText, Text: "buy", ProviderKey: key}}
		}
		res, err := e.st.SaveInbound(ctx, in("k1"))
		must(t, err)
		_, err = e.st.SetBlocked(ctx, ws.ID, res.Contact.ID, admin.ID, true)
		must(t, err)
		for _, k := range []string{"k2", "k3"} {
			_, err = e.st.SaveInbound(ctx, in(k))
			must(t, err)
		}
		r := e.call(http.MethodGet, "/api/cabinet/v1/blacklist", ck, nil)
		expect(t, "blacklist", r, http.StatusOK, "")
		items := r.JSON(t)["items"].([]any)
		if len(items) != 1 {
			t.Fatalf("blacklist = %s", r.Body)
		}
		b := items[0].(map[string]any)
		if b["refused_count"] != 2.0 || b["blocked_by"].(map[string]any)["id"] != admin.ID || b["blocked_at"] == nil ||
			b["contact"].(map[string]any)["phones"].([]any)[0] != "+79161112233" {
			t.Fatalf("entry = %v", b)
		}
		if l := e.call(http.MethodGet, "/api/cabinet/v1/blacklist", otherCk, nil).JSON(t)["items"].([]any); len(l) != 0 {
			t.Fatalf("another workspace sees %v", l)
		}
		path := "/api/cabinet/v1/blacklist/" + res.Contact.ID
		// The two messages kept out of sight are read from the blacklist, newest first; the
		// one before the block is the chat's, not hidden.
		hidden := e.call(http.MethodGet, path+"/messages", ck, nil)
		expect(t, "hidden messages", hidden, http.StatusOK, "")
		hm := hidden.JSON(t)["items"].([]any)
		if len(hm) != 2 || hm[0].(map[string]any)["text"] != "buy" || hm[0].(map[string]any)["chat_id"] != res.Chat.ID {
			t.Fatalf("hidden messages = %s", hidden.Body)
		}
		expect(t, "hidden across workspaces", e.call(http.MethodGet, path+"/messages", otherCk, nil), http.StatusNotFound, "not_found")
		expect(t, "unblock across workspaces", e.call(http.MethodDelete, path, otherCk, nil), http.StatusNotFound, "not_found")
		expect(t, "unblock", e.call(http.MethodDelete, path, ck, nil), http.StatusNoContent, "")
		expect(t, "unblock twice", e.call(http.MethodDelete, path, ck, nil), http.StatusNotFound, "not_found")
		expect(t, "hidden of an unblocked contact", e.call(http.MethodGet, path+"/messages", ck, nil), http.StatusNotFound, "not_found")
		if c, _ := e.st.Contact(ctx, ws.ID, res.Contact.ID); c.Blocked {
			t.Fatal("still blocked")
		}
		audit := e.call(http.MethodGet, "/api/cabinet/v1/audit", ck, nil).JSON(t)["items"].([]any)
		if len(audit) != 1 || audit[0].(map[string]any)["action"] != "contact.unblock" {
			t.Fatalf("audit = %v", audit)
		}
	})
}

func TestCabinetLimitsCountLetters(t *testing.T) {
	eachCabinet(t, func(t *testing.T, e *cabEnv) {
		_, ck := e.admin(e.workspace(1), 10)
		name := strings.Repeat("Ж", 100) // 200 bytes, 100 letters: allowed
		expect(t, "100 Cyrillic letters", e.call(http.MethodPost, "/api/cabinet/v1/quick-replies", ck,
			map[string]string{"name": name, "body": "ok"}), http.StatusCreated, "")
		expect(t, "101 letters", e.call(http.MethodPost, "/api/cabinet/v1/quick-replies", ck,
			map[string]string{"name": name + "Ж", "body": "ok"}), http.StatusBadRequest, "invalid_field")
	})
}
