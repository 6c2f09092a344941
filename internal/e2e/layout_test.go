package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	sandboxamo "github.com/switchboardhq/switchboard/internal/sandbox/amocrm"
	"github.com/switchboardhq/switchboard/internal/testwait"
)

// Resize gives the page a new viewport, as a CRM card or a phone of that size would.
func (b *Browser) Resize(width, height int) {
	b.t.Helper()
	b.Do(10*time.Second, chromedp.EmulateViewport(int64(width), int64(height)))
}

// layoutJS measures what the width tests assert, in the chat window's own document: whether
// anything scrolls sideways, the composer's and the frame's widths, the header's height, and
// which of "+", search, badges and times stick out of the frame.
const layoutJS = `(() => {
	const d = doc(), win = d.defaultView, W = win.innerWidth;
	const out = (e) => { const r = e.getBoundingClientRect(); return r.width > 0 && (r.left < -0.5 || r.right > W + 0.5); };
	const outside = [];
	for (const sel of ['.search input', '.search .plus', '.row .badge', '.row .when', '.row .name', '.chat-head .menu', '.chat-head .back', '.composer .send', '.composer textarea']) {
		for (const e of d.querySelectorAll(sel)) if (out(e)) outside.push(sel + ' ' + Math.round(e.getBoundingClientRect().right));
	}
	const ta = d.querySelector('.composer textarea'), head = d.querySelector('.chat-head');
	return { scroll: d.documentElement.scrollWidth, inner: W, composer: ta && ta.getClientRects().length ? ta.getBoundingClientRect().width : -1,
		head: head && head.getClientRects().length ? head.getBoundingClientRect().height : -1, outside };
})()`

type layout struct {
	Scroll, Inner int
	Composer      float64
	Head          float64
	Outside       []string
}

// checkLayout fails the test when the window scrolls sideways or a control sticks out; with
// chat set, also when the composer is narrower than half the frame or the header has more than
// one row.
func (w *window) checkLayout(t *testing.T, what string, chat bool) {
	t.Helper()
	var l layout
	w.Eval(layoutJS, &l)
	if l.Scroll > l.Inner {
		t.Errorf("%s: the page scrolls sideways: scrollWidth %d > innerWidth %d", what, l.Scroll, l.Inner)
	}
	if len(l.Outside) > 0 {
		t.Errorf("%s: outside the %d px frame: %s", what, l.Inner, strings.Join(l.Outside, ", "))
	}
	if !chat {
		return
	}
	if l.Composer < float64(l.Inner)/2 {
		t.Errorf("%s: the composer is %.0f px wide, less than half the %d px frame", what, l.Composer, l.Inner)
	}
	if l.Head <= 0 || l.Head > 64 {
		t.Errorf("%s: the chat header is %.0f px high (one row is at most 64)", what, l.Head)
	}
}

