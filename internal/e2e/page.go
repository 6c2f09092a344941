package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/switchboardhq/switchboard/internal/testwait"
)

// helpers is JavaScript put before every expression the tests evaluate. It finds the chat
// window's document whether the page is the window itself or the sandbox CRM shell holding it
// in a (same-origin) iframe, and acts on it the way a person would see it.
const helpers = `
var doc = () => { const f = document.querySelector('iframe[src*="/app/"]'); return (f && f.contentDocument && f.contentDocument.querySelector('#root')) ? f.contentDocument : document; };
var q = (sel) => doc().querySelector(sel);
var qa = (sel) => Array.from(doc().querySelectorAll(sel));
var text = (sel) => { const e = q(sel); return e ? e.innerText : ""; };
var seen = (sel) => { const e = q(sel); return !!e && e.getClientRects().length > 0; };
var byText = (sel, t) => qa(sel).find((e) => e.innerText.includes(t));
var click = (el) => { if (typeof el === "string") el = q(el); if (!el) return false; el.click(); return true; };
var type = (el, value) => {
  if (typeof el === "string") el = q(el);
  if (!el) return false;
  const proto = el.tagName === "TEXTAREA" ? HTMLTextAreaElement.prototype : el.tagName === "SELECT" ? HTMLSelectElement.prototype : HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(proto, "value").set.call(el, value);
  el.dispatchEvent(new Event(el.tagName === "SELECT" ? "change" : "input", { bubbles: true }));
  return true;
};
var key = (el, k, opts) => { if (typeof el === "string") el = q(el); if (!el) return false; el.dispatchEvent(new KeyboardEvent("keydown", Object.assign({ key: k, bubbles: true }, opts || {}))); return true; };
`

// Open loads url in the tab.
func (b *Browser) Open(url string) {
	b.t.Helper()
	b.Do(30*time.Second, chromedp.Navigate(url))
}

// Eval runs a JavaScript expression (with the helpers above) and decodes its value into out
// (nil to ignore it).
func (b *Browser) Eval(js string, out any) {
	b.t.Helper()
	if err := b.eval(js, out); err != nil {
		b.fail("evaluating %s: %v", js, err)
	}
}

func (b *Browser) eval(js string, out any) error {
	ctx, cancel := context.WithTimeout(b.Ctx, 15*time.Second)
	defer cancel()
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](helpers+"\n;(() => { return ("+js+"); })()"))
	if err != nil {
		return err
	}
	if out == nil || len(raw) == 0 {
		return nil
	}
	return json.Unmarshal(raw, out)
}

// WaitFor waits until cond is true in the page, failing the test with what (and a screenshot)
// when it is not after timeout, or after testwait.Bound when that is longer: timeout is how long
// the step should take, and a machine whose cores are all busy may take longer without the
// product being wrong. A passing step returns as soon as cond holds.
func (b *Browser) WaitFor(what, cond string, timeout time.Duration) {
	b.t.Helper()
	timeout = max(timeout, testwait.Bound)
	var last error
	if !testwait.Within(timeout, func() bool {
		var ok bool
		last = b.eval("!!("+cond+")", &ok)
		return last == nil && ok
	}) {
		b.fail("waiting %s for %s (%s): %v", timeout, what, cond, last)
	}
}

// Within reports whether cond became true in the page within timeout, without failing the test.
func (b *Browser) Within(cond string, timeout time.Duration) bool {
	return testwait.Within(timeout, func() bool {
		var ok bool
		return b.eval("!!("+cond+")", &ok) == nil && ok
	})
}

// Text returns the visible text of the first element matching sel in the chat window.
func (b *Browser) Text(sel string) string {
	b.t.Helper()
	var s string
	b.Eval(fmt.Sprintf("text(%q)", sel), &s)
	return s
}

// JS quotes s as a JavaScript string literal.
func JS(s string) string {
	out, _ := json.Marshal(s)
	return string(out)
}

// Hover moves the real mouse over the element that the JavaScript expression el gives, in the
// chat window's document (inside its iframe or not), so :hover styles and tooltips show.
func (b *Browser) Hover(el string) {
	b.t.Helper()
	var at struct{ X, Y float64 }
	b.Eval(`(() => { const e = `+el+`; const r = e.getBoundingClientRect(); let x = r.left + r.width / 2, y = r.top + r.height / 2;
		const f = e.ownerDocument.defaultView.frameElement; if (f) { const fr = f.getBoundingClientRect(); x += fr.left; y += fr.top; }
		return { X: x, Y: y }; })()`, &at)
	b.Do(5*time.Second, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, at.X, at.Y))
}

// InFrame runs a JavaScript statement as a script of the frame whose URL contains urlPart (so
// what it posts comes from that frame). It runs in an isolated world of the frame, as DevTools
// and extensions do: the chat window's Content-Security-Policy lets no test inject a script
// into the page itself (no eval, no inline script), and the test must not weaken it.
func (b *Browser) InFrame(urlPart, js string) {
	b.t.Helper()
	tree, err := chromedp.Call(b.Ctx, page.GetFrameTree, cdp.Empty{})
	if err != nil {
		b.fail("frame tree: %v", err)
	}
	var find func(t *page.FrameTree) *cdp.Frame
	find = func(t *page.FrameTree) *cdp.Frame {
		if t.Frame != nil && strings.Contains(t.Frame.URL, urlPart) {
			return t.Frame
		}
		for _, c := range t.ChildFrames {
			if f := find(c); f != nil {
				return f
			}
		}
		return nil
	}
	f := find(tree.FrameTree)
	if f == nil {
		b.fail("no frame at a URL with %q", urlPart)
	}
	world, err := chromedp.Call(b.Ctx, page.CreateIsolatedWorld, page.CreateIsolatedWorldParams{FrameID: f.ID, WorldName: "e2e"})
	if err != nil {
		b.fail("isolated world: %v", err)
	}
	res, err := chromedp.Call(b.Ctx, runtime.Evaluate, runtime.EvaluateParams{Expression: js, ContextID: world.ExecutionContextID})
	if err == nil && res.ExceptionDetails != nil {
		err = fmt.Errorf("%s", res.ExceptionDetails.Text)
	}
	if err != nil {
		b.fail("in frame %s: %s: %v", urlPart, js, err)
	}
}
