package e2e

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// The border between the chat list and the chat moves (issue 11): dragged with the pointer or
// moved with ←/→, Home and End on the focused handle, between 240 px and half the frame (at most
// 600 px), remembered per employee across reloads; a frame narrower than 700 px stays one pane
// with no handle.
func TestChatListSplitIsResizable(t *testing.T) {
	requireApp(t)
	hub := StartHub(t)
	sb := hub.WaitSandbox(t)
	admin := sb.User(t, "admin", func(u SandboxUser) bool { return u.IsAdmin })
	other := sb.User(t, "another employee", func(u SandboxUser) bool { return u.ID != admin.ID })
	w := openWindow(t, hub, admin, 1440, 900, "&mode=page")
	w.WaitFor("a chat open beside the list", "q('.chat-head') && seen('.splitter')", 20*time.Second)
	listW := func() float64 {
		var v float64
		w.Eval("q('.app > .side').getBoundingClientRect().width", &v)
		return v
	}
	near := func(what string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 2 {
			t.Fatalf("%s: the list is %.0f px wide, want %.0f", what, got, want)
		}
	}
	start := listW()
	near("by default, a third of 1440 px up to 380", start, 380)

	w.Run(t, "dragged with the pointer, within half the frame", func(t *testing.T) {
		var at struct{ X, Y float64 }
		w.Eval("(() => { const r = q('.splitter').getBoundingClientRect(); return { X: r.left + r.width / 2, Y: r.top + r.height / 2 }; })()", &at)
		held := func(p *input.DispatchMouseEventParams) { p.Button, p.Buttons = input.MouseButtonLeft, 1 }
		w.Do(5*time.Second,
			chromedp.MouseEvent(input.DispatchMouseEventTypeMousePressed, at.X, at.Y, chromedp.ButtonLeft, chromedp.ClickCount(1)),
			chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, at.X+60, at.Y, held),
			chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, at.X+150, at.Y, held),
			chromedp.MouseEvent(input.DispatchMouseEventTypeMouseReleased, at.X+150, at.Y, chromedp.ButtonLeft, chromedp.ClickCount(1)))
		near("after a drag of 150 px", listW(), start+150)
		w.Screenshot("split-1440-dragged")
		w.Do(5*time.Second,
			chromedp.MouseEvent(input.DispatchMouseEventTypeMousePressed, at.X+150, at.Y, chromedp.ButtonLeft, chromedp.ClickCount(1)),
			chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, at.X+900, at.Y, held),
			chromedp.MouseEvent(input.DispatchMouseEventTypeMouseReleased, at.X+900, at.Y, chromedp.ButtonLeft, chromedp.ClickCount(1)))
		near("dragged far right: at most 600 px", listW(), 600)
		w.checkLayout(t, "the widest list at 1440 px", true)
	})

	w.Run(t, "moved with the keyboard", func(t *testing.T) {
		w.Eval("q('.splitter').focus()", nil)
		w.Do(5*time.Second, chromedp.KeyEvent(kb.Home))
		near("Home", listW(), 240)
		w.Do(5*time.Second, chromedp.KeyEvent(kb.ArrowRight), chromedp.KeyEvent(kb.ArrowRight))
		near("→ →", listW(), 272)
		w.Do(5*time.Second, chromedp.KeyEvent(kb.ArrowLeft))
		near("←", listW(), 256)
		var now string
		w.Eval("q('.splitter').getAttribute('aria-valuenow')", &now)
		if now != "256" {
			t.Fatalf("aria-valuenow %q, want 256", now)
		}
	})

	w.Run(t, "remembered for the employee, not for another", func(t *testing.T) {
		w.Eval("(doc().defaultView.location.reload(), true)", nil)
		w.WaitFor("the window back, the list as it was left", "q('.app .side') && Math.abs(q('.app > .side').getBoundingClientRect().width - 256) <= 2", 20*time.Second)
		w.Open(hub.AppURL(other.ID, "&mode=page"))
		w.WaitFor("another employee's window", "q('.app .side') && q('.entry')", 20*time.Second)
		near("another employee's list", listW(), start)
		w.Open(hub.AppURL(admin.ID, "&mode=page"))
		w.WaitFor("the admin's window again", "q('.app .side') && q('.entry')", 20*time.Second)
		near("the admin's list", listW(), 256)
	})

	w.Run(t, "narrower frames", func(t *testing.T) {
		w.Eval("q('.splitter').focus()", nil)
		w.Do(5*time.Second, chromedp.KeyEvent(kb.End))
		near("End at 1440 px", listW(), 600)
		w.Resize(900, 800)
		near("600 px in a 900 px frame: half of it", listW(), 450)
		w.checkLayout(t, "900 px with the widest list", false)
		for _, width := range []int{600, 480, 360} {
			w.Resize(width, 760)
			w.WaitFor(fmt.Sprintf("one pane and no handle at %d px", width), "!seen('.splitter') && (!seen('.app > .side') || !seen('.app > .main'))", 5*time.Second)
			w.checkLayout(t, fmt.Sprintf("one pane at %d px", width), false)
			w.Screenshot(fmt.Sprintf("split-%d", width))
		}
	})
}
