package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/i18n"
	sandboxamo "github.com/switchboardhq/switchboard/internal/sandbox/amocrm"
	"github.com/switchboardhq/switchboard/internal/testwait"
)

// The chat window as people meet it: inside the sandbox CRM shell, loaded by the real widget
// script, from the left menu (admin), a deal card (group manager) and a contact card (own-only
// manager); the app's × closes the card window.
func TestChatWindowInsideTheCRM(t *testing.T) {
	requireApp(t)
	hub := StartHub(t)
	sb := hub.WaitSandbox(t)
	seedDemoChats(t, hub, sb, sb.Connection(t, "waba", true))

	t.Run("left menu, as the admin", func(t *testing.T) {
		w := &window{Browser: NewBrowser(t, 1440, 900), lang: "ru"}
		w.Open(fmt.Sprintf("%s/sandbox/amocrm/widget-page?as=%d", hub.URL, sandboxamo.DemoAdmin))
		w.WaitFor("the chat window in the page", "doc() !== document && q('.app.page')", 20*time.Second)
		w.waitRow("Michael Brown")
		logFirstLoad(t, w.Browser, "left-menu page", "")
		// B8: the CRM tab's title carries the unanswered count (the window's own title is not the tab's).
		w.WaitFor("the unanswered count in the CRM tab's title", "/^\\(\\d+\\) /.test(document.title)", 10*time.Second)
		w.openChat("Иван Петров")
		w.waitBubble("Добрый день, Иван Петров")
		w.Screenshot("crm-left-menu-admin")
	})

	t.Run("left menu, 50 ms per request", func(t *testing.T) {
		// The same first load as a manager farther from the hub than loopback sees it (the
		// first load's figures, docs/performance.md).
		b := NewBrowser(t, 1440, 900)
		b.Latency(50, "")
		b.Open(fmt.Sprintf("%s/sandbox/amocrm/widget-page?as=%d", hub.URL, sandboxamo.DemoAdmin))
		logFirstLoad(t, b, "left-menu page, 50 ms per request", "")
	})

	t.Run("deal card, as a group manager", func(t *testing.T) {
		w := openCard(t, fmt.Sprintf("%s/sandbox/amocrm/leads/detail/%d?as=%d", hub.URL, dealTwoContacts, sandboxamo.DemoGroupRU))
		w.WaitFor("the card window", "doc() !== document && q('.app.card')", 20*time.Second)
		w.waitRow("Сергей Морозов")
		w.waitRow("Татьяна Лебедева")
		logFirstLoad(t, w.Browser, "deal card", "the click on the widget's button")
		w.WaitFor("a chat open", "q('.chat-head')", 10*time.Second)
		w.Screenshot("crm-deal-card")
		w.Eval("click('.close')", nil)
		w.WaitFor("the × to close the window", `!document.querySelector('iframe[src*="/app/"]')`, 10*time.Second)
	})

	t.Run("contact card, as an own-only manager", func(t *testing.T) {
		w := openCard(t, fmt.Sprintf("%s/sandbox/amocrm/contacts/detail/%d?as=%d", hub.URL, contactOwnRU, sandboxamo.DemoOwnRU))
		w.WaitFor("the contact's chat open", "doc() !== document && text('.chat-head .name').includes('Иван Петров')", 20*time.Second)
		w.typeAndEnter("Иван, добрый день! Счёт отправил на почту.")
		w.waitBubble("Счёт отправил на почту")
		w.Screenshot("crm-contact-card")
	})
}

// openCard opens a CRM card page of the shell and presses the widget's "open chats" button.
func openCard(t *testing.T, url string) *window {
	t.Helper()
	w := &window{Browser: NewBrowser(t, 1440, 900), lang: "ru"}
	w.Open(url)
	w.WaitFor("the widget's button", `document.querySelector('#widgets_block [data-switchboard-open="card"]')`, 15*time.Second)
	w.Eval(`(performance.mark("the click on the widget's button"), click(document.querySelector('[data-switchboard-open="card"]')))`, nil)
	return w
}

