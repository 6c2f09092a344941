package httpapi_test

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"sync"
	"testing"

	"github.com/switchboardhq/switchboard/internal/crm"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

// recordingCRM is the CRM as the chat API sees it: it records what the hub asks and can fail.
// (The amoCRM adapter's own tests cover the wire; this checks what the chat API asks of it.)
type recordingCRM struct {
	mu sync.Mutex
	// refresh, when set, plays the CRM's side of a card refresh (F33).
	refresh func(kind string, id int64)
	added   []string // "crm contact id:phone"
	linked  []int64  // responsible users of linked contacts
	linkTo  int64
	failing bool
}

func (c *recordingCRM) RefreshLead(_ context.Context, _ hub.Workspace, id int64) error {
	if c.refresh != nil {
		c.refresh("lead", id)
	}
	return nil
}

func (c *recordingCRM) RefreshContact(_ context.Context, _ hub.Workspace, id int64) error {
	if c.refresh != nil {
		c.refresh("contact", id)
	}
	return nil
}

func (c *recordingCRM) AddContactDetails(_ context.Context, _ hub.Workspace, id int64, d crm.ContactDetails) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.failing {
		return errors.New("crm down")
	}
	c.added = append(c.added, strconv.FormatInt(id, 10)+":"+d.Phone)
	return nil
}

func (c *recordingCRM) LinkContact(_ context.Context, _ hub.Workspace, _ hub.Contact, responsible int64) ([]int64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.failing {
		return nil, errors.New("crm down")
	}
	c.linked = append(c.linked, responsible)
	return []int64{c.linkTo}, nil
}

func createChat(e *env, tok string, body map[string]any) response {
	return e.do(http.MethodPost, "/api/v1/chats", tok, body)
}

