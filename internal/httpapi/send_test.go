package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

type messageBody struct {
	ID, ChatID, Direction, Type, Text, Status string
	ClientID                                  *string `json:"client_id"`
	ReplyTo                                   *string `json:"reply_to"`
	Author                                    *struct {
		EmployeeID string `json:"employee_id"`
		Name       string
	}
	Template *struct {
		ID, Name string
		Params   []string
	}
	Attachments []struct{ ID, Name, MIME, URL string }
	Error       *struct{ Code, Message string }
}

func send(e *env, tok, chatID string, body any) response {
	return e.do(http.MethodPost, "/api/v1/chats/"+chatID+"/messages", tok, body)
}

// TestSendText covers F13, F21 (author on outgoing messages), F11 (a reply clears the mark) and
// client_id idempotency: a double POST never makes a second message.
func TestSendText(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, e *env) {
		w := e.world(1)
		emp, tok := e.manager(w, "M", "D")
		chat := w.chats["mine"].ID
		r := send(e, tok, chat, map[string]any{"client_id": "c-1", "text": "Здравствуйте 👋"})
		expect(t, "send", r, http.StatusCreated, "")
		var m messageBody
		decode(t, r, &m)
		if m.Status != "queued" || m.Direction != "out" || m.Type != "text" || m.Text != "Здравствуйте 👋" ||
			m.Author == nil || m.Author.EmployeeID != emp.ID || m.Author.Name != emp.Name || *m.ClientID != "c-1" {
			t.Fatalf("message: %s", r.Body)
		}
		again := send(e, tok, chat, map[string]any{"client_id": "c-1", "text": "Здравствуйте 👋"})
		expect(t, "same client_id", again, http.StatusOK, "")
		var m2 messageBody
		decode(t, again, &m2)
		if m2.ID != m.ID {
			t.Fatalf("second send made %s, first %s", m2.ID, m.ID)
		}
		var page struct{ Items []messageBody }
		decode(t, e.do(http.MethodGet, "/api/v1/chats/"+chat+"/messages", tok, nil), &page)
		if len(page.Items) != 2 || page.Items[0].ID != m.ID || page.Items[1].Direction != "in" {
			t.Fatalf("history after a double POST: %+v", page.Items)
		}
		var c chatBody
		decode(t, e.do(http.MethodGet, "/api/v1/chats/"+chat, tok, nil), &c)
		if c.Unanswered || c.LastMessage == nil || c.LastMessage.ID != m.ID {
			t.Fatalf("chat after the reply: %+v", c)
		}
		for name, body := range map[string]any{
			"no client_id": map[string]any{"text": "x"}, "nothing": map[string]any{"client_id": "c-2"},
			"blank": map[string]any{"client_id": "c-3", "text": "   "}, "bad json": `{"client_id":`,
			"long":                            map[string]any{"client_id": "c-4", "text": strings.Repeat("я", 5000)},
			"reply to another chat's message": map[string]any{"client_id": "c-5", "text": "x", "reply_to": w.attachments["colleagues"].MessageID},
			"someone else's upload":           map[string]any{"client_id": "c-6", "attachments": []string{"nope"}},
			"unknown template":                map[string]any{"client_id": "c-7", "template": map[string]any{"id": "nope"}},
		} {
			expect(t, name, send(e, tok, chat, body), http.StatusBadRequest, "bad_request")
		}
		expect(t, "two files in one message", send(e, tok, chat, map[string]any{"client_id": "c-9",
			"attachments": []string{"a", "b"}}), http.StatusUnprocessableEntity, "one_file_per_message")
		// B3: reply to the customer's message.
		r = send(e, tok, chat, map[string]any{"client_id": "c-8", "text": "about this photo", "reply_to": w.attachments["mine"].MessageID})
		expect(t, "reply", r, http.StatusCreated, "")
		decode(t, r, &m)
		if m.ReplyTo == nil || *m.ReplyTo != w.attachments["mine"].MessageID {
			t.Fatalf("reply_to: %s", r.Body)
		}
	})
}

