package httpapi_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

// TestMessageShapes covers F16 (a cart with its items, quantities, prices and total) and the
// other structured messages as ARCHITECTURE.md §3 writes them.
func TestMessageShapes(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, e *env) {
		w := e.world(1)
		wa := w.contacts["mine"].WAID
		for _, m := range []hub.Message{
			{Type: hub.TypeOrder, ProviderKey: "o1", Payload: hub.Payload{Order: &hub.Order{Total: "1500.00", Currency: "RUB",
				Items: []hub.OrderItem{{SKU: "A-1", Name: "Чай", Quantity: 2, Price: "500.00", Currency: "RUB"},
					{SKU: "B-2", Name: "Кофе", Quantity: 1, Price: "500.00", Currency: "RUB"}}}}},
			{Type: hub.TypeLocation, ProviderKey: "l1", Payload: hub.Payload{Location: &hub.Location{Latitude: 55.75, Longitude: 37.62, Name: "Office", Address: "Tverskaya 1"}}},
			{Type: hub.TypeContacts, ProviderKey: "c1", Payload: hub.Payload{Contacts: []hub.SharedContact{{Name: "Olga", Phones: []string{"+79990001122"}}}}},
		} {
			_, err := e.st.SaveInbound(ctx, store.Inbound{WorkspaceID: w.ws.ID, ConnectionID: w.waba.ID, ChatKind: hub.ChatPrivate,
				ExternalChatID: wa, From: hub.Contact{WAID: wa}, Message: m})
			must(t, err)
		}
		r := e.do(http.MethodGet, "/api/v1/chats/"+w.chats["mine"].ID+"/messages?limit=3", w.adminToken, nil)
		expect(t, "history", r, http.StatusOK, "")
		var page struct{ Items []map[string]json.RawMessage }
		decode(t, r, &page)
		want := []struct{ field, json string }{
			{"contacts", `[{"name":"Olga","phones":["+79990001122"]}]`},
			{"location", `{"latitude":55.75,"longitude":37.62,"name":"Office","address":"Tverskaya 1"}`},
			{"order", `{"items":[{"sku":"A-1","name":"Чай","quantity":2,"price":"500.00","currency":"RUB"},` +
				`{"sku":"B-2","name":"Кофе","quantity":1,"price":"500.00","currency":"RUB"}],"total":"1500.00","currency":"RUB"}`},
		}
		for i, wnt := range want {
			if got := string(page.Items[i][wnt.field]); got != wnt.json {
				t.Errorf("%s:\n got %s\nwant %s", wnt.field, got, wnt.json)
			}
			for _, f := range []string{"id", "chat_id", "client_id", "direction", "type", "text", "attachments", "order", "location",
				"contacts", "template", "author", "status", "error", "reply_to", "reactions", "created_at"} {
				if _, ok := page.Items[i][f]; !ok {
					t.Errorf("message lacks %q", f)
				}
			}
			if string(page.Items[i]["status"]) != `"delivered"` || string(page.Items[i]["direction"]) != `"in"` {
				t.Errorf("inbound status/direction: %s %s", page.Items[i]["status"], page.Items[i]["direction"])
			}
		}
	})
}

// TestConnectionsList covers F24's connection picker: every connection with kind, status and
// subscription flag, never a secret.
func TestConnectionsList(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, e *env) {
		w := e.world(1)
		c := w.waba
		c.Secrets = map[string]string{"access_token": "EAAG-very-secret"}
		c.Settings = map[string]string{"waba_id": "1234"}
		must(t, e.st.UpdateConnection(ctx, c))
		_, tok := e.manager(w, "M", "D")
		r := e.do(http.MethodGet, "/api/v1/connections", tok, nil)
		expect(t, "connections", r, http.StatusOK, "")
		want := `{"items":[{"id":"` + w.waba.ID + `","kind":"waba","name":"Sales WhatsApp","status":"working","in_subscription":true,"disabled":false,"state":"not_verified"},` +
			`{"id":"` + w.telegram.ID + `","kind":"telegram_bot","name":"Support bot","status":"working","in_subscription":true,"disabled":false,"state":"working"},` +
			`{"id":"` + w.waba2.ID + `","kind":"waba","name":"Old number","status":"working","in_subscription":false,"disabled":false,"state":"not_in_subscription"}]}` + "\n"
		if string(r.Body) != want {
			t.Fatalf("connections:\n got %s\nwant %s", r.Body, want)
		}
	})
}
