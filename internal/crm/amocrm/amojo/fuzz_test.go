package amojo_test

import (
	"testing"

	"github.com/switchboardhq/switchboard/internal/crm/amocrm/amojo"
)

// amoCRM's chat hooks come from outside: parsing never panics, and what it accepts is a hook
// the mirror can act on (an account, and a message with its ids or an action).
func FuzzParseHook(f *testing.F) {
	f.Add([]byte(`{"account_id":"a1","time":1,"message":{"receiver":{"id":"r","client_id":"c"},"sender":{"id":"s"},` +
		`"conversation":{"id":"cv","client_id":"cc"},"timestamp":1,"msec_timestamp":1000,"message":{"id":"m","type":"text","text":"hi"}}}`))
	f.Add([]byte(`{"account_id":"a1","action":{"reaction":{"user":{"id":"u"},"conversation":{"id":"c","client_id":"cc"},"message":{"id":"m"},"type":"react","emoji":"👍"}}}`))
	f.Add([]byte(`{"account_id":"a1","action":{"typing":{"user":{"id":"u"},"conversation":{"id":"c"},"expired_at":1}}}`))
	f.Add([]byte(`{"account_id":"","message":null}`))
	f.Add([]byte(`{"account_id":"a\u0000","message":{"message":{"id":"\xff"}}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		h, err := amojo.ParseHook(body)
		if err != nil {
			return
		}
		if h.AccountID == "" {
			t.Fatalf("accepted a hook without an account: %q", body)
		}
		if h.Message != nil && (h.Message.Conversation.ClientID == "" || h.Message.Message.ID == "" || h.Message.Sender.ID == "") {
			t.Fatalf("accepted a message without its ids: %q", body)
		}
		if h.Message == nil && (h.Action == nil || (h.Action.Reaction == nil && h.Action.Typing == nil)) {
			t.Fatalf("accepted a hook that carries nothing: %q", body)
		}
	})
}