// The chat window lays out by its frame's width at the sizes amoCRM and phones give it, in the
// full page and in a card, with a very long contact name and a very long customer message (an
// unbroken string and a URL among it): nothing scrolls sideways, the composer keeps at least
// half the width, the header stays one row, and "+", search, badges and times stay in view.
func TestChatWindowLayoutAtEveryWidth(t *testing.T) {
	requireApp(t)
	hub := StartHub(t)
	sb := hub.WaitSandbox(t)
	admin := sb.User(t, "admin", func(u SandboxUser) bool { return u.IsAdmin })
	waba := sb.Connection(t, "waba", true)
	longName := "Александра Константиновна Великорецкая-Преображенская-Оболенская"
	longText := "Здравствуйте! Вот номер заказа и ссылка: https://shop.example.com/orders/" + strings.Repeat("a1b2c3d4", 30) +
		"?utm_source=whatsapp&utm_medium=chat " + strings.Repeat("ОченьДлинноеСловоБезПробелов", 12) + " — подскажите, когда доставка?"
	hub.CustomerSends(t, map[string]any{"connection_id": waba.ID, "type": "text", "text": longText,
		"from": map[string]any{"phone": "+7 903 555-44-33", "name": longName}})
	token := hub.Session(t, admin.ID)
	var c listedContact
	testwait.Until(t, "the long-named customer listed with a CRM contact", func() bool {
		found, ok := findByPhone(t, hub, token, "+79035554433")
		c = found
		return ok && len(c.Contact.CRMContactIDs) > 0
	})
	shortName := "Великорецкая" // a word of the name that the ellipsized row still shows

	for _, mode := range []string{"page", "card"} {
		query := "&mode=page"
		if mode == "card" {
			query = "&mode=card&crm_contact_id=" + fmtInt(c.Contact.CRMContactIDs[0])
		}
		w := openWindow(t, hub, admin, 1440, 900, query)
		for _, width := range []int{360, 480, 560, 768, 1440} {
			w.Run(t, fmt.Sprintf("%s at %d px", mode, width), func(t *testing.T) {
				w.Resize(width, 800)
				w.Open(hub.AppURL(admin.ID, query))
				row := fmt.Sprintf("qa('.row-main').find((b) => b.innerText.includes(%s))", JS(shortName))
				name := fmt.Sprintf("%s_%s_%d", "layout", mode, width)
				if mode == "page" {
					w.WaitFor("the long-named customer's row", row, 20*time.Second)
					w.WaitFor("its badge and time", row+".querySelector('.badge') && "+row+".querySelector('.when')", 10*time.Second)
					w.checkLayout(t, "the list", false)
					w.Screenshot(name + "_list")
					w.Eval("click("+row+")", nil)
				}
				w.WaitFor("the chat open", "q('.chat-head') && "+bubble("подскажите, когда доставка"), 20*time.Second)
				w.WaitFor("the composer", "q('.composer textarea')", 10*time.Second)
				w.checkLayout(t, "the chat", true)
				w.Screenshot(name + "_chat")
				var panes bool
				w.Eval("seen('.side') && seen('.chat-view')", &panes)
				if panes != (width >= 700) {
					t.Errorf("list and chat side by side: %v at %d px (two panes from 700 px)", panes, width)
				}
				if width < 700 {
					w.Eval("click('.chat-head .back')", nil)
					w.WaitFor("the list step", "seen('.side') && !seen('.chat-view') && "+row, 5*time.Second)
					w.checkLayout(t, "the list after Back", false)
					if mode == "card" {
						w.Screenshot(name + "_list")
					}
				}
			})
		}
	}
}

// In the sandbox CRM at 1180×800 the deal card's feed is about 450 px wide: the window shows
// one pane at a time there, so the chat gets the whole feed, not a strip beside the list.
func TestChatWindowInACRMCardAt1180(t *testing.T) {
	requireApp(t)
	hub := StartHub(t)
	sb := hub.WaitSandbox(t)
	seedDemoChats(t, hub, sb, sb.Connection(t, "waba", true))
	w := &window{Browser: NewBrowser(t, 1180, 800), lang: "ru"}
	w.Open(fmt.Sprintf("%s/sandbox/amocrm/leads/detail/%d?as=%d", hub.URL, dealTwoContacts, sandboxamo.DemoAdmin))
	w.WaitFor("the widget's button", `document.querySelector('#widgets_block [data-switchboard-open="card"]')`, 15*time.Second)
	w.Eval(`click(document.querySelector('[data-switchboard-open="card"]'))`, nil)
	w.WaitFor("the card window with a chat open", "doc() !== document && q('.app.card') && q('.composer textarea')", 20*time.Second)
	var size struct{ Frame, Chat, Composer float64 }
	w.Eval(`({ Frame: doc().defaultView.innerWidth, Chat: q('.chat-view').getBoundingClientRect().width,
		Composer: q('.composer textarea').getBoundingClientRect().width })`, &size)
	if size.Chat < size.Frame-1 || size.Composer < size.Frame/2 {
		t.Errorf("in a %.0f px card the chat is %.0f px and the composer %.0f px wide", size.Frame, size.Chat, size.Composer)
	}
	w.typeAndEnter("Проверка ширины: сообщение набирается по словам, а не по буквам")
	w.waitBubble("Проверка ширины")
	w.checkLayout(t, "the card at 1180×800", true)
	w.Screenshot("crm-deal-card-1180")
}
