package pipeline_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jonboulle/clockwork"

	"github.com/switchboardhq/switchboard/internal/channel"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/sandbox/samples"
	"github.com/switchboardhq/switchboard/internal/store"
	"github.com/switchboardhq/switchboard/internal/store/storetest"
)

// queue stores an employee's message as the chat API does (queued, in the outbox).
func (r *rig) queue(chat hub.Chat, m hub.Message) hub.Message {
	r.t.Helper()
	ctx := context.Background()
	emp, _, err := r.st.ProvisionEmployee(ctx, hub.Employee{WorkspaceID: r.ws.ID, CRMUserID: 501, Name: "Мария Котова",
		Role: hub.RoleManager, Lang: "ru"})
	must(r.t, err)
	m.WorkspaceID, m.ChatID, m.ConnectionID = r.ws.ID, chat.ID, chat.ConnectionID
	m.AuthorID, m.AuthorName, m.ClientID = emp.ID, emp.Name, uuid.NewString()
	if m.Type == "" {
		m.Type = hub.TypeText
	}
	out, _, err := r.st.CreateOutbound(ctx, m)
	must(r.t, err)
	return out
}

// queueSample stores the sandbox's sample file of kind and queues a message of type typ
// carrying it under name, as the chat API does after an upload.
func (r *rig) queueSample(chat hub.Chat, typ, kind, name string) hub.Message {
	r.t.Helper()
	f, err := samples.For(kind)
	must(r.t, err)
	key, ct, err := r.files.Put(context.Background(), f.Data, f.MIME)
	must(r.t, err)
	return r.queue(chat, hub.Message{Type: typ, Attachments: []hub.Attachment{{Name: name, MIME: ct,
		Size: int64(len(f.Data)), StorageKey: key}}})
}

func (r *rig) message(id string) hub.Message {
	r.t.Helper()
	m, err := r.st.Message(context.Background(), r.ws.ID, id)
	must(r.t, err)
	return m
}

func (r *rig) outbox(conn hub.Connection) []any {
	return r.get("/sandbox/customers/outbox?connection_id=" + conn.ID)["items"].([]any)
}

// newChat opens a chat the way the chat API's create does (window closed).
func (r *rig) newChat(conn hub.Connection, externalID string) hub.Chat {
	r.t.Helper()
	contact, err := r.st.CreateContact(context.Background(), hub.Contact{WorkspaceID: r.ws.ID, WAID: externalID, Phones: []string{"+" + externalID}})
	must(r.t, err)
	chat, _, err := r.st.CreateChat(context.Background(), hub.Chat{WorkspaceID: r.ws.ID, ConnectionID: conn.ID, Kind: hub.ChatPrivate,
		ContactID: contact.ID, ExternalChatID: externalID})
	must(r.t, err)
	return chat
}

func (r *rig) template(conn hub.Connection, name, lang string) hub.Template {
	r.t.Helper()
	ts, err := r.st.Templates(context.Background(), r.ws.ID, conn.ID)
	must(r.t, err)
	for _, t := range ts {
		if t.Name == name && t.Language == lang {
			return t
		}
	}
	r.t.Fatalf("template %s/%s was not synced", name, lang)
	return hub.Template{}
}

