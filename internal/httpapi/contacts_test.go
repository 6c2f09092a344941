package httpapi_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

// TestBlacklist covers F27 (admins only, 403 to others, audited) and F28 (a blocked chat
// refuses sending; inbound messages are kept out of sight and counted, with no unanswered
// mark; groups cannot be blocked because the block names a contact).
func TestBlacklist(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, e *env) {
		w := e.world(1)
		contact := w.contacts["mine"]
		path := "/api/v1/contacts/" + contact.ID + "/block"
		_, mgr := e.manager(w, "A", "A")
		expect(t, "manager blocks", e.do(http.MethodPut, path, mgr, nil), http.StatusForbidden, "forbidden")
		expect(t, "manager unblocks", e.do(http.MethodDelete, path, mgr, nil), http.StatusForbidden, "forbidden")
		expect(t, "block a group chat id", e.do(http.MethodPut, "/api/v1/contacts/"+w.chats["group"].ID+"/block", w.adminToken, nil),
			http.StatusNotFound, "not_found")
		r := e.do(http.MethodPut, path, w.adminToken, nil)
		expect(t, "block", r, http.StatusOK, "")
		if r.JSON(t)["blocked"] != true {
			t.Fatalf("block: %s", r.Body)
		}
		expect(t, "block twice", e.do(http.MethodPut, path, w.adminToken, nil), http.StatusOK, "")
		var c chatBody
		decode(t, e.do(http.MethodGet, "/api/v1/chats/"+w.chats["mine"].ID, mgr, nil), &c)
		if !c.Blocked {
			t.Fatal("chat of a blocked contact not shown blocked")
		}
		expect(t, "send", send(e, mgr, w.chats["mine"].ID, map[string]any{"client_id": "b", "text": "hi"}), http.StatusConflict, "chat_blocked")
		expect(t, "no reply needed", e.do(http.MethodPost, "/api/v1/chats/"+w.chats["mine"].ID+"/no-reply-needed", w.adminToken, nil), http.StatusOK, "")
		_, err := e.st.SaveInbound(ctx, store.Inbound{WorkspaceID: w.ws.ID, ConnectionID: w.waba.ID, ChatKind: hub.ChatPrivate,
			ExternalChatID: contact.WAID, From: hub.Contact{WAID: contact.WAID},
			Message: hub.Message{Type: hub.TypeText, Text: "are you there?", ProviderKey: "w.blocked", CreatedAt: w.base.Add(time.Minute)}})
		must(t, err)
		var page struct{ Items []messageBody }
		decode(t, e.do(http.MethodGet, "/api/v1/chats/"+w.chats["mine"].ID+"/messages", w.adminToken, nil), &page)
		for _, m := range page.Items {
			if m.Text == "are you there?" {
				t.Fatal("a blocked contact's message is shown")
			}
		}
		var raw map[string]any
		decode(t, e.do(http.MethodGet, "/api/v1/chats/"+w.chats["mine"].ID, w.adminToken, nil), &raw)
		if raw["unanswered"] != false || raw["refused_count"] != float64(1) {
			t.Fatalf("blocked chat after an inbound message: %v", raw)
		}
		expect(t, "unblock", e.do(http.MethodDelete, path, w.adminToken, nil), http.StatusOK, "")
		expect(t, "send after unblock", send(e, mgr, w.chats["mine"].ID, map[string]any{"client_id": "b2", "text": "hi"}), http.StatusCreated, "")
		log, err := e.st.AuditLog(ctx, w.ws.ID, 10)
		must(t, err)
		if len(log) != 2 || log[0].Action != "contact.unblock" || log[1].Action != "contact.block" ||
			log[1].EmployeeID != w.admin.ID || log[1].Target != contact.ID {
			t.Fatalf("audit: %+v", log)
		}
	})
}

// TestProfile covers F22: the contact card's fields.
func TestProfile(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, e *env) {
		w := e.world(1)
		tg, err := e.st.SaveInbound(ctx, store.Inbound{WorkspaceID: w.ws.ID, ConnectionID: w.telegram.ID, ChatKind: hub.ChatPrivate,
			ExternalChatID: "31337", From: hub.Contact{Name: "Мария", TelegramUserID: 31337, TelegramUsername: "maria_m"},
			Message: hub.Message{Type: hub.TypeText, Text: "hi", ProviderKey: "tg.31337"}})
		must(t, err)
		c := tg.Contact
		c.Email, c.AvatarURL, c.Phones, c.CRMContactIDs = "maria@example.com", "https://example.com/a.jpg", []string{"+34600111222"}, []int64{101}
		must(t, e.st.UpdateContact(ctx, c))
		r := e.do(http.MethodGet, "/api/v1/contacts/"+c.ID, w.adminToken, nil)
		expect(t, "profile", r, http.StatusOK, "")
		want := `{"id":"` + c.ID + `","name":"Мария","avatar_url":"https://example.com/a.jpg","phones":["+34600111222"],` +
			`"telegram_username":"maria_m","telegram_user_id":31337,"max_user_id":null,"max_username":"",` +
			`"email":"maria@example.com","blocked":false,"crm_contact_ids":[101]}` + "\n"
		if string(r.Body) != want {
			t.Fatalf("profile:\n got %s\nwant %s", r.Body, want)
		}
		r = e.do(http.MethodGet, "/api/v1/contacts/"+w.contacts["unlinked"].ID, w.adminToken, nil)
		if m := r.JSON(t); m["telegram_user_id"] != nil || len(m["crm_contact_ids"].([]any)) != 0 {
			t.Fatalf("unknown fields not null/empty: %s", r.Body)
		}
	})
}

// TestLanguageFollowsEmployee covers F34 on the server: a language changed in the CRM (the
// employee row re-read on every request) changes the next error's language.
func TestLanguageFollowsEmployee(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, e *env) {
		w := e.world(1)
		emp, tok := e.employee(w.ws, 60, 0, hub.RoleManager, "ru", "A", "A")
		msg := func() any {
			return e.do(http.MethodGet, "/api/v1/chats/nope", tok, nil).JSON(t)["error"].(map[string]any)["message"]
		}
		if got := msg(); got != "Не найдено." {
			t.Fatalf("ru: %v", got)
		}
		emp.Lang = "es"
		_, _, err := e.st.ProvisionEmployee(ctx, emp)
		must(t, err)
		if got := msg(); got != "No encontrado." {
			t.Fatalf("es: %v", got)
		}
	})
}