// TestCreateChatOutcomes covers every outcome of F25 with its exact text.
func TestCreateChatOutcomes(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, e *env) {
		w := e.world(1)
		_, ru := e.employee(w.ws, 50, myGroup, hub.RoleAdmin, "ru", "A", "A")
		ok := createChat(e, ru, map[string]any{"connection_id": w.waba.ID, "phone": "8 (916) 777-66-55"})
		expect(t, "created", ok, http.StatusCreated, "")
		var c chatBody
		decode(t, ok, &c)
		if c.Window == nil || c.Window.Open || c.Kind != "private" || c.Connection.ID != w.waba.ID || c.Title != "+7 916 777-66-55" {
			t.Fatalf("new WABA chat (window closed until a template is answered): %s", ok.Body)
		}
		var ct struct{ Phones []string }
		decode(t, e.do(http.MethodGet, "/api/v1/contacts/"+*c.ContactID, ru, nil), &ct)
		if len(ct.Phones) != 1 || ct.Phones[0] != "+79167776655" {
			t.Fatalf("contact phones: %v", ct.Phones)
		}
		// Issue 11 #7: a new number's contact can be named at once.
		named := createChat(e, ru, map[string]any{"connection_id": w.waba.ID, "phone": "8 916 777-66-56", "name": " Пётр Новиков "})
		expect(t, "named", named, http.StatusCreated, "")
		var nc chatBody
		if decode(t, named, &nc); nc.Title != "Пётр Новиков" {
			t.Fatalf("a named new chat is titled %q", nc.Title)
		}
		exists := createChat(e, ru, map[string]any{"connection_id": w.waba.ID, "phone": "+7 916 777 66 55"})
		expect(t, "again", exists, http.StatusConflict, "chat_exists")
		errBody := exists.JSON(t)["error"].(map[string]any)
		if errBody["chat_id"] != c.ID || errBody["message"] != "Такой чат уже существует. Перейдите к нему по кнопке ниже." {
			t.Fatalf("chat_exists: %s", exists.Body)
		}
		texts := map[string]string{
			"invalid_phone":                  "Укажите корректный номер телефона.",
			"contact_not_found":              "Контакт не найден.",
			"connection_not_in_subscription": "Подключение не входит в активную подписку.",
			"channel_auth_failed":            "Ошибка авторизации. Попробуйте позже.",
			"subscription_unpaid":            "Подписка не оплачена.",
			"subscription_inactive":          "Нет активной подписки.",
			"chat_access_denied":             "Доступ к чату ограничен. Обратитесь к администратору CRM.",
		}
		check := func(name string, r response, status int, code string) {
			t.Helper()
			expect(t, name, r, status, code)
			if msg := r.JSON(t)["error"].(map[string]any)["message"]; msg != texts[code] {
				t.Fatalf("%s: message %q", name, msg)
			}
		}
		check("invalid", createChat(e, ru, map[string]any{"connection_id": w.waba.ID, "phone": "12"}), 422, "invalid_phone")
		check("letters", createChat(e, ru, map[string]any{"connection_id": w.waba.ID, "phone": "call me"}), 422, "invalid_phone")
		check("keypad letters", createChat(e, ru, map[string]any{"connection_id": w.waba.ID, "phone": "+7 916 ABC-DE-FG"}), 422, "invalid_phone")
		check("telegram never wrote", createChat(e, ru, map[string]any{"connection_id": w.telegram.ID, "telegram": "123456"}), 404, "contact_not_found")
		check("telegram unknown name", createChat(e, ru, map[string]any{"connection_id": w.telegram.ID, "telegram": "@nobody"}), 404, "contact_not_found")
		check("telegram by phone", createChat(e, ru, map[string]any{"connection_id": w.telegram.ID, "phone": "+79160001234"}), 404, "contact_not_found")
		check("not in subscription", createChat(e, ru, map[string]any{"connection_id": w.waba2.ID, "phone": "+79160001234"}), 402, "connection_not_in_subscription")
		must(t, e.st.SetConnectionStatus(ctx, w.ws.ID, w.waba.ID, hub.StatusAuthFailed, "401 from Graph API"))
		check("auth failed", createChat(e, ru, map[string]any{"connection_id": w.waba.ID, "phone": "+79160001234"}), 502, "channel_auth_failed")
		must(t, e.st.SetSubscription(ctx, w.ws.ID, hub.Subscription{Active: true}))
		check("unpaid", createChat(e, ru, map[string]any{"connection_id": w.waba.ID, "phone": "+79160001234"}), 402, "subscription_unpaid")
		must(t, e.st.SetSubscription(ctx, w.ws.ID, hub.Subscription{}))
		check("inactive", createChat(e, ru, map[string]any{"connection_id": w.waba.ID, "phone": "+79160001234"}), 402, "subscription_inactive")
		must(t, e.st.SetSubscription(ctx, w.ws.ID, hub.Subscription{Active: true, Paid: true}))
		must(t, e.st.SetConnectionStatus(ctx, w.ws.ID, w.waba.ID, hub.StatusWorking, ""))

		// Telegram: someone who wrote to the bot already has the chat.
		tg, err := e.st.SaveInbound(ctx, store.Inbound{WorkspaceID: w.ws.ID, ConnectionID: w.telegram.ID, ChatKind: hub.ChatPrivate,
			ExternalChatID: "4242", From: hub.Contact{Name: "Ivan", TelegramUserID: 4242, TelegramUsername: "IvanTG"},
			Message: hub.Message{Type: hub.TypeText, Text: "/start", ProviderKey: "tg.4242"}})
		must(t, err)
		for _, id := range []string{"4242", "@ivantg", "IvanTG"} {
			r := createChat(e, ru, map[string]any{"connection_id": w.telegram.ID, "telegram": id})
			expect(t, "telegram "+id, r, http.StatusConflict, "chat_exists")
			if r.JSON(t)["error"].(map[string]any)["chat_id"] != tg.Chat.ID {
				t.Fatalf("telegram %s: %s", id, r.Body)
			}
		}
		// A chat that exists but is not the caller's to see: chat_access_denied, no chat_id.
		_, mgr := e.manager(w, "M", "D")
		r := createChat(e, mgr, map[string]any{"connection_id": w.waba.ID, "phone": w.contacts["strangers"].Phones[0]})
		expect(t, "hidden chat", r, http.StatusForbidden, "chat_access_denied")
		if _, leaked := r.JSON(t)["error"].(map[string]any)["chat_id"]; leaked {
			t.Fatalf("chat_access_denied names the chat: %s", r.Body)
		}
		for name, body := range map[string]map[string]any{
			"no connection": {"phone": "+79160001234"},
			"phone and tg":  {"connection_id": w.telegram.ID, "phone": "+79160001234", "telegram": "1"},
			"neither":       {"connection_id": w.waba.ID},
			"two bases":     {"connection_id": w.waba.ID, "phone": "+79160001234", "contact_id": "x", "crm_contact_id": 1},
			"waba by tg id": {"connection_id": w.waba.ID, "telegram": "4242"},
			"bad tg":        {"connection_id": w.telegram.ID, "telegram": "@"},
		} {
			expect(t, name, createChat(e, ru, body), http.StatusBadRequest, "bad_request")
		}
		expect(t, "other workspace's connection", createChat(e, ru, map[string]any{"connection_id": e.world(2).waba.ID, "phone": "+79160001234"}),
			http.StatusNotFound, "not_found")
	})
}