// TestSendRefusals walks F29's refusals in F29's order (the first that applies wins) and F28's
// blocked chat, then the WABA 24-hour window (F18) and template payment.
func TestSendRefusals(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, e *env) {
		w := e.world(1)
		tok := w.adminToken
		// A customer who last wrote 25 hours ago: the window is closed.
		old, err := e.st.SaveInbound(ctx, store.Inbound{WorkspaceID: w.ws.ID, ConnectionID: w.waba.ID, ChatKind: hub.ChatPrivate,
			ExternalChatID: "79160001111", From: hub.Contact{Name: "Old", WAID: "79160001111", Phones: []string{"+79160001111"}},
			Message: hub.Message{Type: hub.TypeText, Text: "old", ProviderKey: "w.old", CreatedAt: time.Now().Add(-25 * time.Hour)}})
		must(t, err)
		chat := old.Chat.ID
		tmpl, err := e.st.UpsertTemplate(ctx, hub.Template{WorkspaceID: w.ws.ID, ConnectionID: w.waba.ID, Kind: "waba",
			Name: "order_ready", Language: "ru", Body: "Здравствуйте, {{1}}! Заказ {{2}} готов.", Params: 2, Status: "APPROVED"})
		must(t, err)
		text := map[string]any{"client_id": "t", "text": "hello"}
		template := map[string]any{"client_id": "tpl", "template": map[string]any{"id": tmpl.ID, "params": []string{"Анна", "42"}}}

		expect(t, "block", e.do(http.MethodPut, "/api/v1/contacts/"+old.Contact.ID+"/block", tok, nil), http.StatusOK, "")
		must(t, e.st.SetSubscription(ctx, w.ws.ID, hub.Subscription{}))
		must(t, e.st.SetConnectionInSubscription(ctx, w.ws.ID, w.waba.ID, false))
		expect(t, "blocked first", send(e, tok, chat, text), http.StatusConflict, "chat_blocked")
		expect(t, "unblock", e.do(http.MethodDelete, "/api/v1/contacts/"+old.Contact.ID+"/block", tok, nil), http.StatusOK, "")
		expect(t, "inactive", send(e, tok, chat, text), http.StatusPaymentRequired, "subscription_inactive")
		must(t, e.st.SetSubscription(ctx, w.ws.ID, hub.Subscription{Active: true}))
		expect(t, "unpaid", send(e, tok, chat, text), http.StatusPaymentRequired, "subscription_unpaid")
		must(t, e.st.SetSubscription(ctx, w.ws.ID, hub.Subscription{Active: true, Paid: true}))
		expect(t, "connection", send(e, tok, chat, text), http.StatusPaymentRequired, "connection_not_in_subscription")
		must(t, e.st.SetConnectionInSubscription(ctx, w.ws.ID, w.waba.ID, true))
		expect(t, "window", send(e, tok, chat, text), http.StatusUnprocessableEntity, "waba_window_closed")
		expect(t, "templates unpaid", send(e, tok, chat, template), http.StatusPaymentRequired, "templates_unpaid")
		must(t, e.st.SetSubscription(ctx, w.ws.ID, hub.Subscription{Active: true, Paid: true, TemplatesPaid: true}))
		r := send(e, tok, chat, template)
		expect(t, "template outside the window", r, http.StatusCreated, "")
		var m messageBody
		decode(t, r, &m)
		if m.Type != "template" || m.Text != "Здравствуйте, Анна! Заказ 42 готов." || m.Template == nil || m.Template.Name != "order_ready" ||
			len(m.Template.Params) != 2 {
			t.Fatalf("template message: %s", r.Body)
		}
		bad := map[string]any{"client_id": "tpl2", "template": map[string]any{"id": tmpl.ID, "params": []string{"one"}}}
		expect(t, "wrong params", send(e, tok, chat, bad), http.StatusBadRequest, "bad_request")
		// A template without blanks, sent without params: its params are an empty list, never null.
		plain, err := e.st.UpsertTemplate(ctx, hub.Template{WorkspaceID: w.ws.ID, ConnectionID: w.waba.ID, Kind: "waba",
			Name: "hello", Language: "ru", Body: "Здравствуйте!", Status: "APPROVED"})
		must(t, err)
		r = send(e, tok, chat, map[string]any{"client_id": "tpl3", "template": map[string]any{"id": plain.ID}})
		expect(t, "template without params", r, http.StatusCreated, "")
		if !strings.Contains(string(r.Body), `"template":{"id":"`+plain.ID+`","name":"hello","params":[]}`) {
			t.Fatalf("template without params: %s", r.Body)
		}
		var c chatBody
		decode(t, e.do(http.MethodGet, "/api/v1/chats/"+chat, tok, nil), &c)
		if c.Window == nil || c.Window.Open || c.Window.Kind != "waba" {
			t.Fatalf("window: %+v", c.Window)
		}
		// Telegram has no window: free text goes.
		tg, err := e.st.SaveInbound(ctx, store.Inbound{WorkspaceID: w.ws.ID, ConnectionID: w.telegram.ID, ChatKind: hub.ChatPrivate,
			ExternalChatID: "777", From: hub.Contact{Name: "Tg", TelegramUserID: 777},
			Message: hub.Message{Type: hub.TypeText, Text: "hi", ProviderKey: "tg.old", CreatedAt: time.Now().Add(-48 * time.Hour)}})
		must(t, err)
		expect(t, "telegram", send(e, tok, tg.Chat.ID, text), http.StatusCreated, "")
	})
}

