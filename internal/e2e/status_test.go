package e2e

import (
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/switchboardhq/switchboard/internal/hub"
	sandboxamo "github.com/switchboardhq/switchboard/internal/sandbox/amocrm"
)

// Issue 11 #11: the composer's status lines follow their cause. The subscription ending shows
// its refusal at once (pushed by the hub, before anyone sends); the refused send's error and the
// refusal go when it is active again. A connection taken out of the subscription disables the
// composer at once, with the reason, until it is back. The event socket dropping shows the offline banner; a send
// while offline fails with its error; both go when the socket is back.
func TestChatWindowStatusLinesFollowTheirCause(t *testing.T) {
	requireApp(t)
	h := StartHub(t)
	sb := h.WaitSandbox(t)
	admin := sb.User(t, "admin", func(u SandboxUser) bool { return u.IsAdmin })
	waba := sb.Connection(t, "waba", true)
	h.CustomerSends(t, map[string]any{"connection_id": waba.ID, "from": map[string]any{"phone": "+7 916 555-08-08", "name": "Нина Статусова"},
		"type": "text", "text": "Вы на связи?"})
	ws := workspaceOf(t, h, waba.ID)

	w := openWindow(t, h, admin, 1280, 800, "&mode=page")
	w.openChat("Нина Статусова")
	w.waitBubble("Вы на связи?")
	inactive := w.T("error.subscription_inactive")
	errorLine := "text('.composer .error')"

	w.Run(t, "the subscription ends: its refusal at once, before a send", func(t *testing.T) {
		ended := ws.Subscription
		ended.Active = false
		if err := h.Store.SetSubscription(t.Context(), ws.ID, ended); err != nil {
			t.Fatal(err)
		}
		w.WaitFor("the refusal in the composer", "text('.composer .window-note') === "+JS(inactive), 10*time.Second)
		w.Screenshot("status-subscription-ended")
		w.typeAndEnter("Да, слушаю")
		w.WaitFor("the refused send's error", errorLine+" !== ''", 10*time.Second)
		if w.Within(bubble("Да, слушаю")+" && !"+bubble("Да, слушаю")+".classList.contains('failed')", time.Second) {
			t.Fatal("a message went out while the subscription is inactive")
		}
	})

	w.Run(t, "the subscription is back: refusal and error go", func(t *testing.T) {
		if err := h.Store.SetSubscription(t.Context(), ws.ID, ws.Subscription); err != nil {
			t.Fatal(err)
		}
		w.WaitFor("the refusal and the error to go", "!q('.composer .window-note') && !q('.composer .error')", 10*time.Second)
		w.Do(10*time.Second, chromedp.KeyEvent(kb.Enter))
		w.waitBubble("Да, слушаю")
		w.WaitFor("the text sent", "q('.composer textarea').value === ''", 10*time.Second)
	})

	w.Run(t, "the connection leaves the subscription and comes back", func(t *testing.T) {
		if err := h.Store.SetConnectionInSubscription(t.Context(), ws.ID, waba.ID, false); err != nil {
			t.Fatal(err)
		}
		w.WaitFor("the composer to say why, at once", "text('.composer.disabled').includes("+JS(w.T("error.connection_not_in_subscription"))+")", 10*time.Second)
		if err := h.Store.SetConnectionInSubscription(t.Context(), ws.ID, waba.ID, true); err != nil {
			t.Fatal(err)
		}
		w.WaitFor("the composer back", "q('.composer textarea') && !q('.composer.disabled')", 10*time.Second)
	})

	w.Run(t, "the socket drops: the banner, a failed send; both go when it is back", func(t *testing.T) {
		network := w.T("app.error.network")
		h = h.Restart(t, func() {
			w.WaitFor("the offline banner", "seen('.offline') && text('.offline') === "+JS(w.T("app.offline")), 30*time.Second)
			w.typeAndEnter("Пока нет связи")
			w.WaitFor("the send's network error", errorLine+" === "+JS(network), 10*time.Second)
			w.Screenshot("status-offline")
		})
		h.WaitSandbox(t)
		// (chromedp's Enter also sends a char event after the keydown, which puts a line break in
		// the box that a person's Enter does not: the text is compared trimmed.)
		w.WaitFor("the banner and the error gone, the text kept", "!q('.offline') && !q('.composer .error') && q('.composer textarea').value.trim() === 'Пока нет связи'", 60*time.Second)
	})
}

// workspaceOf finds the workspace holding the connection.
func workspaceOf(t *testing.T, h *SandboxInstance, connectionID string) hub.Workspace {
	t.Helper()
	all, err := h.Store.Workspaces(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, ws := range all {
		if _, err := h.Store.Connection(t.Context(), ws.ID, connectionID); err == nil {
			return ws
		}
	}
	t.Fatalf("no workspace holds connection %s", connectionID)
	return hub.Workspace{}
}

// Esc inside the chat window opened full screen over a CRM page closes the innermost thing
// first (here the template picker), then the widget's overlay; Esc on the CRM page closes it too.
func TestEscClosesTheWidgetOverlay(t *testing.T) {
	requireApp(t)
	h := StartHub(t)
	h.WaitSandbox(t)
	w := &window{Browser: NewBrowser(t, 1280, 800), lang: "ru"}
	w.Open(fmt.Sprintf("%s/sandbox/amocrm/leads/detail/%d?as=%d", h.URL, dealTwoContacts, sandboxamo.DemoAdmin))
	overlay := `document.querySelector('iframe[src*="/app/"]')`
	open := func() {
		w.WaitFor("the widget's full-screen button", `document.querySelector('[data-switchboard-open="page"]')`, 15*time.Second)
		w.Eval(`click(document.querySelector('[data-switchboard-open="page"]'))`, nil)
		w.WaitFor("the chat window in the overlay", "doc() !== document && q('.app.page') && q('.chat-head')", 20*time.Second)
	}
	esc := func() { w.Do(5*time.Second, chromedp.KeyEvent(kb.Escape)) }

	open()
	w.Eval("(q('.composer textarea').focus(), click(qa('.composer-row .icon-btn')[0]))", nil)
	w.WaitFor("the template picker, focused", "q('.dialog') && doc().activeElement === q('.template-search')", 10*time.Second)
	w.Screenshot("overlay-picker")
	esc()
	w.WaitFor("Esc to close the picker, not the overlay", "!q('.dialog') && "+overlay, 5*time.Second)
	w.Eval("q('.search input').focus()", nil)
	esc()
	w.WaitFor("Esc in the window to close the overlay", "!"+overlay, 5*time.Second)

	open()
	w.Eval("(document.activeElement && document.activeElement.blur(), window.focus(), true)", nil)
	esc()
	w.WaitFor("Esc on the CRM page to close the overlay", "!"+overlay, 5*time.Second)
}
