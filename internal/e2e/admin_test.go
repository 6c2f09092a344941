package e2e

import (
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// The admin's day in the full-page window: a customer writes, the chat shows up unanswered,
// the admin answers with text, emoji, a file and a template, sees ticks, gets the customer's
// next message live, looks at the profile, blocks and unblocks, and searches.
func TestChatWindowAsAdmin(t *testing.T) {
	requireApp(t)
	hub := StartHub(t)
	sb := hub.WaitSandbox(t)
	admin := sb.User(t, "admin", func(u SandboxUser) bool { return u.IsAdmin })
	waba := sb.Connection(t, "waba", true)
	customer := map[string]any{"phone": "+7 916 555-01-01", "name": "Варвара Тестова"}
	hub.CustomerSends(t, map[string]any{"connection_id": waba.ID, "from": customer, "type": "text",
		"text": "Здравствуйте! Сколько стоит доставка?"})

	w := openWindow(t, hub, admin, 1280, 800, "&mode=page")
	adminDay(t, hub, w, waba, admin.Name, customer)
}

// adminDay is the admin's scenario in an open full-page window w, after customer wrote once.
func adminDay(t *testing.T, hub *SandboxInstance, w *window, waba SandboxConnection, adminName string, customer map[string]any) {
	var firstList float64
	w.WaitFor("the first chat list", "q('.entry') && doc().defaultView.performance.getEntriesByName('switchboard:first-list').length", 20*time.Second)
	w.Eval("doc().defaultView.performance.getEntriesByName('switchboard:first-list')[0].startTime", &firstList)
	t.Logf("time to first chat list: %.0f ms after navigation start (demo dataset, headless Chromium)", firstList)

	name := "Варвара Тестова"
	w.waitRow(name)
	w.Run(t, "unanswered mark and No reply needed", func(t *testing.T) {
		w.WaitFor("the unanswered badge", rowOf(name)+".querySelector('.badge')", 10*time.Second)
		w.Screenshot("admin-list-unanswered")
		w.openChat(name)
		w.waitBubble("Сколько стоит доставка?")
		w.clickText(".chat-head button", w.T("app.no_reply_needed"))
		w.WaitFor("the badge to go", "!"+rowOf(name)+".querySelector('.badge')", 10*time.Second)
	})

	w.Run(t, "unanswered count in the tab title", func(t *testing.T) {
		hub.CustomerSends(t, map[string]any{"connection_id": waba.ID, "from": customer, "type": "text", "text": "Ау?"})
		w.WaitFor("the count in the title", "/^\\(\\d+\\) /.test(doc().title)", 10*time.Second)
	})

	w.Run(t, "group chats, for admins", func(t *testing.T) {
		bot := ""
		var conns struct{ Items []SandboxConnection }
		hub.GetJSON(t, "/sandbox/customers/connections", &conns)
		for _, c := range conns.Items {
			if c.Kind == "telegram_bot" {
				bot = c.ID
			}
		}
		hub.CustomerSends(t, map[string]any{"connection_id": bot, "group": true, "type": "text", "text": "Кто сегодня дежурит?",
			"from": map[string]any{"telegram_user_id": 700100, "name": "Олег из группы"}})
		w.WaitFor("a group chat in the list", "qa('.row.group').some((r) => r.innerText.includes('Кто сегодня дежурит?'))", 30*time.Second)
	})

	w.Run(t, "send text with Enter, ticks and the employee's name", func(t *testing.T) {
		w.typeAndEnter("Доставка бесплатная от 5000 ₽")
		w.waitBubble("Доставка бесплатная от 5000 ₽")
		w.WaitFor("the author's name on the bubble", fmt.Sprintf("%s.querySelector('.author').innerText === %s", bubble("Доставка бесплатная"), JS(adminName)), 5*time.Second)
		w.WaitFor("delivered ticks", bubble("Доставка бесплатная")+".dataset.status === 'delivered' || "+bubble("Доставка бесплатная")+".dataset.status === 'read'", 15*time.Second)
		var draft string
		w.Eval("q('.composer textarea').value", &draft)
		if draft != "" {
			t.Errorf("the composer still holds %q after sending", draft)
		}
	})

	w.Run(t, "receive the customer's message live", func(t *testing.T) {
		hub.CustomerSends(t, map[string]any{"connection_id": waba.ID, "from": customer, "type": "text", "text": "А в Тверь доставляете?"})
		w.waitBubble("А в Тверь доставляете?")
		w.WaitFor("the unanswered badge again", rowOf(name)+".querySelector('.badge')", 10*time.Second)
	})

	w.Run(t, "media, voice and a cart from the customer", func(t *testing.T) {
		for _, typ := range []string{"image", "voice", "video", "file", "order"} {
			hub.CustomerSends(t, map[string]any{"connection_id": waba.ID, "from": customer, "type": typ})
		}
		w.WaitFor("an inline image", "q('.msg.in .media.image img')", 15*time.Second)
		w.WaitFor("a voice message with its duration", "q('.msg.in .audio.voice audio')", 15*time.Second)
		w.WaitFor("a video player", "q('.msg.in video')", 15*time.Second)
		w.WaitFor("a file card", "q('.msg.in .file')", 15*time.Second)
		w.WaitFor("the cart with its total", "q('.msg.in .order tfoot .total') && text('.msg.in .order tfoot .total').length > 0", 15*time.Second)
		w.Screenshot("admin-media-and-cart")
		w.Eval("click('.msg.in .media.image')", nil)
		w.WaitFor("the enlarged image", "q('.dialog .preview-body img')", 5*time.Second)
		w.Eval("key(doc().body, 'Escape')", nil)
		w.WaitFor("Esc to close it", "!q('.dialog')", 5*time.Second)
	})

	w.Run(t, "reply with a quote", func(t *testing.T) {
		w.Eval("click("+bubble("А в Тверь доставляете?")+".querySelector('.reply'))", nil)
		w.WaitFor("the quote over the composer", "text('.replying .quote').includes('А в Тверь')", 5*time.Second)
		w.typeAndEnter("Да, в Тверь тоже")
		w.WaitFor("the answer quoting the question", bubble("Да, в Тверь тоже")+".querySelector('.quote').innerText.includes('А в Тверь')", 15*time.Second)
	})

	w.Run(t, "emoji from the picker", func(t *testing.T) {
		w.Eval("click('.emoji .icon-btn')", nil)
		w.WaitFor("the emoji picker with its local data", "q('emoji-picker') && q('emoji-picker').shadowRoot && q('emoji-picker').shadowRoot.querySelector('.emoji-menu button.emoji')", 15*time.Second)
		w.Screenshot("admin-emoji-picker")
		// A key typed in the moment after the pick, before the window has drawn a frame, lands
		// after the emoji: the picked emoji, the focus and the cursor are all in place at once.
		// (The picker announces the pick after a lookup; the key is typed right behind it.)
		var emoji string
		w.Eval(`(() => { const p = q('emoji-picker'), b = p.shadowRoot.querySelector('.emoji-menu button.emoji'), e = b.innerText.trim();
			p.addEventListener('emoji-click', () => doc().execCommand('insertText', false, ' да!'), { once: true });
			b.click(); return e; })()`, &emoji)
		w.WaitFor("the emoji and the text typed right after it, in the focused composer",
			"q('.composer textarea').value === "+JS(emoji+" да!")+" && doc().activeElement === q('.composer textarea')", 5*time.Second)
		w.Do(5*time.Second, chromedp.KeyEvent(kb.Enter))
		w.waitBubble(emoji + " да!")
	})

	w.Run(t, "attach two files", func(t *testing.T) {
		w.Eval(`(() => {
			const input = q('.composer input[type=file]');
			const dt = new DataTransfer();
			dt.items.add(new File(["Прайс-лист на доставку\n"], "price.txt", { type: "text/plain" }));
			dt.items.add(new File(["Условия оплаты\n"], "terms.txt", { type: "text/plain" }));
			input.files = dt.files;
			input.dispatchEvent(new Event("change", { bubbles: true }));
			return true; })()`, nil)
		w.WaitFor("the uploaded files' chips", "byText('.pending .chip', 'price.txt') && byText('.pending .chip', 'terms.txt')", 10*time.Second)
		w.Eval("click('.composer .send')", nil)
		// Messengers carry one file per message: two files go as two messages, neither refused.
		w.WaitFor("two file cards", "['price.txt', 'terms.txt'].every((n) => qa('.msg.out .file a').some((a) => a.innerText === n))", 15*time.Second)
		var errText string
		w.Eval("text('.composer .error')", &errText)
		if errText != "" {
			t.Fatalf("sending two files: %s", errText)
		}
	})

	w.Run(t, "record and send a voice message", func(t *testing.T) {
		w.Eval("click(q('.composer-row [aria-label=' + JSON.stringify("+JS(w.T("app.voice.record"))+") + ']'))", nil)
		// The recorder shows once the microphone (Chromium's fake one, playing a fixed file) is
		// open; if it never opens the step fails, saying what the composer said.
		if !w.Within("q('.recording')", 60*time.Second) {
			var errText string
			w.Eval("text('.composer .error')", &errText)
			t.Fatalf("the recorder did not start within 60 s (the fake microphone never answered getUserMedia); composer error: %q", errText)
		}
		w.WaitFor("half a second recorded", "q('.recording') && !text('.recording').includes('0:00')", 10*time.Second)
		w.Screenshot("admin-recording")
		w.Eval("click(q('.recording .btn.primary'))", nil)
		w.WaitFor("a voice message sent", "q('.msg.out .audio.voice audio')", 15*time.Second)
	})

	w.Run(t, "the draft is kept on the server", func(t *testing.T) {
		// The composer saves a moment after typing stops: the test notes the drafts the server
		// has answered and waits for the whole text among them.
		w.Eval(`(() => { const win = doc().defaultView, f = win.fetch; win.savedDrafts = [];
			win.fetch = (u, o) => f(u, o).then((r) => { if (r.ok && String(u).endsWith('/draft')) win.savedDrafts.push(o.body); return r; });
			return true; })()`, nil)
		w.Eval("(q('.composer textarea').focus(), true)", nil)
		w.Do(5*time.Second, chromedp.KeyEvent("черновик ответа"))
		w.WaitFor("the draft to be saved", "doc().defaultView.savedDrafts.includes(JSON.stringify({ text: 'черновик ответа' }))", 10*time.Second)
		w.Eval("(doc().defaultView.location.reload(), true)", nil)
		w.WaitFor("the window back", "q('.app')", 20*time.Second)
		w.openChat(name)
		w.WaitFor("the draft restored", "q('.composer textarea') && q('.composer textarea').value === 'черновик ответа'", 10*time.Second)
		w.Eval("type('.composer textarea', '')", nil)
	})

	w.Run(t, "send a template with parameters", func(t *testing.T) {
		w.Eval("click(qa('.composer-row .icon-btn')[0])", nil)
		w.WaitFor("the templates", "q('.template')", 10*time.Second)
		var tpl string
		w.Eval("(() => { const b = qa('.template').find((x) => x.innerText.includes("+JS(w.T("app.templates.kind.waba"))+")) || q('.template'); const n = b.querySelector('strong').innerText; b.click(); return n; })()", &tpl)
		w.Eval("(qa('.dialog form input').forEach((i, n) => type(i, 'Варвара' + (n ? ' #' + n : ''))), true)", nil)
		w.Screenshot("admin-template")
		w.Eval("click(q('.dialog form button[type=submit]'))", nil)
		w.WaitFor("the template message", fmt.Sprintf("qa('.msg.out .tag').some((e) => e.innerText === %s)", JS(w.T("app.template.label", "name", tpl))), 15*time.Second)
		w.WaitFor("the templates dialog to close", "!q('.dialog')", 5*time.Second)
	})

	w.Run(t, "profile", func(t *testing.T) {
		w.Eval("click('.chat-head .head-name')", nil)
		w.WaitFor("the profile with the phone", "text('.profile').includes('+79165550101')", 10*time.Second)
		w.Screenshot("admin-profile")
		w.Eval("key(doc().body, 'Escape')", nil)
		w.WaitFor("Esc to close the profile", "!q('.profile')", 5*time.Second)
	})

	w.Run(t, "block and unblock", func(t *testing.T) {
		items := w.menuItems()
		if fmt.Sprint(items) != fmt.Sprint([]string{w.T("app.menu.profile"), w.T("app.menu.new_chat"), w.T("app.menu.block")}) {
			t.Fatalf("admin's ⋮ menu: %q", items)
		}
		w.clickText("[role=menuitem]", w.T("app.menu.block"))
		w.clickText(".dialog .btn.danger", w.T("app.menu.block"))
		w.WaitFor("the composer to say the chat is blocked", "text('.composer.disabled').includes("+JS(w.T("error.chat_blocked"))+")", 10*time.Second)
		w.WaitFor("a greyed row with a lock", rowOf(name)+".closest('.blocked') && "+rowOf(name)+".querySelector('.lock')", 10*time.Second)
		w.Screenshot("admin-blocked")
		if items := w.menuItems(); items[len(items)-1] != w.T("app.menu.unblock") {
			t.Fatalf("blocked chat's menu: %q", items)
		}
		w.clickText("[role=menuitem]", w.T("app.menu.unblock"))
		w.WaitFor("the composer back", "q('.composer textarea')", 10*time.Second)
	})

	w.Run(t, "keyboard: up and down between chats", func(t *testing.T) {
		hub.CustomerSends(t, map[string]any{"connection_id": waba.ID, "from": map[string]any{"phone": "+7 916 555-01-02", "name": "Глеб Соседов"},
			"type": "text", "text": "Добрый вечер"})
		w.waitRow("Глеб Соседов")
		var names []string
		w.Eval("qa('.row-main[data-chat]').map((b) => b.querySelector('.name').innerText.trim())", &names)
		if len(names) < 2 {
			t.Fatalf("list rows %q", names)
		}
		w.openChat(names[0])
		w.Eval("(doc().activeElement && doc().activeElement.blur(), key(doc().body, 'ArrowDown'), true)", nil)
		w.WaitFor("↓ to open "+names[1], "text('.chat-head .name').includes("+JS(names[1])+")", 5*time.Second)
		w.Eval("(key(doc().body, 'ArrowUp'), true)", nil)
		w.WaitFor("↑ to open "+names[0], "text('.chat-head .name').includes("+JS(names[0])+")", 5*time.Second)
	})

	w.Run(t, "search", func(t *testing.T) {
		w.Eval("type('.search input', 'ва')", nil)
		w.WaitFor("the too-short hint", "text('.hint') === "+JS(w.T("error.query_too_short")), 5*time.Second)
		w.Eval("type('.search input', 'ТЕСТОВА')", nil)
		w.WaitFor("only the match", "qa('.entry').length === 1 && "+rowOf(name), 10*time.Second)
		w.Eval("type('.search input', '916-555-01')", nil)
		w.WaitFor("the phone match", "qa('.entry').length >= 1 && "+rowOf(name), 10*time.Second)
		w.Screenshot("admin-search")
		w.Eval("type('.search input', '')", nil)
	})
}