// An employee's reply survives a throttled first attempt, reaches the customer's phone and
// comes back with its ticks.
func TestWhatsAppOutboundTicks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		r := newRig(t, st)
		r.whatsapp(r.sales, "+34 612 48 93 10", "text", "Hola, ¿tienen té verde?")
		r.drain()
		chat, _ := r.chatMessages(r.sales, "34612489310")
		m := r.queue(chat, hub.Message{Text: "¡Sí! Sencha, 7,90 €"})
		r.sb.Graph.Throttle(r.sales.ExternalID, 1)
		s := r.sender()
		if n := s.Drain(context.Background()); n != 1 {
			t.Fatalf("sender claimed %d", n)
		}
		if got := r.message(m.ID); got.Status != hub.StatusQueued {
			t.Fatalf("after 130429: %s, want queued for a retry", got.Status)
		}
		s.Drain(context.Background())
		sent := r.message(m.ID)
		if sent.Status != hub.StatusSent && sent.Status != hub.StatusDelivered || sent.ProviderKey == "" || sent.AuthorName != "Мария Котова" {
			t.Fatalf("after send: %+v", sent)
		}
		box := r.outbox(r.sales)
		if len(box) != 1 || box[0].(map[string]any)["text"] != "¡Sí! Sencha, 7,90 €" || box[0].(map[string]any)["to"] != "+34612489310" {
			t.Fatalf("stand-in outbox = %v", box)
		}
		r.eventually("delivered", func() bool { return r.message(m.ID).Status == hub.StatusDelivered })
		r.post("/sandbox/customers/read", map[string]any{"connection_id": r.sales.ID, "external_ids": []string{sent.ProviderKey}}, http.StatusOK)
		r.eventually("read", func() bool { return r.message(m.ID).Status == hub.StatusRead })
		// The stand-in's schedule ended with "delivered" before the read: draining again after
		// it leaves the message read.
		r.drain()
		if got := r.message(m.ID); got.Status != hub.StatusRead || got.ErrorCode != "" {
			t.Errorf("final = %+v", got)
		}
	})
}

// Provider errors, synchronous and asynchronous, end as failed messages with a reason (F20).
func TestProviderErrorsBecomeReasons(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		r := newRig(t, st)
		ctx := context.Background()
		s := r.sender()
		failedWith := func(m hub.Message, code string) {
			t.Helper()
			r.eventually(code, func() bool { s.Drain(ctx); return r.message(m.ID).Status == hub.StatusFailed })
			got := r.message(m.ID)
			if got.ErrorCode != code || got.ErrorMessage == "" {
				t.Errorf("failed with %q %q, want %s", got.ErrorCode, got.ErrorMessage, code)
			}
		}
		tpl := r.template(r.sales, "order_ready", "ru")
		ghost := r.newChat(r.sales, "79160000000") // not on WhatsApp: accepted, then failed by webhook
		failedWith(r.queue(ghost, hub.Message{Type: hub.TypeTemplate, Payload: hub.Payload{Template: &hub.TemplateRef{ID: tpl.ID,
			Name: tpl.Name, Params: []string{"Иван", "A-17"}}}}), channel.CodeNotOnWhatsApp)
		failedWith(r.queue(ghost, hub.Message{Text: "free text outside the window"}), channel.CodeWindowClosed)

		unpaid := r.newChat(r.support, "79161112233")
		stpl := r.template(r.support, "follow_up", "ru")
		failedWith(r.queue(unpaid, hub.Message{Type: hub.TypeTemplate, Payload: hub.Payload{Template: &hub.TemplateRef{ID: stpl.ID,
			Name: stpl.Name, Params: []string{"Иван"}}}}), channel.CodeTemplatesUnpaid)

		r.sb.Graph.SetRevoked(r.sales.ExternalID, true)
		failedWith(r.queue(ghost, hub.Message{Type: hub.TypeTemplate, Payload: hub.Payload{Template: &hub.TemplateRef{ID: tpl.ID,
			Name: tpl.Name, Params: []string{"Иван", "A-18"}}}}), channel.CodeAuthFailed)
		conn, err := st.Connection(ctx, r.ws.ID, r.sales.ID)
		must(t, err)
		if conn.Status != hub.StatusAuthFailed {
			t.Errorf("connection status %q after a revoked token", conn.Status)
		}
	})
}

