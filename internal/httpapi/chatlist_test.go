package httpapi_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

type listBody struct {
	Items []struct {
		Type       string
		Contact    struct{ ID, Name string }
		Chats      []chatBody
		OpenChatID string `json:"open_chat_id"`
		Chat       chatBody
	}
	NextCursor *string `json:"next_cursor"`
}

type chatBody struct {
	ID, Kind, Title string
	ContactID       *string `json:"contact_id"`
	Unanswered      bool
	UnansweredCount int `json:"unanswered_count"`
	Blocked         bool
	LastMessage     *struct{ ID, Text string } `json:"last_message"`
	Window          *struct {
		Kind      string
		Open      bool
		ExpiresAt *time.Time `json:"expires_at"`
	}
	Connection struct{ ID, Kind, Name string }
	Draft      *string
}

// TestChatList covers F8 (contacts with their chats, open_chat_id), F10 (groups: admins, full
// page), F11 (unanswered first, "No reply needed" drops the mark) and keyset paging.
func TestChatList(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, e *env) {
		w := e.world(1)
		// "mine" also writes through Telegram: one contact? No — another identity, another contact.
		// Give "mine" a second chat on the second WABA number, more recent than the first.
		mine := w.contacts["mine"]
		second, _, err := e.st.CreateChat(ctx, hub.Chat{WorkspaceID: w.ws.ID, ConnectionID: w.waba2.ID, Kind: hub.ChatPrivate,
			ContactID: mine.ID, ExternalChatID: mine.WAID, LastActivityAt: w.base.Add(time.Hour)})
		must(t, err)
		r := e.do(http.MethodGet, "/api/v1/chats?scope=all", w.adminToken, nil)
		expect(t, "list", r, http.StatusOK, "")
		var b listBody
		decode(t, r, &b)
		if len(b.Items) != 5 || b.NextCursor != nil {
			t.Fatalf("entries: %d, next %v", len(b.Items), b.NextCursor)
		}
		// all unanswered; by latest activity: mine (its second chat, +1h), then group, unlinked, strangers, colleagues
		want := []string{mine.ID, w.chats["group"].ID, w.contacts["unlinked"].ID, w.contacts["strangers"].ID, w.contacts["colleagues"].ID}
		for i, it := range b.Items {
			id := it.Contact.ID
			if it.Type == "group" {
				id = it.Chat.ID
				if it.Chat.Kind != "group" || it.Chat.Title != "Team chat" || it.Chat.ContactID != nil {
					t.Errorf("group entry: %+v", it.Chat)
				}
			}
			if id != want[i] {
				t.Fatalf("entry %d = %s, want %s", i, id, want[i])
			}
		}
		first := b.Items[0]
		if len(first.Chats) != 2 || first.OpenChatID != second.ID || first.Chats[0].ID != second.ID {
			t.Fatalf("mine: open %s, chats %+v", first.OpenChatID, first.Chats)
		}
		if c := first.Chats[1]; !c.Unanswered || c.UnansweredCount != 1 || c.LastMessage == nil || c.LastMessage.Text != "photo from mine" ||
			c.Window == nil || !c.Window.Open || c.Window.ExpiresAt == nil || c.Connection.Name != "Sales WhatsApp" || c.Title != "Client mine" {
			t.Fatalf("chat rendering: %+v", c)
		}
		// F11: "No reply needed" drops the colleagues' chat below every unanswered entry.
		expect(t, "no reply", e.do(http.MethodPost, "/api/v1/chats/"+w.chats["mine"].ID+"/no-reply-needed", w.adminToken, nil), http.StatusOK, "")
		expect(t, "no reply", e.do(http.MethodPost, "/api/v1/chats/"+w.chats["group"].ID+"/no-reply-needed", w.adminToken, nil), http.StatusOK, "")
		got := entryOrder(t, e, w.adminToken, "scope=all&limit=1")
		want = []string{w.contacts["unlinked"].ID, w.contacts["strangers"].ID, w.contacts["colleagues"].ID, mine.ID, w.chats["group"].ID}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("after no-reply: %v, want %v", got, want)
		}
		// A new inbound message sets the mark again and moves the entry to the top.
		_, err = e.st.SaveInbound(ctx, store.Inbound{WorkspaceID: w.ws.ID, ConnectionID: w.waba.ID, ChatKind: hub.ChatGroup,
			ExternalChatID: "group-chat", From: hub.Contact{Name: "Member", WAID: "79165550099"},
			Message: hub.Message{Type: hub.TypeText, Text: "again", ProviderKey: "wamid.again", CreatedAt: w.base.Add(2 * time.Hour)}})
		must(t, err)
		if got := entryOrder(t, e, w.adminToken, "scope=all&limit=2"); got[0] != w.chats["group"].ID {
			t.Fatalf("group after a new message: %v", got)
		}
		// Issue 11 #3: a group's inbound message names the member who wrote it.
		var msgs struct {
			Items []struct {
				Author *struct {
					EmployeeID *string `json:"employee_id"`
					Name       string
				}
			}
		}
		decode(t, e.do(http.MethodGet, "/api/v1/chats/"+w.chats["group"].ID+"/messages?limit=1", w.adminToken, nil), &msgs)
		if len(msgs.Items) != 1 || msgs.Items[0].Author == nil || msgs.Items[0].Author.Name != "Member" || msgs.Items[0].Author.EmployeeID != nil {
			t.Fatalf("the group message's author: %+v", msgs.Items)
		}
		// F10: groups are not part of card lists.
		for _, q := range []string{"crm_lead_id=500", "crm_contact_id=100"} {
			for _, id := range entryOrder(t, e, w.adminToken, q) {
				if id == w.chats["group"].ID {
					t.Fatalf("group listed in %s", q)
				}
			}
		}
	})
}

