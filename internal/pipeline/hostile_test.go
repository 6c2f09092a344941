package pipeline_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/switchboardhq/switchboard/internal/channel/telegram"
	"github.com/switchboardhq/switchboard/internal/channel/waba"
	"github.com/switchboardhq/switchboard/internal/store"
	"github.com/switchboardhq/switchboard/internal/store/storetest"
)

// A customer's message is never lost for its bytes: U+0000 (which PostgreSQL refuses in text)
// and invalid UTF-8 in a text, a profile name or a file name are accepted, the raw body kept as
// received, and the message stored with NUL dropped and bad bytes as U+FFFD.
func TestHostileBytesAreStoredCleaned(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		r := newRig(t, st)
		ctx := context.Background()
		sales, err := st.ConnectionByID(ctx, r.sales.ID)
		must(t, err)
		bot, err := st.ConnectionByID(ctx, r.bot.ID)
		must(t, err)

		wabaBody := `{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{` +
			`"metadata":{"phone_number_id":"` + sales.ExternalID + `"},` +
			`"contacts":[{"wa_id":"79161112233","profile":{"name":"Ан\u0000на \xff"}}],` +
			`"messages":[{"id":"wamid.hostile1","from":"79161112233","timestamp":"1700000000","type":"text","text":{"body":"при\u0000вет \xfe\xff!"}},` +
			`{"id":"wamid.hostile2","from":"79161112233","timestamp":"1700000001","type":"document",` +
			`"document":{"id":"no-such-media","mime_type":"application/pdf","filename":"../счёт\u202Egnp.exe","caption":"cap\u0000tion"}}]}}]}]}`
		wabaBody = invalidUTF8(wabaBody)
		hook(t, r, "/hooks/waba/"+sales.ID, wabaBody, waba.SignatureHeader, waba.Sign(sales.Secrets[waba.SecretAppSecret], []byte(wabaBody)))

		tgBody := `{"update_id":9001,"message":{"message_id":77,"date":1700000000,` +
			`"from":{"id":5550001,"first_name":"Ив\u0000ан","last_name":"\xc3"},"chat":{"id":5550001,"type":"private"},"text":"tg\u0000text \xff"}}`
		tgBody = invalidUTF8(tgBody)
		hook(t, r, "/hooks/telegram/"+bot.ID, tgBody, telegram.SecretHeader, bot.Secrets[telegram.SecretWebhook])

		pending, err := st.PendingWebhooks(ctx, 10)
		must(t, err)
		raw := map[string]bool{}
		for _, w := range pending {
			raw[string(w.Body)] = true
		}
		if !raw[wabaBody] || !raw[tgBody] {
			t.Fatalf("raw bodies not kept byte for byte: %d rows", len(pending))
		}
		r.drain()

		chat, ms := r.chatMessages(sales, "79161112233")
		contact, err := st.Contact(ctx, r.ws.ID, chat.ContactID)
		must(t, err)
		if contact.Name != "Анна \uFFFD" {
			t.Errorf("WhatsApp profile name = %q", contact.Name)
		}
		if len(ms) != 2 {
			t.Fatalf("WhatsApp chat has %d messages, want 2", len(ms))
		}
		for _, m := range ms {
			switch m.ProviderKey {
			case "wamid.hostile1":
				if m.Text != "привет \uFFFD\uFFFD!" {
					t.Errorf("WhatsApp text = %q", m.Text)
				}
			case "wamid.hostile2":
				if m.Text != "caption" || len(m.Attachments) != 1 || m.Attachments[0].Name != "счётgnp.exe" {
					t.Errorf("WhatsApp document = %q %+v", m.Text, m.Attachments)
				}
			}
		}

		tchat, tms := r.chatMessages(bot, "5550001")
		tcontact, err := st.Contact(ctx, r.ws.ID, tchat.ContactID)
		must(t, err)
		if len(tms) != 1 || tms[0].Text != "tgtext \uFFFD" || !strings.HasPrefix(tcontact.Name, "Иван") || strings.ContainsRune(tcontact.Name, 0) {
			t.Errorf("Telegram: %d messages, contact %q", len(tms), tcontact.Name)
		}
	})
}

// invalidUTF8 turns the \xNN written in a raw string into the bytes themselves: a body
// with bytes that are not UTF-8 at all, as a hostile sender can send.
func invalidUTF8(s string) string {
	return strings.NewReplacer(`\xff`, "\xff", `\xfe`, "\xfe", `\xc3"`, "\xc3\"").Replace(s)
}

// hook posts a signed webhook to the hub and expects it acknowledged.
func hook(t *testing.T, r *rig, path, body, header, value string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, r.srv.URL+path, strings.NewReader(body))
	must(t, err)
	req.Header.Set(header, value)
	resp, err := http.DefaultClient.Do(req)
	must(t, err)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST %s: %d, want 200", path, resp.StatusCode)
	}
}