// adminWindowUnopened starts a hub and its sandbox and gives its admin and a 1280 × 800 window
// not opened yet, for a test that sets the window's network up before it opens.
func adminWindowUnopened(t *testing.T) (*SandboxInstance, SandboxUser, *window) {
	t.Helper()
	requireApp(t)
	hub := StartHub(t)
	admin := hub.WaitSandbox(t).User(t, "admin", func(u SandboxUser) bool { return u.IsAdmin })
	return hub, admin, &window{Browser: NewBrowser(t, 1280, 800), lang: i18n.Lang(admin.Lang)}
}

// The first list does not wait for the event socket (the first load, docs/performance.md): with
// the socket's ticket not answered yet, the list is drawn.
func TestFirstListDoesNotWaitForTheEventSocket(t *testing.T) {
	requireApp(t)
	hub := StartHub(t)
	sb := hub.WaitSandbox(t)
	seedDemoChats(t, hub, sb, sb.Connection(t, "waba", true))
	admin := sb.User(t, "admin", func(u SandboxUser) bool { return u.IsAdmin })
	// No socket will bring chats stored later: wait until the customers' messages are in.
	session := hub.Session(t, admin.ID)
	testwait.Until(t, "the seeded chats listed", func() bool {
		code, body := hub.APIStatus(t, session, "GET", "/api/v1/chats?scope=all&limit=50", nil)
		return code == 200 && strings.Contains(string(body), "Добрый день, Michael Brown")
	})
	w := &window{Browser: NewBrowser(t, 1280, 800), lang: i18n.Lang(admin.Lang)}
	w.HoldRequests("*/api/v1/events/ticket*")
	w.Open(hub.AppURL(admin.ID, "&mode=page"))
	w.waitRow("Michael Brown")
	var hello bool
	w.Eval("performance.getEntriesByName('switchboard:hello').length > 0", &hello)
	if hello {
		t.Fatal("the socket said hello although its ticket was held")
	}
	w.Screenshot("first-list-without-socket")
}

// The connections, which the first list does not need, are asked for once it is on screen, and
// the list before the event socket's ticket (the first load, docs/performance.md).
func TestFirstListIsAskedForFirst(t *testing.T) {
	hub, admin, w := adminWindowUnopened(t)
	w.Open(hub.AppURL(admin.ID, "&mode=page"))
	// Each step's first time: the socket's hello reloads the list later.
	w.WaitFor("the connections asked for", "performance.getEntriesByType('resource').some((r) => r.name.includes('/api/v1/connections'))", 20*time.Second)
	var order []string
	w.Eval(`[...performance.getEntriesByType('resource').filter((r) => ['/api/v1/chats', '/api/v1/events/ticket', '/api/v1/connections'].includes(new URL(r.name).pathname)),
		...performance.getEntriesByName('switchboard:first-list')].sort((a, b) => a.startTime - b.startTime)
		.map((e) => e.entryType === 'mark' ? 'first list' : new URL(e.name).pathname).filter((n, i, all) => all.indexOf(n) === i)`, &order)
	want := []string{"/api/v1/chats", "/api/v1/events/ticket", "first list", "/api/v1/connections"}
	if strings.Join(order, " ") != strings.Join(want, " ") {
		t.Errorf("the first load's steps came in the order %q, want %q", order, want)
	}
}

// A first list slower than the event socket's hello is drawn when it comes, not thrown away by
// the reload the hello asks for (a card's first page waits for the deal to be re-read from the
// CRM, F33): one request draws it, and the reload comes after.
func TestSlowFirstListIsNotThrownAway(t *testing.T) {
	hub, admin, w := adminWindowUnopened(t)
	w.Latency(3000, "*://*:*/api/v1/chats*")
	w.Open(hub.AppURL(admin.ID, "&mode=page"))
	w.WaitFor("the first list", "performance.getEntriesByName('switchboard:first-list').length", 30*time.Second)
	var requests int
	w.Eval(`performance.getEntriesByType('resource').filter((r) => new URL(r.name).pathname === '/api/v1/chats' &&
		r.startTime < performance.getEntriesByName('switchboard:first-list')[0].startTime).length`, &requests)
	if requests != 1 {
		t.Errorf("%d requests for the chat list before the first list was drawn, want 1", requests)
	}
}