// entryOrder walks every page and returns entry ids in order.
func entryOrder(t *testing.T, e *env, tok, query string) []string {
	t.Helper()
	var ids []string
	cursor := ""
	for range 50 {
		r := e.do(http.MethodGet, "/api/v1/chats?"+query+cursor, tok, nil)
		expect(t, "list "+query, r, http.StatusOK, "")
		var b listBody
		decode(t, r, &b)
		for _, it := range b.Items {
			if it.Type == "group" {
				ids = append(ids, it.Chat.ID)
			} else {
				ids = append(ids, it.Contact.ID)
			}
		}
		if b.NextCursor == nil {
			return ids
		}
		cursor = "&cursor=" + *b.NextCursor
	}
	t.Fatal("list does not end")
	return nil
}

// TestChatListCards covers F12: a deal card lists every hub contact of the deal's CRM contacts
// (a CRM contact matched by a WhatsApp and a Telegram identity shows both), a contact card
// that contact's; F30: a card the employee may not view is crm_access_denied.
func TestChatListCards(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, e *env) {
		w := e.world(1)
		tg, err := e.st.SaveInbound(ctx, store.Inbound{WorkspaceID: w.ws.ID, ConnectionID: w.telegram.ID, ChatKind: hub.ChatPrivate,
			ExternalChatID: "555", From: hub.Contact{Name: "Client strangers (Telegram)", TelegramUserID: 555, TelegramUsername: "stranger_tg"},
			Message: hub.Message{Type: hub.TypeText, Text: "hi from telegram", ProviderKey: "tg.1", CreatedAt: w.base.Add(-time.Minute)}})
		must(t, err)
		c := tg.Contact
		c.CRMContactIDs = []int64{102}
		must(t, e.st.UpdateContact(ctx, c))
		for _, q := range []string{"crm_lead_id=500", "crm_contact_id=102"} {
			got := entryOrder(t, e, w.adminToken, q)
			if len(got) != 2 || got[0] != w.contacts["strangers"].ID || got[1] != c.ID {
				t.Fatalf("%s: %v", q, got)
			}
		}
		_, tok := e.manager(w, "M", "D")
		expect(t, "deal I may not view", e.do(http.MethodGet, "/api/v1/chats?crm_lead_id=500", tok, nil), http.StatusForbidden, "crm_access_denied")
		expect(t, "unknown deal", e.do(http.MethodGet, "/api/v1/chats?crm_lead_id=999", tok, nil), http.StatusForbidden, "crm_access_denied")
		expect(t, "my contact", e.do(http.MethodGet, "/api/v1/chats?crm_contact_id=100", tok, nil), http.StatusOK, "")
		_, ruTok := e.employee(w.ws, 77, 0, hub.RoleManager, "ru", "D", "D")
		r := e.do(http.MethodGet, "/api/v1/chats?crm_lead_id=500", ruTok, nil)
		if r.JSON(t)["error"].(map[string]any)["message"] != "У вас нет доступа к этой записи в CRM." {
			t.Fatalf("error not in the employee's language (F34): %s", r.Body)
		}
	})
}

// TestChatListParameters: exactly one scope, search only on the full page from 4 characters
// (F9), limit clamped, bad cursors refused.
func TestChatListParameters(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, e *env) {
		w := e.world(1)
		for q, code := range map[string]string{
			"": "bad_request", "scope=page": "bad_request", "scope=all&crm_lead_id=500": "bad_request",
			"crm_lead_id=abc": "bad_request", "crm_contact_id=-1": "bad_request", "crm_lead_id=500&q=client": "bad_request",
			"scope=all&q=cli": "query_too_short", "scope=all&q=%20%20cli%20": "query_too_short", "scope=all&q=": "query_too_short",
			"scope=all&cursor=zzz": "bad_request", "scope=all&cursor=MXx4fGlk": "bad_request",
		} {
			r := e.do(http.MethodGet, "/api/v1/chats?"+q, w.adminToken, nil)
			expect(t, q, r, http.StatusBadRequest, code)
		}
		for q, n := range map[string]int{"limit=0": 1, "limit=-5": 1, "limit=3": 3, "limit=999": 5, "limit=x": 5} {
			var b listBody
			decode(t, e.do(http.MethodGet, "/api/v1/chats?scope=all&"+q, w.adminToken, nil), &b)
			if len(b.Items) != n {
				t.Errorf("%s: %d items, want %d", q, len(b.Items), n)
			}
		}
		// F9: any alphabet, any case, phone digits whatever the formatting on either side, and
		// (issue 11 #2) the national form of the workspace's country: "8 916…" is "+7 916…".
		petr, err := e.st.SaveInbound(ctx, store.Inbound{WorkspaceID: w.ws.ID, ConnectionID: w.waba.ID, ChatKind: hub.ChatPrivate,
			ExternalChatID: "79161234567", From: hub.Contact{Name: "Анна Петрова", WAID: "79161234567", Phones: []string{"+79161234567"}},
			Message: hub.Message{Type: hub.TypeText, Text: "привет", ProviderKey: "w.petr"}})
		must(t, err)
		for _, q := range []string{"петр", "ПЕТРОВА", "9161", "916-1", "+7%20(916)%20123-45", "8916123", "8%20916%20123-45-67"} {
			got := entryOrder(t, e, w.adminToken, "scope=all&q="+q)
			if len(got) != 1 || got[0] != petr.Contact.ID {
				t.Errorf("search %q: %v", q, got)
			}
		}
	})
}