// Telegram: a user who blocked the bot, an unknown chat, and a 429 honoured before resending.
func TestTelegramOutboundErrors(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		r := newRig(t, st)
		ctx := context.Background()
		s := r.sender()
		r.post("/sandbox/customers/send", map[string]any{"connection_id": r.bot.ID, "type": "text", "text": "привет",
			"from": map[string]any{"telegram_user_id": 512340003, "name": "Ольга"}}, http.StatusAccepted)
		r.drain()
		chat, _ := r.chatMessages(r.bot, "512340003")

		// The sender's clock stands an hour ahead of the store's, so whatever the test queues is
		// due at once, and moves only when the test moves it: retry_after passes without a wait.
		clock := clockwork.NewFakeClockAt(time.Now().Add(time.Hour))
		s.Now = clock.Now
		token := r.sb.BotToken()
		r.sb.BotAPI.Throttle(token, 1)
		m := r.queue(chat, hub.Message{Text: "Здравствуйте, Ольга!"})
		s.Drain(ctx)
		if got := r.message(m.ID); got.Status != hub.StatusQueued {
			t.Fatalf("after 429: %s, want queued for a retry", got.Status)
		}
		if n := s.Drain(ctx); n != 0 {
			t.Fatalf("retried %d before retry_after passed", n)
		}
		clock.Advance(time.Second)
		s.Drain(ctx)
		if got := r.message(m.ID); got.Status != hub.StatusSent || got.ProviderKey == "" {
			t.Fatalf("after retry_after: %+v", got)
		}
		if box := r.outbox(r.bot); len(box) != 1 {
			t.Fatalf("outbox has %d messages, want exactly 1", len(box))
		}

		r.sb.BotAPI.SetBlocked(token, 512340003, true)
		blocked := r.queue(chat, hub.Message{Text: "вы здесь?"})
		s.Drain(ctx)
		if got := r.message(blocked.ID); got.ErrorCode != channel.CodeBlockedByUser {
			t.Errorf("blocked: %+v", got)
		}
		stranger := r.newChat(r.bot, "512349999")
		lost := r.queue(stranger, hub.Message{Text: "hello"})
		s.Drain(ctx)
		if got := r.message(lost.ID); got.ErrorCode != channel.CodeChatNotFound || got.Status != hub.StatusFailed {
			t.Errorf("unknown chat: %+v", got)
		}
	})
}

// A voice note recorded in the browser (WebM/Opus) goes out as an Ogg/Opus voice message.
func TestVoiceNoteRemuxedAndSent(t *testing.T) {
	r := newRig(t, storetest.OpenSQLite(t))
	ctx := context.Background()
	r.whatsapp(r.sales, "+7 916 234 56 78", "text", "запишите голосом, пожалуйста")
	r.post("/sandbox/customers/send", map[string]any{"connection_id": r.bot.ID, "type": "text", "text": "и мне",
		"from": map[string]any{"telegram_user_id": 512340001}}, http.StatusAccepted)
	r.drain()
	for _, c := range []struct {
		conn hub.Connection
		chat string
		want string
	}{{r.sales, "79162345678", "audio"}, {r.bot, "512340001", "voice"}} {
		chat, _ := r.chatMessages(c.conn, c.chat)
		m := r.queueSample(chat, hub.TypeVoice, "webm", "voice.webm")
		r.sender().Drain(ctx)
		if got := r.message(m.ID); got.Status == hub.StatusFailed || got.ProviderKey == "" {
			t.Fatalf("%s voice: %+v", c.conn.Kind, got)
		}
		box := r.outbox(c.conn)
		if last := box[len(box)-1].(map[string]any); last["type"] != c.want {
			t.Errorf("%s outbox: %v", c.conn.Kind, last)
		}
	}
}

// Meta's review pausing a template reaches the hub's copy through the status-update webhook.
func TestTemplateStatusUpdate(t *testing.T) {
	r := newRig(t, storetest.OpenSQLite(t))
	must(t, r.sb.Graph.SetTemplateStatus("order_ready", "ru", "PAUSED"))
	r.drain()
	if got := r.template(r.sales, "order_ready", "ru"); got.Status != "PAUSED" {
		t.Errorf("status %q, want PAUSED", got.Status)
	}
	if got := r.template(r.sales, "order_ready", "en"); got.Status != "APPROVED" {
		t.Errorf("another language changed: %q", got.Status)
	}
	r.whatsapp(r.sales, "+7 916 234 56 78", "text", "жду заказ")
	r.drain()
	chat, _ := r.chatMessages(r.sales, "79162345678")
	tpl := r.template(r.sales, "order_ready", "ru")
	m := r.queue(chat, hub.Message{Type: hub.TypeTemplate, Payload: hub.Payload{Template: &hub.TemplateRef{ID: tpl.ID,
		Name: tpl.Name, Params: []string{"Анна", "A-1"}}}})
	r.sender().Drain(context.Background())
	if got := r.message(m.ID); got.Status != hub.StatusFailed || got.ErrorCode != channel.CodeRejected || !strings.Contains(got.ErrorMessage, "paused") {
		t.Errorf("paused template sent: %+v", got)
	}
}
