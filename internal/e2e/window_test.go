package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/switchboardhq/switchboard/internal/i18n"
)

// window drives the chat window as one demo user sees it, in that user's language.
type window struct {
	*Browser
	lang string
}

func openWindow(t *testing.T, hub *SandboxInstance, user SandboxUser, width, height int, query string) *window {
	t.Helper()
	w := &window{Browser: NewBrowser(t, width, height), lang: i18n.Lang(user.Lang)}
	w.Open(hub.AppURL(user.ID, query))
	w.WaitFor("the chat window to sign in", "q('.app')", 20*time.Second)
	return w
}

// T is the catalogue text of key in the window's language, with {name} filled from pairs.
func (w *window) T(key string, pairs ...any) string {
	s := i18n.T(w.lang, key)
	for i := 0; i+1 < len(pairs); i += 2 {
		s = strings.ReplaceAll(s, fmt.Sprintf("{%v}", pairs[i]), fmt.Sprint(pairs[i+1]))
	}
	return s
}

// rowOf is a JS expression for the list row (button) of the contact or chat named name.
func rowOf(name string) string {
	return fmt.Sprintf("qa('.row-main').find((b) => { const n = b.querySelector('.name'); return n && n.innerText.trim() === %s; })", JS(name))
}

func (w *window) waitRow(name string) {
	w.t.Helper()
	w.WaitFor("the list row of "+name, rowOf(name), 15*time.Second)
}

func (w *window) openChat(name string) {
	w.t.Helper()
	w.waitRow(name)
	w.Eval("click("+rowOf(name)+")", nil)
	w.WaitFor("the chat of "+name+" to open", fmt.Sprintf("text('.chat-head .name').includes(%s)", JS(name)), 10*time.Second)
}

// typeAndEnter types text into the composer with real key presses and presses Enter.
func (w *window) typeAndEnter(text string) {
	w.t.Helper()
	w.Eval("(q('.composer textarea').focus(), true)", nil)
	w.Do(10*time.Second, chromedp.KeyEvent(text), chromedp.KeyEvent(kb.Enter))
}

// bubble is a JS expression for the last message bubble whose text includes s.
func bubble(s string) string {
	return fmt.Sprintf("qa('.msg').reverse().find((m) => m.innerText.includes(%s))", JS(s))
}

func (w *window) waitBubble(s string) {
	w.t.Helper()
	w.WaitFor("a message saying "+s, bubble(s), 15*time.Second)
}

// clickText clicks the first element matching sel whose text includes s.
func (w *window) clickText(sel, s string) {
	w.t.Helper()
	w.WaitFor(sel+" "+s, fmt.Sprintf("byText(%s, %s)", JS(sel), JS(s)), 10*time.Second)
	w.Eval(fmt.Sprintf("click(byText(%s, %s))", JS(sel), JS(s)), nil)
}

func (w *window) menuItems() []string {
	w.t.Helper()
	w.Eval("click('.chat-head .menu .icon-btn')", nil)
	w.WaitFor("the ⋮ menu", "q('[role=menu]')", 5*time.Second)
	var items []string
	w.Eval("qa('[role=menuitem]').map((b) => b.innerText.trim())", &items)
	return items
}

func fmtInt(n int64) string { return fmt.Sprint(n) }
