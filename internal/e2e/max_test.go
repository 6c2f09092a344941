package e2e

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/testwait"
)

// A customer writes from MAX in the sandbox; the admin sees it live and replies with text, a
// file and a voice note, which the customer simulator shows arriving at MAX — with one tick,
// as MAX tells bots nothing of delivery; then the customer stops the bot and the composer says
// why nothing can be sent.
func TestMaxCustomerInTheChatWindow(t *testing.T) {
	requireApp(t)
	hub := StartHub(t)
	sb := hub.WaitSandbox(t)
	admin := sb.User(t, "admin", func(u SandboxUser) bool { return u.IsAdmin })
	bot := sb.Connection(t, "max_bot", true)
	name := "Вера Максимова"
	customer := map[string]any{"max_user_id": 91000401, "name": name}
	hub.CustomerSends(t, map[string]any{"connection_id": bot.ID, "from": customer, "type": "text", "text": "Добрый день! Есть ли доставка в Казань?"})

	w := openWindow(t, hub, admin, 1280, 800, "&mode=page")
	w.waitRow(name)
	w.openChat(name)
	w.waitBubble("доставка в Казань")
	w.WaitFor("the MAX mark on the chat", "q('.chat-head .channel-max_bot') || q('.row .channel-max_bot')", 10*time.Second)

	w.Run(t, "the customer's next message and photo arrive live", func(t *testing.T) {
		hub.CustomerSends(t, map[string]any{"connection_id": bot.ID, "from": customer, "type": "text", "text": "И сколько она стоит?"})
		hub.CustomerSends(t, map[string]any{"connection_id": bot.ID, "from": customer, "type": "image"})
		w.waitBubble("сколько она стоит")
		w.WaitFor("the photo inline", "q('.msg.in .media.image img')", 15*time.Second)
	})

	w.Run(t, "text: sent, and no ticks MAX never gave", func(t *testing.T) {
		w.typeAndEnter("Да, доставляем за 2 дня")
		w.waitBubble("доставляем за 2 дня")
		w.WaitFor("sent", bubble("доставляем за 2 дня")+".dataset.status === 'sent'", 15*time.Second)
	})

	w.Run(t, "a file", func(t *testing.T) {
		w.Eval(`(() => {
			const input = q('.composer input[type=file]');
			const dt = new DataTransfer();
			dt.items.add(new File(["Тарифы доставки по Казани\n"], "tariffs.txt", { type: "text/plain" }));
			input.files = dt.files;
			input.dispatchEvent(new Event("change", { bubbles: true }));
			return true; })()`, nil)
		w.WaitFor("the uploaded file's chip", "byText('.pending .chip', 'tariffs.txt')", 10*time.Second)
		w.Eval("click('.composer .send')", nil)
		w.WaitFor("the file sent", "qa('.msg.out').some((m) => m.querySelector('.file a') && m.querySelector('.file a').innerText === 'tariffs.txt' && m.dataset.status === 'sent')", 20*time.Second)
	})

	w.Run(t, "a voice note", func(t *testing.T) {
		w.Eval("click(q('.composer-row [aria-label=' + JSON.stringify("+JS(w.T("app.voice.record"))+") + ']'))", nil)
		// As in the admin's test: Chromium's fake microphone plays a fixed file; if it never
		// opens, the step fails saying what the composer said.
		if !w.Within("q('.recording')", 60*time.Second) {
			var errText string
			w.Eval("text('.composer .error')", &errText)
			t.Fatalf("the recorder did not start within 60 s (the fake microphone never answered getUserMedia); composer error: %q", errText)
		}
		w.WaitFor("half a second recorded", "q('.recording') && !text('.recording').includes('0:00')", 10*time.Second)
		w.Eval("click(q('.recording .btn.primary'))", nil)
		w.WaitFor("the voice note sent", "qa('.msg.out').some((m) => m.querySelector('.audio.voice audio') && m.dataset.status === 'sent')", 20*time.Second)
	})

	w.Run(t, "the simulator shows what reached MAX", func(t *testing.T) {
		want := []string{"text", "file", "audio"}
		var got []string
		if !testwait.Within(testwait.Bound, func() bool {
			var box struct{ Items []struct{ Type, Text string } }
			hub.GetJSON(t, "/sandbox/customers/outbox?connection_id="+bot.ID+"&chat=91000401", &box)
			got = got[:0]
			for _, m := range box.Items {
				got = append(got, m.Type)
			}
			return strings.Join(got, ",") == strings.Join(want, ",") && strings.Contains(box.Items[0].Text, "2 дня")
		}) {
			t.Fatalf("the simulator's MAX outbox: %v, want %v", got, want)
		}
		// Everything reached MAX, which reports nothing more to bots: one tick each, for good.
		var statuses []string
		w.Eval("qa('.msg.out').map((m) => m.dataset.status)", &statuses)
		for _, s := range statuses {
			if s != "sent" {
				t.Fatalf("outgoing statuses %v: MAX gives bots no delivered/read", statuses)
			}
		}
	})

	w.Run(t, "the customer stops the bot: sending is refused, saying why", func(t *testing.T) {
		code, body := hub.call("POST", "/sandbox/customers/bot", map[string]any{"connection_id": bot.ID, "from": customer, "action": "stop"})
		if code != http.StatusAccepted {
			t.Fatalf("stop: %d %s", code, body)
		}
		w.WaitFor("the composer to say the bot was stopped", "text('.composer.disabled').includes("+JS(w.T("error.bot_stopped"))+")", 15*time.Second)
		w.Screenshot("max-bot-stopped")
		hub.call("POST", "/sandbox/customers/bot", map[string]any{"connection_id": bot.ID, "from": customer, "action": "start"})
		w.WaitFor("the composer back", "q('.composer textarea')", 15*time.Second)
	})
}