// TestCreateChatLinksContacts covers F26 (and F31a for chats employees create): a chat created
// from a contact adds the new phone to it, in the hub and, through the CRM adapter, in the CRM;
// a CRM failure changes nothing; without an adapter the product says so.
func TestCreateChatLinksContacts(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, e *env) {
		w := e.world(1)
		crm := &recordingCRM{linkTo: 100}
		// A Telegram customer linked to CRM contact 100 (mine).
		tg, err := e.st.SaveInbound(ctx, store.Inbound{WorkspaceID: w.ws.ID, ConnectionID: w.telegram.ID, ChatKind: hub.ChatPrivate,
			ExternalChatID: "900", From: hub.Contact{Name: "Пётр", TelegramUserID: 900}, Message: hub.Message{Type: hub.TypeText, Text: "hi", ProviderKey: "tg.900"}})
		must(t, err)
		c := tg.Contact
		c.CRMContactIDs = []int64{100}
		must(t, e.st.UpdateContact(ctx, c))
		_, mgr := e.manager(w, "M", "D")
		body := map[string]any{"connection_id": w.waba.ID, "phone": "+7 903 111-22-33", "contact_id": c.ID}

		expect(t, "no adapter", createChat(e, mgr, body), http.StatusNotImplemented, "crm_adapter_missing")
		e.srv.Messaging.CRM = crm
		crm.failing = true
		expect(t, "crm down", createChat(e, mgr, body), http.StatusBadGateway, "crm_unavailable")
		got, err := e.st.Contact(ctx, w.ws.ID, c.ID)
		must(t, err)
		if len(got.Phones) != 0 || got.WAID != "" {
			t.Fatalf("a refused create changed the contact: %+v", got)
		}
		crm.failing = false
		r := createChat(e, mgr, body)
		expect(t, "from contact", r, http.StatusCreated, "")
		var chat chatBody
		decode(t, r, &chat)
		if chat.ContactID == nil || *chat.ContactID != c.ID {
			t.Fatalf("chat not on the contact: %s", r.Body)
		}
		got, err = e.st.Contact(ctx, w.ws.ID, c.ID)
		must(t, err)
		if got.WAID != "79031112233" || len(got.Phones) != 1 || got.Phones[0] != "+79031112233" || got.TelegramUserID != 900 {
			t.Fatalf("hub contact after F26: %+v", got)
		}
		if len(crm.added) != 1 || crm.added[0] != "100:+79031112233" {
			t.Fatalf("CRM asked: %v", crm.added)
		}
		// From a contact card with no hub contact yet: a new contact linked to that CRM contact.
		r = createChat(e, mgr, map[string]any{"connection_id": w.waba.ID, "phone": "+79035550000", "crm_contact_id": 100})
		expect(t, "from crm card", r, http.StatusCreated, "")
		decode(t, r, &chat)
		var prof struct {
			CRMContactIDs []int64 `json:"crm_contact_ids"`
		}
		decode(t, e.do(http.MethodGet, "/api/v1/contacts/"+*chat.ContactID, mgr, nil), &prof)
		if len(prof.CRMContactIDs) != 1 || prof.CRMContactIDs[0] != 100 {
			t.Fatalf("crm links: %v", prof.CRMContactIDs)
		}
		expect(t, "card I may not view", createChat(e, mgr, map[string]any{"connection_id": w.waba.ID, "phone": "+79035550001", "crm_contact_id": 102}),
			http.StatusForbidden, "crm_access_denied")
		// A bare phone from a manager: the CRM links the new contact, responsible = the manager.
		r = createChat(e, mgr, map[string]any{"connection_id": w.waba.ID, "phone": "+79035550002"})
		expect(t, "bare phone", r, http.StatusCreated, "")
		decode(t, r, &chat)
		if len(crm.linked) != 1 || crm.linked[0] != crmMe {
			t.Fatalf("link asked for %v", crm.linked)
		}
		expect(t, "manager sees the chat they made", e.do(http.MethodGet, "/api/v1/chats/"+chat.ID, mgr, nil), http.StatusOK, "")
	})
}
