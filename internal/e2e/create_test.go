package e2e

import (
	"fmt"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/testwait"
)

// Create chat (F23–F25) with each outcome the sandbox can produce, the closed WABA window of a
// new chat (templates only, F18), and a first template to a number not on WhatsApp failing with
// its reason and a retry (F20, B2).
func TestCreateChatOutcomes(t *testing.T) {
	requireApp(t)
	hub := StartHub(t)
	sb := hub.WaitSandbox(t)
	admin := sb.User(t, "admin", func(u SandboxUser) bool { return u.IsAdmin })
	waba := sb.Connection(t, "waba", true)
	outside := sb.Connection(t, "waba", false)
	bot := sb.Connection(t, "telegram_bot", true)
	w := openWindow(t, hub, admin, 1280, 800, "&mode=page")
	createOutcomes(t, hub, w, waba, outside, bot)
}

// createOutcomes drives the create dialog of an admin's full-page window w.
func createOutcomes(t *testing.T, hub *SandboxInstance, w *window, waba, outside, bot SandboxConnection) {

	// create fills the dialog and submits; it returns the outcome's code ("" when a chat opened).
	create := func(conn SandboxConnection, value string, telegram bool) string {
		t.Helper()
		w.Eval("click('.search .plus')", nil)
		w.WaitFor("the create dialog", "q('.dialog select') && q('.dialog select').options.length > 0", 10*time.Second)
		w.Eval(fmt.Sprintf("type('.dialog select', %s)", JS(conn.ID)), nil)
		if telegram { // issue 11 #10: a bot's form asks for an ID or @username by default
			w.WaitFor("the bot's form by ID or @username", "q('.dialog .switch input') && !q('.dialog .switch input').checked && q('.dialog input[name=target]').inputMode === 'text'", 5*time.Second)
		}
		w.Eval(fmt.Sprintf("type('.dialog input[name=target]', %s)", JS(value)), nil)
		w.Eval("click('.dialog button[type=submit]')", nil)
		w.WaitFor("an outcome", "q('.dialog .outcome') || !q('.dialog')", 15*time.Second)
		var code string
		w.Eval("q('.dialog .outcome') ? q('.dialog .outcome').dataset.code : ''", &code)
		return code
	}
	expect := func(code, want string) {
		t.Helper()
		if code != want {
			t.Fatalf("outcome %q, want %q", code, want)
		}
		w.WaitFor("the text of "+want, "text('.dialog .outcome p') === "+JS(w.T("error."+want)), 5*time.Second)
		w.Screenshot("create-" + want)
		w.Eval("key(doc().body, 'Escape')", nil)
		w.WaitFor("the dialog to close", "!q('.dialog')", 5*time.Second)
	}

	w.Run(t, "invalid phone", func(t *testing.T) { expect(create(waba, "12", false), "invalid_phone") })
	w.Run(t, "connection outside the subscription", func(t *testing.T) {
		expect(create(outside, "+7 916 700-00-01", false), "connection_not_in_subscription")
	})
	w.Run(t, "what is typed the moment the bot's form appears is kept", func(t *testing.T) {
		// The form fills in what is known after it has painted; a value typed before then (a fast
		// typist, autofill — or this test on a loaded machine) must not be wiped by it.
		w.Eval("click('.search .plus')", nil)
		w.WaitFor("the create dialog", "q('.dialog select') && q('.dialog select').options.length > 0", 10*time.Second)
		w.Eval(`(() => { window.__typedAt = 0;
			const obs = new MutationObserver(() => {
				const input = q('.dialog input[name=target]');
				if (!input || input.inputMode !== 'text' || window.__typedAt) return;
				obs.disconnect();
				type(input, '@fast_typist');
				window.__typedAt = performance.now();
			});
			obs.observe(q('.dialog'), { subtree: true, childList: true, attributes: true });
			return type('.dialog select', `+JS(bot.ID)+`); })()`, nil)
		w.WaitFor("the typed value, still there a moment after the form appeared",
			"window.__typedAt > 0 && performance.now() - window.__typedAt > 300", 10*time.Second)
		var v string
		w.Eval("q('.dialog input[name=target]').value", &v)
		if v != "@fast_typist" {
			t.Fatalf("the bot's form wiped what was typed: %q", v)
		}
		w.Eval("key(doc().body, 'Escape')", nil)
		w.WaitFor("the dialog to close", "!q('.dialog')", 5*time.Second)
	})
	w.Run(t, "Telegram user who never wrote to the bot", func(t *testing.T) {
		code := create(bot, "@nobody_wrote_here", true)
		// Issue 11 #10: the form says what to do: the customer writes to the bot first.
		w.WaitFor("the bot-first hint", "text('.dialog .outcome .bot-first') === "+JS(w.T("app.create.bot_first")), 5*time.Second)
		expect(code, "contact_not_found")
	})

	w.Run(t, "subscription unpaid, then inactive", func(t *testing.T) {
		var list struct{ Items []struct{ ID string } }
		hub.GetOperatorJSON(t, "/workspaces", &list)
		if len(list.Items) == 0 {
			t.Fatal("the operator API lists no workspace")
		}
		ws := "/workspaces/" + list.Items[0].ID + "/subscription"
		defer hub.Operator(t, "PUT", ws, map[string]bool{"active": true, "paid": true})
		hub.Operator(t, "PUT", ws, map[string]bool{"active": true, "paid": false})
		expect(create(waba, "+7 916 700-00-03", false), "subscription_unpaid")
		hub.Operator(t, "PUT", ws, map[string]bool{"active": false})
		expect(create(waba, "+7 916 700-00-03", false), "subscription_inactive")
	})

	w.Run(t, "new WABA chat: its name, templates only, the customer has not written yet", func(t *testing.T) {
		w.Eval("click('.search .plus')", nil)
		w.WaitFor("the create dialog", "q('.dialog select') && q('.dialog select').options.length > 0", 10*time.Second)
		w.Eval(fmt.Sprintf("type('.dialog select', %s)", JS(waba.ID)), nil)
		w.Eval("type('.dialog input[name=target]', '8 (916) 700-00-02') && type('.dialog input[name=name]', 'Пётр Новиков')", nil)
		w.Eval("click('.dialog button[type=submit]')", nil)
		w.WaitFor("the new chat open under its name", "!q('.dialog') && text('.chat-head .name').includes('Пётр Новиков')", 15*time.Second)
		w.WaitFor("the not-written-yet note", "text('.composer .window-note') === "+JS(w.T("app.window.not_written")), 10*time.Second)
		w.WaitFor("the red window badge", "q('.chat-head .window.closed')", 5*time.Second)
		var hasTextarea bool
		w.Eval("!!q('.composer textarea')", &hasTextarea)
		if hasTextarea {
			t.Error("free text is offered outside the WABA window")
		}
		w.Screenshot("waba-window-closed")
	})

	w.Run(t, "the same number again: chat_exists and Go to chat", func(t *testing.T) {
		if code := create(waba, "+79167000002", false); code != "chat_exists" {
			t.Fatalf("outcome %q, want chat_exists", code)
		}
		w.Screenshot("create-chat_exists")
		w.clickText(".dialog .outcome button", w.T("app.create.go_to_chat"))
		w.WaitFor("the existing chat open", "!q('.dialog') && text('.chat-head').includes('Пётр Новиков')", 10*time.Second)
	})

	w.Run(t, "a number not on WhatsApp: the first template fails, with its reason and a retry", func(t *testing.T) {
		if code := create(waba, "+7 916 700-0000", false); code != "" {
			t.Fatalf("create: %s", code)
		}
		// Issue 11 #7: a chat created by number is titled with the number written for humans.
		w.WaitFor("the new chat open", "text('.chat-head .name').includes('+7 916 700-00-00')", 10*time.Second)
		w.Eval("click(qa('.composer-row .icon-btn')[0])", nil)
		w.WaitFor("the templates", "q('.template')", 10*time.Second)
		w.Eval("click(q('.template'))", nil)
		w.Eval("(qa('.dialog form input').forEach((i) => type(i, 'тест')), true)", nil)
		w.Eval("click(q('.dialog form button[type=submit]'))", nil)
		reason := w.T("error.not_on_whatsapp")
		w.WaitFor("the failed message with its reason", "q('.msg.failed .fail') && q('.msg.failed .fail').getAttribute('title') === "+JS(reason), 20*time.Second)
		// Issue 11 #11: the chat's row says a message was not sent.
		w.WaitFor("the row marked", "q('.row-main .row-failed') && "+rowOf("+7 916 700-00-00")+" && "+rowOf("+7 916 700-00-00")+".querySelector('.row-failed')", 10*time.Second)
		w.Hover("q('.msg.failed .fail')")
		w.WaitFor("the tooltip on hover", "seen('.msg.failed .tooltip') && text('.msg.failed .tooltip') === "+JS(reason), 5*time.Second)
		w.Screenshot("failed-message-tooltip")
		var before []any
		hub.GetJSON(t, "/sandbox/customers/outbox?connection_id="+waba.ID, &struct{ Items *[]any }{&before})
		w.clickText(".msg.failed .retry", w.T("app.retry"))
		w.WaitFor("the retry to be sent again", "!q('.msg.failed .retry') || q('.msg.failed .retry').disabled === false", 10*time.Second)
		testwait.Until(t, "Retry to send the message again (the stand-in's outbox to grow)", func() bool {
			var after []any
			hub.GetJSON(t, "/sandbox/customers/outbox?connection_id="+waba.ID, &struct{ Items *[]any }{&after})
			return len(after) > len(before)
		})
		w.WaitFor("the retried message failing again with the same reason", "q('.msg.failed .fail') && q('.msg.failed .fail').getAttribute('title') === "+JS(reason), 20*time.Second)
	})
}
