package e2e

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/i18n"
	"github.com/switchboardhq/switchboard/internal/store"
)

// Hostile strings for the cabinet's fields, each short enough for a name (100 characters):
// markup, an attribute broken out of, a javascript: link, a right-to-left override that would
// show "gnp.exe" as "exe.png". Each calls alert() or sets window.__xss if it ever runs.
const (
	xssScript  = `<script>alert('script')</script>`
	xssAttr    = `"><img src=x onerror=alert('attr')>`
	xssURL     = `javascript:alert('url')`
	xssRTL     = "счёт \u202Egnp.exe"
	xssSVG     = `<svg onload="window.__xss='svg'"></svg>`
	xssLongRun = "Оченьдлинноесловобезединогопробела"
)

// dialogs records every alert, confirm or prompt the page opens, dismissing it so the page
// goes on (a dialog left open would stall it).
type dialogs struct {
	mu     sync.Mutex
	opened []string
}

func watchDialogs(t *testing.T, b *Browser) *dialogs {
	t.Helper()
	d := &dialogs{}
	err := chromedp.Listen(b.Ctx, func(ev any) {
		if e, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			d.mu.Lock()
			d.opened = append(d.opened, fmt.Sprintf("%s(%q) on %s", e.Type, e.Message, e.URL))
			d.mu.Unlock()
			// No command may run inside the listener: dismiss from another goroutine.
			go chromedp.Call(b.Ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func (d *dialogs) seen() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string(nil), d.opened...)
}

// Hostile strings stored in every cabinet view — the workspace's and the admin's names (from
// the CRM), a colleague's name and e-mail, connection names (one stored, one typed by the admin),
// a WABA template's name, status and text as Meta's sync would store them, a quick reply typed
// in the editor, a blocked customer's name — are shown as the text they are: nothing runs (no
// dialog, no script; a handler that did would also be a Content-Security-Policy violation,
// which fails every browser test), no element is injected, and a very long word stays inside
// the page.
func TestCabinetShowsHostileTextsAsText(t *testing.T) {
	requireCabinet(t)
	h := StartHub(t)
	ctx := context.Background()
	at := time.Date(2026, 3, 2, 10, 30, 0, 0, time.UTC)
	long := strings.Repeat(xssLongRun, 3) // 99 characters without a space
	ws, admin, handoff := cabinetAdmin(t, h, "Ветер "+xssAttr, "Ольга "+xssScript)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	colleague := "Коллега " + xssSVG
	must(h.Store.SaveCRMUser(ctx, ws.ID, store.CRMUser{ID: 2, Name: colleague, Email: `"><img src=x onerror=alert('email')>@veter.ru`,
		IsActive: true, Lang: "ru", FetchedAt: at}))

	conn, err := h.Store.CreateConnection(ctx, hub.Connection{WorkspaceID: ws.ID, Kind: hub.KindWABA, Name: "WhatsApp " + xssAttr,
		ExternalID: "pn-xss", InSubscription: true})
	must(err)
	_, err = h.Store.CreateConnection(ctx, hub.Connection{WorkspaceID: ws.ID, Kind: hub.KindTelegramBot, Name: long,
		ExternalID: "777000", InSubscription: true})
	must(err)
	tplBody := strings.Join([]string{"Заказ {{1}}:", xssScript, xssAttr, xssURL, xssRTL, xssSVG, strings.Repeat(xssLongRun, 8)}, " ")
	tplName, tplStatus := `order_<script>alert('tpl')</script>`, `"><img src=x onerror=alert('status')>`
	_, err = h.Store.UpsertTemplate(ctx, hub.Template{WorkspaceID: ws.ID, ConnectionID: conn.ID, Kind: "waba", Name: tplName,
		Language: "ru", Body: tplBody, Params: 1, Status: tplStatus, Category: "UTILITY", UpdatedAt: at})
	must(err)

	customer := "Покупатель " + xssRTL + " " + xssAttr
	res, err := h.Store.SaveInbound(ctx, store.Inbound{WorkspaceID: ws.ID, ConnectionID: conn.ID, ChatKind: hub.ChatPrivate,
		ExternalChatID: "79990007788", From: hub.Contact{Name: customer, WAID: "79990007788", Phones: []string{"+79990007788"}},
		Message: hub.Message{Type: hub.TypeText, Text: xssScript, ProviderKey: "xss.1", CreatedAt: at}})
	must(err)
	_, err = h.Store.SetBlocked(ctx, ws.ID, res.Contact.ID, admin.ID, true)
	must(err)
	// What the customer writes while blocked is refused, and readable in the blacklist.
	refused := xssAttr + " " + xssRTL + " " + strings.Repeat(xssLongRun, 8)
	_, err = h.Store.SaveInbound(ctx, store.Inbound{WorkspaceID: ws.ID, ConnectionID: conn.ID, ChatKind: hub.ChatPrivate,
		ExternalChatID: "79990007788", From: hub.Contact{Name: customer, WAID: "79990007788", Phones: []string{"+79990007788"}},
		Message: hub.Message{Type: hub.TypeText, Text: refused, ProviderKey: "xss.2", CreatedAt: at.Add(time.Minute)}})
	must(err)

	b := NewBrowser(t, 1280, 860)
	seen := watchDialogs(t, b)
	// clean fails the test when anything ran or was injected, or a wanted text is not shown as
	// typed (in the page's text or an input's value), or the page scrolls sideways.
	clean := func(view string, want ...string) {
		t.Helper()
		var bad string
		b.Eval(fmt.Sprintf(`(() => {
			if (window.__xss !== undefined) return "ran: " + window.__xss;
			const el = document.querySelector('.cab img[src="x"], .cab script, .cab iframe, .cab svg[onload], .cab [onerror], .cab [onload], .cab a[href^="javascript:"]');
			if (el) return "injected: " + el.outerHTML;
			const shown = document.body.innerText + "\n" + [...document.querySelectorAll('input, textarea, option')].map((e) => e.value + "\n" + e.textContent).join("\n");
			const missing = %s.filter((w) => !shown.includes(w));
			if (missing.length) return "not shown as text: " + JSON.stringify(missing);
			const de = document.documentElement;
			if (de.scrollWidth > de.clientWidth) return "the page scrolls sideways: " + de.scrollWidth + " > " + de.clientWidth;
			return "";
		})()`, jsList(want)), &bad)
		if bad != "" {
			b.fail("%s: %s", view, bad)
		}
		if d := seen.seen(); len(d) > 0 {
			b.fail("%s: a dialog opened: %v", view, d)
		}
	}

	b.Open(handoff)
	b.WaitFor("the admin's name", `text('[data-testid=admin-name]').includes('Ольга')`, 10*time.Second)
	clean("the header and overview", "Ветер "+xssAttr, "Ольга "+xssScript)
	b.Screenshot("cabinet-xss-overview")

	// Connections: the stored names, then one typed by the admin; the WABA number's templates.
	b.Eval(`click('[data-tab=connections]')`, nil)
	b.WaitFor("the connections and the colleagues to choose from", `qa('.cab-list .conn').length === 2 && qa('.conn option').some((o) => o.textContent === `+JS(colleague)+`)`, 10*time.Second)
	clean("the connections", "WhatsApp "+xssAttr, long, colleague)
	typed := xssURL + " " + xssRTL
	b.Eval(fmt.Sprintf(`type(q('.conn[data-kind=waba] .conn-name input'), %s)`, JS(typed)), nil)
	b.Eval(`click(q('.conn[data-kind=waba] .conn-name .btn'))`, nil)
	b.WaitFor("the new name saved", `seen('.cab-notice.ok') && !q('.conn[data-kind=waba] .conn-name .btn')`, 10*time.Second)
	if c, err := h.Store.Connection(ctx, ws.ID, conn.ID); err != nil || c.Name != typed {
		t.Fatalf("the typed name was stored as %q (%v), want %q", c.Name, err, typed)
	}
	b.Eval(`click(byText('.conn[data-kind=waba] .cab-actions .btn', `+JS(i18n.T("ru", "cabinet.conn.templates"))+`))`, nil)
	b.WaitFor("the templates", `qa('.cab-templates tbody tr').length === 1`, 10*time.Second)
	clean("the connections and templates", typed, tplName, tplStatus, tplBody)
	b.Screenshot("cabinet-xss-connections")

	// Quick replies: typed in the editor, listed as typed.
	quickName, quickBody := `<img src=x onerror=alert('quick')>`, "{{1}}, "+xssScript+" "+xssURL+" "+strings.Repeat(xssLongRun, 8)
	b.Eval(`click('[data-tab=quick]')`, nil)
	b.WaitFor("the quick replies", `seen('.cab-main .cab-actions .btn.primary')`, 10*time.Second)
	b.Eval(`click('.cab-main .cab-actions .btn.primary')`, nil)
	b.WaitFor("the editor", `seen('.cab-form textarea')`, 10*time.Second)
	b.Eval(fmt.Sprintf(`type('.cab-form input', %s) && type('.cab-form textarea', %s)`, JS(quickName), JS(quickBody)), nil)
	b.Eval(`click('.cab-form .btn.primary')`, nil) // once the form has drawn what was typed
	b.WaitFor("the quick reply listed", `!q('.cab-form') && qa('.cab-list .quick').length === 1`, 10*time.Second)
	clean("the quick replies", quickName, quickBody)
	b.Screenshot("cabinet-xss-quick-replies")

	// The blacklist with the refused message, the confirmation and the notice that name the
	// customer: the name's right-to-left override ends with the name, the rest of each sentence
	// still reads left to right.
	readsLTR := func(view, sel, key string) {
		t.Helper()
		tail := i18n.T("ru", key)
		tail = tail[strings.Index(tail, "{name}")+len("{name}"):]
		var ltr bool
		b.Eval(fmt.Sprintf(`(() => {
			const tail = %s, el = q(%s);
			const node = [...el.childNodes].find((n) => n.nodeType === 3 && n.data.endsWith(tail));
			const at = (i) => { const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1); return r.getBoundingClientRect().left; };
			const first = node.data.length - tail.length + tail.search(/\p{L}/u); // the tail's first letter
			return at(first) < at(node.data.length - 1);
		})()`, JS(tail), JS(sel)), &ltr)
		if !ltr {
			b.fail("%s: %q is shown right to left, turned by the customer's name", view, tail)
		}
	}
	b.Eval(`click('[data-tab=blacklist]')`, nil)
	b.WaitFor("the blocked customer", `qa('.cab-table tbody tr').length === 1`, 10*time.Second)
	b.Eval(`click('[data-testid=show-hidden]')`, nil)
	b.WaitFor("the refused message", `qa('[data-testid=hidden-messages] li').length === 1`, 10*time.Second)
	clean("the blacklist", customer, "Ольга "+xssScript, refused)
	b.Screenshot("cabinet-xss-blacklist")
	b.Eval(`click('[data-testid=unblock]')`, nil)
	b.WaitFor("the unblock confirmation", `seen('[data-testid=confirm]')`, 10*time.Second)
	clean("the unblock confirmation", customer)
	readsLTR("the unblock confirmation", "[data-testid=confirm] span", "cabinet.blacklist.unblock_confirm")
	b.Eval(`click('[data-testid=confirm] .btn.danger')`, nil)
	b.WaitFor("the customer unblocked", `seen('.cab-notice.ok') && !q('.cab-table')`, 10*time.Second)
	clean("the unblock notice", customer)
	readsLTR("the unblock notice", ".cab-notice .grow", "cabinet.blacklist.unblocked")
	b.Screenshot("cabinet-xss-unblocked")

	b.Eval(`click('[data-tab=employees]')`, nil)
	b.WaitFor("the employees", `qa('.cab-table tbody tr').length === 2`, 10*time.Second)
	clean("the employees", colleague, `"><img src=x onerror=alert('email')>@veter.ru`)

	// The activity log names what changed, from and to.
	b.Eval(`click('[data-tab=audit]')`, nil)
	b.WaitFor("the activity", `qa('.cab-table tbody tr').length >= 3`, 10*time.Second)
	clean("the activity", "WhatsApp "+xssAttr, typed, customer, quickName)
	b.Screenshot("cabinet-xss-audit")

	// A phone's width: the long words wrap inside the page.
	b.Resize(420, 860)
	for tab, want := range map[string]string{"connections": long, "quick": quickBody} {
		b.Eval(fmt.Sprintf(`click('[data-tab=%s]')`, tab), nil)
		b.WaitFor("the "+tab+" at 420 px", `qa('.cab-list > li').length > 0`, 10*time.Second)
		clean("the "+tab+" at 420 px", want)
		b.Screenshot("cabinet-xss-420-" + tab)
	}
}

// jsList writes ss as a JavaScript array of strings.
func jsList(ss []string) string {
	quoted := make([]string, len(ss))
	for i, s := range ss {
		quoted[i] = JS(s)
	}
	return "[" + strings.Join(quoted, ",") + "]"
}
