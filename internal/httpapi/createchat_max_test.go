package httpapi_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

// MAX (F24–F26): a bot reaches only people who started it, found by MAX user id or by a phone
// the hub already has for them; a customer who stopped the bot is refused with bot_stopped.
func TestCreateChatAndSendOnMax(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		w := e.world(1)
		_, ru := e.employee(w.ws, 50, myGroup, hub.RoleAdmin, "ru", "A", "A")
		bot, err := e.st.CreateConnection(ctx, hub.Connection{WorkspaceID: w.ws.ID, Kind: hub.KindMaxBot,
			Name: "MAX bot", ExternalID: "max-1", InSubscription: true})
		must(t, err)
		expect(t, "never started", createChat(e, ru, map[string]any{"connection_id": bot.ID, "max_user_id": 91000001}),
			http.StatusNotFound, "contact_not_found")
		expect(t, "unknown phone", createChat(e, ru, map[string]any{"connection_id": bot.ID, "phone": "+79160009988"}),
			http.StatusNotFound, "contact_not_found")
		for name, body := range map[string]map[string]any{
			"negative id":          {"connection_id": bot.ID, "max_user_id": -5},
			"telegram on MAX":      {"connection_id": bot.ID, "telegram": "@someone"},
			"MAX id on Telegram":   {"connection_id": w.telegram.ID, "max_user_id": 91000001},
			"MAX id on WhatsApp":   {"connection_id": w.waba.ID, "max_user_id": 91000001},
			"phone and MAX id too": {"connection_id": bot.ID, "phone": "+79160009988", "max_user_id": 91000001},
		} {
			expect(t, name, createChat(e, ru, body), http.StatusBadRequest, "bad_request")
		}

		// Someone who pressed Start has a chat: it is found by id, and by a phone the hub has.
		contact, err := e.st.CreateContact(ctx, hub.Contact{WorkspaceID: w.ws.ID, Name: "Ольга", MaxUserID: 91000001,
			Phones: []string{"+79160009988"}})
		must(t, err)
		chat, err := e.st.SetPeer(ctx, store.Peer{WorkspaceID: w.ws.ID, ConnectionID: bot.ID, ExternalChatID: "91000001",
			From: hub.Contact{MaxUserID: 91000001, Name: "Ольга"}})
		must(t, err)
		if chat.ContactID != contact.ID {
			t.Fatalf("bot_started made another contact: %+v", chat)
		}
		for name, body := range map[string]map[string]any{
			"by id":    {"connection_id": bot.ID, "max_user_id": 91000001},
			"by phone": {"connection_id": bot.ID, "phone": "8 916 000-99-88"},
		} {
			r := createChat(e, ru, body)
			expect(t, name, r, http.StatusConflict, "chat_exists")
			if r.JSON(t)["error"].(map[string]any)["chat_id"] != chat.ID {
				t.Fatalf("%s: %s", name, r.Body)
			}
		}

		expect(t, "send", send(e, ru, chat.ID, map[string]any{"client_id": "a", "text": "Здравствуйте"}), http.StatusCreated, "")
		_, err = e.st.SetPeer(ctx, store.Peer{WorkspaceID: w.ws.ID, ConnectionID: bot.ID, ExternalChatID: "91000001",
			From: hub.Contact{MaxUserID: 91000001}, Stopped: true, At: time.UnixMilli(1775025604499)})
		must(t, err)
		r := send(e, ru, chat.ID, map[string]any{"client_id": "b", "text": "вы здесь?"})
		expect(t, "stopped", r, http.StatusConflict, "bot_stopped")
		if msg := r.JSON(t)["error"].(map[string]any)["message"]; msg != "Клиент остановил бота в MAX: написать ему нельзя, пока он снова не запустит бота." {
			t.Fatalf("bot_stopped text: %q", msg)
		}
		var got struct {
			Stopped bool `json:"stopped"`
		}
		decode(t, e.do(http.MethodGet, "/api/v1/chats/"+chat.ID, ru, nil), &got)
		if !got.Stopped {
			t.Fatal("the chat does not say the bot was stopped")
		}
	})
}
