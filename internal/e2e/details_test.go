package e2e

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	sandboxamo "github.com/switchboardhq/switchboard/internal/sandbox/amocrm"
)

// chatOf finds, as the session's employee, the chat of the contact found by query on connection.
func chatOf(t *testing.T, h *SandboxInstance, token, query, connection string) string {
	t.Helper()
	var list struct {
		Items []struct {
			Chats []struct {
				ID         string
				Connection struct{ ID string }
			}
		}
	}
	h.API(t, token, "GET", "/api/v1/chats?scope=all&q="+url.QueryEscape(query), nil, &list)
	for _, it := range list.Items {
		for _, c := range it.Chats {
			if c.Connection.ID == connection {
				return c.ID
			}
		}
	}
	t.Fatalf("no chat of %q on %s", query, connection)
	return ""
}

// The rough edges of issue 11 that show in the full-page window, each checked as a user meets
// it (the numbers are the issue's).
func TestChatWindowDetails(t *testing.T) {
	requireApp(t)
	hub := StartHub(t)
	sb := hub.WaitSandbox(t)
	admin := sb.User(t, "admin", func(u SandboxUser) bool { return u.IsAdmin })
	waba := sb.Connection(t, "waba", true)
	adminToken := hub.Session(t, admin.ID)
	name := "Ресенд Тестов"
	customer := map[string]any{"phone": "+7 916 555-77-88", "name": name}
	hub.CustomerSends(t, map[string]any{"connection_id": waba.ID, "from": customer, "type": "text", "text": "Первый вопрос"})
	hub.CustomerSends(t, map[string]any{"connection_id": waba.ID, "from": customer, "type": "text",
		"text": "Сайт https://example.com/catalog?id=7, почта info@example.com, тел. +7 916 123-45-67 <b>жирный</b><img src=x onerror=alert(1)>"})
	waitStored(t, hub, adminToken, "5557788", "Сайт https://example.com/catalog?id=7, почта info@example.com, тел. +7 916 123-45-67 <b>жирный</b><img src=x onerror=alert(1)>")

	w := openWindow(t, hub, admin, 1280, 800, "&mode=page")
	w.waitRow(name)

	w.Run(t, "4: a channel mark on every row, one row for one person on several messengers, no ▸1", func(t *testing.T) {
		w.WaitFor("the marks", rowOf(name)+".querySelector('.channel-waba')", 10*time.Second)
		var single bool
		w.Eval(rowOf(name)+".closest('.row').querySelector('.expand') !== null", &single)
		if single {
			t.Error("a contact with one chat still has the expand button")
		}
		// Татьяна Лебедева writes on WhatsApp, Telegram and MAX; the three hub contacts are the CRM's 20004 (F12).
		w.WaitFor("one row with the three messengers", fmt.Sprintf(`qa('.row.contact .row-main').filter((b) => b.querySelector('.name').innerText === %s).length === 1 &&
			%s.querySelector('.channel-waba') && %s.querySelector('.channel-telegram_bot') && %s.querySelector('.channel-max_bot') &&
			%s.closest('.row').querySelector('.expand .count').innerText === '3'`,
			JS("Татьяна Лебедева"), rowOf("Татьяна Лебедева"), rowOf("Татьяна Лебедева"), rowOf("Татьяна Лебедева"), rowOf("Татьяна Лебедева")), 10*time.Second)
	})

	w.Run(t, "9: the contact row counts unanswered messages like its chat rows", func(t *testing.T) {
		w.WaitFor("a badge of 2", rowOf(name)+".querySelector('.badge') && "+rowOf(name)+".querySelector('.badge').innerText === '2'", 10*time.Second)
	})

	w.openChat(name)
	w.Run(t, "6: links, e-mails and phones are links; the customer's HTML is text", func(t *testing.T) {
		last := bubble("Сайт")
		w.WaitFor("the links", last+" && "+last+".querySelectorAll('.text a').length === 3", 10*time.Second)
		var links []struct{ Href, Rel, Target string }
		w.Eval(last+".querySelectorAll('.text a').length && Array.from("+last+".querySelectorAll('.text a')).map((a) => ({ Href: a.getAttribute('href'), Rel: a.rel, Target: a.target }))", &links)
		want := []struct{ Href, Rel, Target string }{{"https://example.com/catalog?id=7", "noopener noreferrer", "_blank"}, {"mailto:info@example.com", "", ""}, {"tel:+79161234567", "", ""}}
		if fmt.Sprint(links) != fmt.Sprint(want) {
			t.Errorf("links %+v, want %+v", links, want)
		}
		var html int
		w.Eval(last+".querySelectorAll('.text b, .text img').length", &html)
		if html != 0 {
			t.Error("the customer's HTML became elements")
		}
	})

	w.Run(t, "13: the chat just answered keeps its place; Esc cancels the quote", func(t *testing.T) {
		var before int
		idx := fmt.Sprintf("qa('.row-main').indexOf(%s)", rowOf(name))
		w.Eval(idx, &before)
		w.Hover(bubble("Первый вопрос"))
		w.Eval("click("+bubble("Первый вопрос")+".querySelector('.reply'))", nil)
		w.WaitFor("the quote", "q('.replying .quote')", 5*time.Second)
		w.Do(5*time.Second, chromedp.KeyEvent(kb.Escape))
		w.WaitFor("the quote cancelled by Esc", "!q('.replying')", 5*time.Second)
		w.typeAndEnter("Отвечаю на оба вопроса")
		w.WaitFor("the chat answered", "!"+rowOf(name)+".querySelector('.badge')", 10*time.Second)
		// A customer the list does not have yet writes: the window reloads its first page, and
		// the open chat keeps its place through that too.
		hub.CustomerSends(t, map[string]any{"connection_id": waba.ID, "from": map[string]any{"phone": "+7 916 555-77-99", "name": "Новый Клиент"},
			"type": "text", "text": "Здравствуйте"})
		w.waitRow("Новый Клиент")
		var after int
		w.Eval(idx, &after)
		if after != before {
			t.Errorf("the open chat's row moved from %d to %d when answered", before, after)
		}
	})

	w.Run(t, "12: You: only for one's own messages, a colleague's name for theirs", func(t *testing.T) {
		w.WaitFor("You: for the admin's reply", "text('.row.active .preview') === "+JS(w.T("app.you")+": Отвечаю на оба вопроса"), 10*time.Second)
		own := sb.User(t, "own-only manager", func(u SandboxUser) bool { return u.ID == sandboxamo.DemoOwnRU })
		mgr := hub.Session(t, own.ID)
		ivan := chatOf(t, hub, mgr, "Иван Петров", waba.ID)
		hub.API(t, mgr, "POST", "/api/v1/chats/"+ivan+"/messages", map[string]any{"client_id": "colleague-1", "text": "Иван, счёт у вас на почте"}, nil)
		w.WaitFor("the colleague's name in front of the preview", rowOf("Иван Петров")+" && "+rowOf("Иван Петров")+".querySelector('.preview').innerText === "+
			JS(own.Name+": Иван, счёт у вас на почте"), 10*time.Second)
	})

	w.Run(t, "16: sending again after a lost answer reuses the client_id: one message", func(t *testing.T) {
		// The first answer is lost on the way back (the hub has the message; the window sees a
		// network error), as on a dropped mobile connection.
		w.Eval(`(() => { const win = doc().defaultView, real = win.fetch.bind(win); win.__sent = []; let lost = false;
			win.fetch = async (u, init) => {
				if (String(u).endsWith('/messages') && init && init.method === 'POST') {
					win.__sent.push(JSON.parse(init.body).client_id);
					if (!lost) { lost = true; await real(u, init); throw new TypeError('Failed to fetch'); }
				}
				return real(u, init);
			}; return true; })()`, nil)
		text := "Счёт выставлен, проверьте почту"
		w.typeAndEnter(text)
		w.WaitFor("the network error in the composer", "text('.composer .error') === "+JS(w.T("app.error.network")), 10*time.Second)
		w.Eval("(q('.composer textarea').focus(), true)", nil)
		w.Do(5*time.Second, chromedp.KeyEvent(kb.Enter))
		w.WaitFor("the composer emptied", "q('.composer textarea').value === '' && !q('.composer .error')", 10*time.Second)
		var ids []string
		w.Eval("doc().defaultView.__sent", &ids)
		if len(ids) != 2 || ids[0] != ids[1] {
			t.Errorf("client ids sent: %q, want the same one twice", ids)
		}
		var msgs struct{ Items []struct{ Text string } }
		hub.API(t, adminToken, "GET", "/api/v1/chats/"+chatOf(t, hub, adminToken, "5557788", waba.ID)+"/messages?limit=50", nil, &msgs)
		n := 0
		for _, m := range msgs.Items {
			if m.Text == text {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d messages %q stored, want 1", n, text)
		}
		var bubbles int
		w.Eval(fmt.Sprintf("qa('.msg').filter((m) => m.innerText.includes(%s)).length", JS(text)), &bubbles)
		if bubbles != 1 {
			t.Errorf("%d bubbles of the message, want 1", bubbles)
		}
	})

	w.Run(t, "14: the cart shows unit prices and line totals; a file chip its size", func(t *testing.T) {
		hub.CustomerSends(t, map[string]any{"connection_id": waba.ID, "from": customer, "type": "order"})
		w.WaitFor("the cart", "q('.msg.in .order tbody tr')", 15*time.Second)
		var cells []string
		w.Eval("Array.from(q('.msg.in .order tbody tr').cells).map((c) => c.innerText)", &cells)
		if len(cells) != 4 || cells[2] == "" || cells[3] == "" {
			t.Errorf("cart row %q: want item, quantity, unit price, line total", cells)
		}
		w.Eval(`(() => { const input = q('.composer input[type=file]'); const dt = new DataTransfer();
			dt.items.add(new File(["x".repeat(2048)], "price-list-with-a-rather-long-name-2026.txt", { type: "text/plain" }));
			input.files = dt.files; input.dispatchEvent(new Event("change", { bubbles: true })); return true; })()`, nil)
		w.WaitFor("the chip with its size", "q('.pending .chip .chip-size') && text('.pending .chip .chip-size') === "+JS("2 "+w.T("app.unit.KB")), 10*time.Second)
		w.Screenshot("details-chip-and-cart")
	})

	w.Run(t, "1: a PDF previews in the window, pdf.js loaded only then", func(t *testing.T) {
		hub.CustomerSends(t, map[string]any{"connection_id": waba.ID, "from": customer, "type": "file"})
		card := "qa('.msg.in .file').reverse().find((f) => f.innerText.includes('.pdf'))"
		w.WaitFor("the PDF's card", card+" && "+card+".querySelector('button')", 15*time.Second)
		var early bool
		w.Eval("doc().defaultView.performance.getEntriesByType('resource').some((e) => e.name.includes('pdf.worker'))", &early)
		if early {
			t.Error("pdf.js was loaded before any preview")
		}
		w.Eval("click("+card+".querySelector('button'))", nil)
		w.WaitFor("a page drawn on a canvas", "q('.dialog canvas.pdf-page[data-rendered=true]') && q('.dialog canvas.pdf-page').width > 0", 20*time.Second)
		var blank bool
		w.Eval(`(() => { const c = q('.dialog canvas.pdf-page'); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
			for (let i = 0; i < d.length; i += 4) if (d[i] < 200) return false; return true; })()`, &blank)
		if blank {
			t.Error("the PDF page is blank")
		}
		w.Screenshot("details-pdf-preview")
		w.Eval("key(doc().body, 'Escape')", nil)
		w.WaitFor("the preview closed by Esc", "!q('.dialog')", 5*time.Second)
	})

	w.Run(t, "3: a group's messages show who wrote them", func(t *testing.T) {
		bot := sb.Connection(t, "telegram_bot", true)
		hub.CustomerSends(t, map[string]any{"connection_id": bot.ID, "group": true, "type": "text", "text": "Кто сегодня на складе?",
			"from": map[string]any{"telegram_user_id": 700200, "name": "Олег из группы"}})
		row := "qa('.row.group .row-main').find((b) => b.innerText.includes('Кто сегодня на складе?'))"
		w.WaitFor("the group's preview with the author", row+" && "+row+".querySelector('.preview').innerText === 'Олег из группы: Кто сегодня на складе?'", 20*time.Second)
		w.Eval("click("+row+")", nil)
		w.WaitFor("the author over the bubble", bubble("Кто сегодня на складе?")+" && "+bubble("Кто сегодня на складе?")+".querySelector('.author').innerText === 'Олег из группы'", 10*time.Second)
	})

	w.Run(t, "14: the search placeholder fits", func(t *testing.T) {
		var fits bool
		w.Eval(`(() => { const i = q('.search input'); const c = doc().createElement('canvas').getContext('2d'); const s = getComputedStyle(i);
			c.font = s.fontSize + ' ' + s.fontFamily; return c.measureText(i.placeholder).width <= i.clientWidth - 16; })()`, &fits)
		if !fits {
			t.Error("the search placeholder is cut")
		}
	})
}

// Issue 11 #15: a new customer's first message shows at once for the manager the CRM gives
// them to, not only for admins: once the customer is linked to the CRM contact, the chat is sent
// again to everyone who may now see it.
func TestNewCustomersFirstMessageReachesTheirManagerLive(t *testing.T) {
	requireApp(t)
	hub := StartHub(t)
	sb := hub.WaitSandbox(t)
	waba := sb.Connection(t, "waba", true)
	own := sb.User(t, "own-only manager", func(u SandboxUser) bool { return u.ID == sandboxamo.DemoOwnRU })
	w := openWindow(t, hub, own, 1280, 800, "&mode=page")
	w.WaitFor("the first list", "q('.entry')", 20*time.Second)
	// Екатерина Орлова (CRM contact 20012, this manager's) writes for the first time.
	hub.CustomerSends(t, map[string]any{"connection_id": waba.ID, "type": "text", "text": "Здравствуйте, это Катя, есть вопрос по заказу",
		"from": map[string]any{"phone": "+7 903 111-22-33", "name": "Катя"}})
	w.WaitFor("the new customer's row, without a reload", "qa('.row .preview').some((p) => p.innerText.includes('есть вопрос по заказу'))", 20*time.Second)
}

// Issue 11 #8: a contact card opens the chat of the last conversation (the latest message either
// way), not the unanswered chat that sorts first. Татьяна Лебедева (CRM contact 20004) writes on
// WhatsApp, then on Telegram; the WhatsApp chat is answered after that, so it is the last
// conversation while the Telegram chat stays unanswered.
func TestContactCardOpensTheLastConversation(t *testing.T) {
	requireApp(t)
	hub := StartHub(t)
	sb := hub.WaitSandbox(t)
	waba := sb.Connection(t, "waba", true)
	bot := sb.Connection(t, "telegram_bot", true)
	admin := sb.User(t, "admin", func(u SandboxUser) bool { return u.IsAdmin })
	token := hub.Session(t, admin.ID)
	hub.CustomerSends(t, map[string]any{"connection_id": waba.ID, "type": "text", "text": "Вопрос в WhatsApp",
		"from": map[string]any{"phone": "+7 925 777 88 99", "name": "Татьяна Лебедева"}})
	waitStored(t, hub, token, "79257778899", "Вопрос в WhatsApp")
	hub.CustomerSends(t, map[string]any{"connection_id": bot.ID, "type": "text", "text": "Вопрос в Telegram",
		"from": map[string]any{"telegram_user_id": 512340201, "telegram_username": "t_lebedeva", "name": "Татьяна Лебедева"}})
	waitStored(t, hub, token, "t_lebedeva", "Вопрос в Telegram")
	wa := chatOf(t, hub, token, "79257778899", waba.ID)
	hub.API(t, token, "POST", "/api/v1/chats/"+wa+"/messages", map[string]any{"client_id": "last-1", "text": "Ответ в WhatsApp"}, nil)
	waitStored(t, hub, token, "79257778899", "Ответ в WhatsApp")

	w := openWindow(t, hub, admin, 480, 800, "&mode=card&crm_contact_id=20004")
	w.WaitFor("the WhatsApp chat open, with the latest message", "q('.chat-head') && "+bubble("Ответ в WhatsApp"), 20*time.Second)
	var sub string
	w.Eval("text('.chat-head .sub')", &sub)
	if !strings.Contains(sub, waba.Name) {
		t.Errorf("the card opened the chat on %q, want the last conversation on %q", sub, waba.Name)
	}
}

// Issue 11 #10 and #11: a new chat from a contact names them and fills in their number; a
// blocked chat's refused counter grows live; a failed send marks its row.
func TestCreateFromAContactAndLiveStatus(t *testing.T) {
	requireApp(t)
	hub := StartHub(t)
	sb := hub.WaitSandbox(t)
	waba := sb.Connection(t, "waba", true)
	admin := sb.User(t, "admin", func(u SandboxUser) bool { return u.IsAdmin })
	token := hub.Session(t, admin.ID)
	customer := map[string]any{"phone": "+7 916 555-66-11", "name": "Зоя Блокова"}
	hub.CustomerSends(t, map[string]any{"connection_id": waba.ID, "from": customer, "type": "text", "text": "Здравствуйте"})
	waitStored(t, hub, token, "5556611", "Здравствуйте")
	w := openWindow(t, hub, admin, 1280, 800, "&mode=page")
	w.openChat("Зоя Блокова")

	w.Run(t, "10: a new chat from the contact names them and fills in the number", func(t *testing.T) {
		w.menuItems()
		w.clickText("[role=menuitem]", w.T("app.menu.new_chat"))
		w.WaitFor("the dialog named for the contact", "q('.dialog h2') && text('.dialog h2') === "+JS(w.T("app.create.for_name", "name", "Зоя Блокова")), 10*time.Second)
		w.WaitFor("the number filled in", "q('.dialog input[name=target]').value === '+79165556611'", 10*time.Second)
		w.Eval("key(doc().body, 'Escape')", nil)
		w.WaitFor("the dialog closed", "!q('.dialog')", 5*time.Second)
	})

	w.Run(t, "11: the refused counter of a blocked chat grows live", func(t *testing.T) {
		c, ok := findByPhone(t, hub, token, "+79165556611")
		if !ok {
			t.Fatal("the customer is not listed")
		}
		contact := c.Contact.ID
		hub.API(t, token, "PUT", "/api/v1/contacts/"+contact+"/block", nil, nil)
		w.WaitFor("the composer says blocked", "text('.composer.disabled') !== ''", 10*time.Second)
		hub.CustomerSends(t, map[string]any{"connection_id": waba.ID, "from": customer, "type": "text", "text": "Ау, вы где?"})
		w.WaitFor("the refused counter", "text('.bar-info') === "+JS(w.T("app.blocked.refused", "n", 1)), 15*time.Second)
		hub.CustomerSends(t, map[string]any{"connection_id": waba.ID, "from": customer, "type": "text", "text": "Ау?"})
		w.WaitFor("the refused counter at 2", "text('.bar-info') === "+JS(w.T("app.blocked.refused", "n", 2)), 15*time.Second)
		hub.API(t, token, "DELETE", "/api/v1/contacts/"+contact+"/block", nil, nil)
		w.WaitFor("the composer back", "q('.composer textarea')", 10*time.Second)
	})
}