// TestTemplatesAndQuickReplies covers F14: the connection's approved WABA templates and the
// workspace's quick replies; a quick reply goes as text.
func TestTemplatesAndQuickReplies(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, e *env) {
		w := e.world(1)
		for _, tp := range []hub.Template{
			{ConnectionID: w.waba.ID, Kind: "waba", Name: "hello", Language: "en", Body: "Hi {{1}}", Params: 1, Status: "APPROVED"},
			{ConnectionID: w.waba.ID, Kind: "waba", Name: "pending", Language: "en", Body: "x", Status: "PENDING"},
			{ConnectionID: w.waba2.ID, Kind: "waba", Name: "other_number", Language: "en", Body: "x", Status: "APPROVED"},
			{Kind: "quick_reply", Name: "thanks", Body: "Thank you, {{1}}!", Params: 1},
		} {
			tp.WorkspaceID = w.ws.ID
			_, err := e.st.UpsertTemplate(ctx, tp)
			must(t, err)
		}
		r := e.do(http.MethodGet, "/api/v1/templates?connection_id="+w.waba.ID, w.adminToken, nil)
		expect(t, "templates", r, http.StatusOK, "")
		var b struct {
			Items []struct {
				ID, Name, Kind, Body, Language string
				Params                         int
			}
		}
		decode(t, r, &b)
		if len(b.Items) != 2 || b.Items[0].Name != "thanks" || b.Items[0].Kind != "quick_reply" || b.Items[1].Name != "hello" || b.Items[1].Params != 1 {
			t.Fatalf("templates: %s", r.Body)
		}
		expect(t, "no connection", e.do(http.MethodGet, "/api/v1/templates", w.adminToken, nil), http.StatusBadRequest, "bad_request")
		expect(t, "unknown connection", e.do(http.MethodGet, "/api/v1/templates?connection_id=x", w.adminToken, nil), http.StatusNotFound, "not_found")
		r = send(e, w.adminToken, w.chats["mine"].ID, map[string]any{"client_id": "q", "template": map[string]any{"id": b.Items[0].ID, "params": []string{"Ann"}}})
		expect(t, "quick reply", r, http.StatusCreated, "")
		var m messageBody
		decode(t, r, &m)
		if m.Type != "text" || m.Text != "Thank you, Ann!" || m.Template != nil {
			t.Fatalf("quick reply: %s", r.Body)
		}
	})
}

// TestRetry covers F20 and B2: a failed message keeps its reason until retried; a retry queues
// it again; anything but a failed outgoing message is refused.
func TestRetry(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, e *env) {
		w := e.world(1)
		chat := w.chats["mine"].ID
		var m messageBody
		decode(t, send(e, w.adminToken, chat, map[string]any{"client_id": "r", "text": "hi"}), &m)
		retry := "/api/v1/chats/" + chat + "/messages/" + m.ID + "/retry"
		expect(t, "retry queued", e.do(http.MethodPost, retry, w.adminToken, nil), http.StatusBadRequest, "bad_request")
		_, err := e.st.MarkFailed(ctx, w.ws.ID, m.ID, "not_on_whatsapp", "131026")
		must(t, err)
		var page struct{ Items []messageBody }
		decode(t, e.do(http.MethodGet, "/api/v1/chats/"+chat+"/messages?limit=1", w.adminToken, nil), &page)
		if f := page.Items[0]; f.Status != "failed" || f.Error == nil || f.Error.Code != "not_on_whatsapp" ||
			f.Error.Message != "This person is not on WhatsApp." {
			t.Fatalf("failed message: %+v", f)
		}
		r := e.do(http.MethodPost, retry, w.adminToken, nil)
		expect(t, "retry", r, http.StatusOK, "")
		decode(t, r, &m)
		if m.Status != "queued" {
			t.Fatalf("after retry: %s", r.Body)
		}
		expect(t, "retry in another chat", e.do(http.MethodPost, "/api/v1/chats/"+w.chats["colleagues"].ID+"/messages/"+m.ID+"/retry",
			w.adminToken, nil), http.StatusNotFound, "not_found")
	})
}

// TestDraft covers B5: a draft is the employee's own, and comes back with the chat.
func TestDraft(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, e *env) {
		w := e.world(1)
		_, tok := e.manager(w, "A", "A")
		chat := "/api/v1/chats/" + w.chats["mine"].ID
		expect(t, "put", e.do(http.MethodPut, chat+"/draft", tok, map[string]string{"text": "half a thought"}), http.StatusOK, "")
		var c chatBody
		decode(t, e.do(http.MethodGet, chat, tok, nil), &c)
		if c.Draft == nil || *c.Draft != "half a thought" {
			t.Fatalf("draft: %v", c.Draft)
		}
		decode(t, e.do(http.MethodGet, chat, w.adminToken, nil), &c)
		if c.Draft == nil || *c.Draft != "" {
			t.Fatalf("someone else's draft shown: %v", *c.Draft)
		}
		expect(t, "clear", e.do(http.MethodPut, chat+"/draft", tok, map[string]string{"text": ""}), http.StatusOK, "")
		decode(t, e.do(http.MethodGet, chat, tok, nil), &c)
		if *c.Draft != "" {
			t.Fatalf("cleared draft: %q", *c.Draft)
		}
		expect(t, "no text", e.do(http.MethodPut, chat+"/draft", tok, map[string]string{}), http.StatusBadRequest, "bad_request")
	})
}
