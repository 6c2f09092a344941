package waba

import (
	"net/url"
	"os"
	"testing"

	"github.com/switchboardhq/switchboard/internal/channel"
	"github.com/switchboardhq/switchboard/internal/hub"
)

func TestParseEveryKind(t *testing.T) {
	body, err := os.ReadFile("testdata/batch.json")
	if err != nil {
		t.Fatal(err)
	}
	a := &Adapter{Catalog: func(sku string) string { return map[string]string{"sku-42": "Mug"}[sku] }}
	b, err := a.Parse(body)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Messages) != 9 || len(b.Reactions) != 1 || len(b.Statuses) != 3 {
		t.Fatalf("got %d messages, %d reactions, %d statuses", len(b.Messages), len(b.Reactions), len(b.Statuses))
	}
	want := []string{hub.TypeText, hub.TypeImage, hub.TypeVoice, hub.TypeFile, hub.TypeLocation, hub.TypeContacts,
		hub.TypeText, hub.TypeOrder, hub.TypeSystem}
	for i, m := range b.Messages {
		if m.Message.Type != want[i] {
			t.Errorf("message %d type %s, want %s", i, m.Message.Type, want[i])
		}
	}
	first := b.Messages[0]
	if first.Message.Text != "Привет 👋" || first.ReplyToKey != "wamid.OUT1" || first.From.Name != "Ivan" ||
		first.From.Phones[0] != "+79161234567" || first.Message.CreatedAt.Unix() != 1750000000 {
		t.Errorf("text message = %+v", first)
	}
	if a := b.Messages[1].Message.Attachments; len(a) != 1 || a[0].ProviderMediaID != "m-img" || b.Messages[1].Message.Text != "look" {
		t.Errorf("image = %+v", b.Messages[1].Message)
	}
	if b.Messages[6].Message.Text != "Yes" || b.Messages[6].ReplyToKey != "wamid.OUT2" {
		t.Errorf("button reply = %+v", b.Messages[6])
	}
	o := b.Messages[7].Message.Payload.Order
	if o == nil || o.Total != "25.98" || o.Currency != "USD" || o.Items[0].Price != "7.99" || o.Items[0].Name != "Mug" ||
		o.Items[0].Quantity != 2 || o.Items[1].Price != "10" || o.Items[1].Name != "" {
		t.Errorf("order = %+v", o)
	}
	if r := b.Reactions[0]; r.ProviderKey != "wamid.OUT1" || r.Emoji != "👍" || r.From != "79161234567" {
		t.Errorf("reaction = %+v", r)
	}
	if s := b.Statuses[1]; s.Status != hub.StatusFailed || s.Err.Code != channel.CodeNotOnWhatsApp {
		t.Errorf("failed status = %+v", s)
	}
	if len(b.Templates) != 1 || b.Templates[0] != (channel.TemplateStatus{Name: "order_ready", Language: "ru", Status: "PAUSED"}) {
		t.Errorf("template updates = %+v", b.Templates)
	}
	if s := b.Statuses[2]; s.Err.Code != channel.CodeWindowClosed {
		t.Errorf("131047 status = %+v", s.Err)
	}
}

func TestSignatureAndChallenge(t *testing.T) {
	body := []byte(`{"object":"whatsapp_business_account"}`)
	sig := Sign("s3cret", body)
	if !VerifySignature("s3cret", body, sig) {
		t.Fatal("own signature refused")
	}
	for _, bad := range []string{"", "sha256=", sig[:len(sig)-1] + "0", "sha1=" + sig[7:]} {
		if VerifySignature("s3cret", body, bad) {
			t.Errorf("signature %q accepted", bad)
		}
	}
	if VerifySignature("", body, Sign("", body)) {
		t.Error("empty app secret verified")
	}
	q := url.Values{"hub.mode": {"subscribe"}, "hub.verify_token": {"vt"}, "hub.challenge": {"123"}}
	if c, ok := Challenge(q, "vt"); !ok || c != "123" {
		t.Errorf("challenge = %q %v", c, ok)
	}
	if _, ok := Challenge(q, "other"); ok {
		t.Error("wrong verify token accepted")
	}
}

func TestErrorCodes(t *testing.T) {
	cases := map[string]struct {
		status    int
		body      string
		code      string
		transient bool
	}{
		"window":   {400, `{"error":{"message":"(#131047) Re-engagement message","code":131047}}`, channel.CodeWindowClosed, false},
		"unpaid":   {400, `{"error":{"message":"x","code":131042}}`, channel.CodeTemplatesUnpaid, false},
		"token":    {401, `{"error":{"message":"expired","code":190}}`, channel.CodeAuthFailed, false},
		"throttle": {429, `{"error":{"message":"rate","code":130429}}`, channel.CodeUnavailable, true},
		"bare 503": {503, `oops`, channel.CodeUnavailable, true},
		"other":    {400, `{"error":{"message":"bad param","code":100}}`, channel.CodeRejected, false},
	}
	for name, c := range cases {
		e := graphError(c.status, []byte(c.body), 0)
		if e.Code != c.code || e.Transient != c.transient {
			t.Errorf("%s: got %s transient=%v", name, e.Code, e.Transient)
		}
	}
}

func FuzzParse(f *testing.F) {
	if b, err := os.ReadFile("testdata/batch.json"); err == nil {
		f.Add(b)
	}
	f.Add([]byte(`{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"messages":[{"from":"1","id":"x","type":"order","order":{"product_items":[{"quantity":"1e400","item_price":"1e-400"}]}}]}}]}]}`))
	f.Add([]byte(`{"entry":null}`))
	f.Add([]byte(`[]`))
	a := &Adapter{}
	f.Fuzz(func(t *testing.T, body []byte) {
		b, err := a.Parse(body)
		if err != nil {
			return
		}
		for _, m := range b.Messages {
			if m.Message.ProviderKey == "" {
				t.Fatal("message without a provider key")
			}
		}
		_, _ = Routes(body)
	})
}
