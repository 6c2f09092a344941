package pipeline_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/sandbox/messengers"
	"github.com/switchboardhq/switchboard/internal/sandbox/samples"
	"github.com/switchboardhq/switchboard/internal/store"
	"github.com/switchboardhq/switchboard/internal/store/storetest"
)

// A customer's WhatsApp messages travel simulator → stand-in → signed webhook → stored row →
// worker → database, media fetched through the Cloud API's two-step download.
func TestWhatsAppInboundEndToEnd(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		r := newRig(t, st)
		ctx := context.Background()
		r.whatsapp(r.sales, "8 (916) 234-56-78", "text", "Здравствуйте! Есть ли сенча? 🍵")
		for _, typ := range []string{"image", "voice", "video", "file"} {
			r.whatsapp(r.sales, "+7 916 234 56 78", typ, "")
		}
		order := r.whatsapp(r.sales, "89162345678", "order", "Хочу вот это")
		r.drain()

		chat, ms := r.chatMessages(r.sales, "79162345678")
		if len(ms) != 6 || chat.UnansweredCount != 6 || chat.LastInboundAt.IsZero() {
			t.Fatalf("chat has %d messages, unanswered %d", len(ms), chat.UnansweredCount)
		}
		contact, err := st.Contact(ctx, r.ws.ID, chat.ContactID)
		must(t, err)
		if contact.Name != "Анна Смирнова" || len(contact.Phones) != 1 || contact.Phones[0] != "+79162345678" || contact.WAID != "79162345678" {
			t.Errorf("contact = %+v", contact)
		}
		byType := map[string]hub.Message{}
		for _, m := range ms {
			byType[m.Type] = m
		}
		if m := byType[hub.TypeText]; m.Text != "Здравствуйте! Есть ли сенча? 🍵" || m.Direction != hub.DirIn {
			t.Errorf("text = %+v", m)
		}
		for typ, kind := range map[string]string{hub.TypeImage: "image", hub.TypeVoice: "voice", hub.TypeVideo: "video", hub.TypeFile: "file"} {
			m := byType[typ]
			want, err := samples.For(kind)
			must(t, err)
			if len(m.Attachments) != 1 || m.Attachments[0].StorageKey == "" {
				t.Fatalf("%s: attachment not stored: %+v", typ, m.Attachments)
			}
			a := m.Attachments[0]
			got, err := r.files.Read(context.Background(), a.StorageKey)
			must(t, err)
			if !bytes.Equal(got, want.Data) || a.Size != int64(len(want.Data)) || !strings.HasPrefix(a.MIME, strings.Split(want.MIME, ";")[0]) {
				t.Errorf("%s: stored %d bytes as %q, want %d bytes of %q", typ, len(got), a.MIME, len(want.Data), want.MIME)
			}
		}
		o := byType[hub.TypeOrder].Payload.Order
		if o == nil || len(o.Items) != 2 || o.Total != "25.79" || o.Currency != "EUR" ||
			o.Items[0].Name != "Сенча, зелёный чай, 100 г" || o.Items[0].Price != "7.90" || o.Items[0].Quantity != 2 {
			t.Errorf("order = %+v", o)
		}

		// Meta redelivers: nothing changes, not even the event log.
		head, err := st.EventHead(ctx, r.ws.ID)
		must(t, err)
		r.post("/sandbox/customers/redeliver", map[string]string{"external_id": order}, http.StatusAccepted)
		r.drain()
		_, again := r.chatMessages(r.sales, "79162345678")
		head2, err := st.EventHead(ctx, r.ws.ID)
		must(t, err)
		if len(again) != 6 || head2 != head {
			t.Errorf("redelivery changed things: %d messages, event head %d → %d", len(again), head, head2)
		}
		pending, err := st.PendingWebhooks(ctx, 10)
		must(t, err)
		if len(pending) != 0 {
			t.Errorf("%d webhooks left unprocessed", len(pending))
		}
	})
}

// A Telegram user writes privately and in the bot's group; replies keep their context.
func TestTelegramInboundEndToEnd(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		r := newRig(t, st)
		send := func(body map[string]any) string {
			body["connection_id"] = r.bot.ID
			body["from"] = map[string]any{"telegram_user_id": 512340001, "telegram_username": "@anna_smirnova", "name": "Анна Смирнова"}
			return r.post("/sandbox/customers/send", body, http.StatusAccepted)["external_id"].(string)
		}
		first := send(map[string]any{"type": "text", "text": "Добрый день"})
		send(map[string]any{"type": "image", "text": "вот фото"})
		send(map[string]any{"type": "voice"})
		send(map[string]any{"type": "text", "text": "это ответ", "reply_to_external_id": first})
		send(map[string]any{"type": "text", "text": "Всем привет", "group": true})
		r.drain()

		chat, ms := r.chatMessages(r.bot, "512340001")
		if chat.Kind != hub.ChatPrivate || len(ms) != 4 {
			t.Fatalf("private chat %s with %d messages", chat.Kind, len(ms))
		}
		contact, err := st.Contact(context.Background(), r.ws.ID, chat.ContactID)
		must(t, err)
		if contact.TelegramUserID != 512340001 || contact.TelegramUsername != "anna_smirnova" || contact.Name != "Анна Смирнова" {
			t.Errorf("contact = %+v", contact)
		}
		// Newest first: the reply, the voice, the photo, the first text.
		if ms[0].ReplyToID != ms[3].ID || ms[3].ProviderKey != first {
			t.Errorf("reply_to = %q, want %q", ms[0].ReplyToID, ms[3].ID)
		}
		if ms[2].Type != hub.TypeImage || ms[2].Text != "вот фото" || ms[2].Attachments[0].StorageKey == "" ||
			ms[1].Type != hub.TypeVoice || ms[1].Attachments[0].StorageKey == "" {
			t.Errorf("media messages = %+v / %+v", ms[2], ms[1])
		}
		group, gms := r.chatMessages(r.bot, "-1001987654321")
		if group.Kind != hub.ChatGroup || group.Title != messengers.GroupTitle || len(gms) != 1 || gms[0].AuthorName != "Анна Смирнова" {
			t.Errorf("group chat = %+v, %d messages", group, len(gms))
		}
	})
}
