package e2e

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/i18n"
	sandboxamo "github.com/switchboardhq/switchboard/internal/sandbox/amocrm"
	"github.com/switchboardhq/switchboard/web"
)

// The sandbox CRM shell loads the real widget script.js; these tests act as amoCRM's user would
// and check the chat window's frame, its session hand-off (docs/architecture.md, "Widget") and closing. They
// do not need the chat window's bundle: the frame's side of the protocol is played from inside
// the frame, so they run in CI where only the Go build exists.

// frameJS finds the chat window's iframe under a container selector.
func frameJS(container string) string {
	return fmt.Sprintf(`document.querySelector(%s)`, JS(container+` iframe[src*="/app/"]`))
}

// askSession makes the frame post switchboard:renew to the widget (as the app does before its
// session expires) and records the switchboard:session the widget answers with.
func askSession(b *Browser, frame string) {
	b.t.Helper()
	b.WaitFor("the chat window frame loaded", frame+` && `+frame+`.contentDocument && `+frame+`.contentDocument.readyState === "complete" && `+
		frame+`.contentWindow.location.pathname.startsWith("/app/")`, 15*time.Second)
	b.Eval(`(() => { const w = `+frame+`.contentWindow; w.__sessions = [];
		w.addEventListener("message", (e) => { if (e.data && e.data.type === "switchboard:session") w.__sessions.push(e.data.session); });
		return true; })()`, nil)
	b.InFrame("/app/", "parent.postMessage({type: 'switchboard:renew'}, location.origin)")
	b.WaitFor("the widget's session answer", frame+`.contentWindow.__sessions.length > 0`, 15*time.Second)
}

type handedSession struct {
	Token    string `json:"token"`
	Lang     string `json:"lang"`
	Employee struct {
		CRMUserID int64  `json:"crm_user_id"`
		Name      string `json:"name"`
		Role      string `json:"role"`
		IsAdmin   bool   `json:"is_admin"`
	} `json:"employee"`
}

// Each demo user opens the left-menu page and gets the session, role and language the CRM
// gives them (F2, F3, F4, F34).
func TestCRMShellWidgetPageSessions(t *testing.T) {
	hub := StartHub(t)
	b := NewBrowser(t, 1280, 800)
	want := []struct {
		id         int64
		role, lang string
	}{
		{sandboxamo.DemoAdmin, "admin", "ru"}, {sandboxamo.DemoOwnRU, "manager", "ru"},
		{sandboxamo.DemoGroupRU, "manager", "ru"}, {sandboxamo.DemoES, "manager", "es"},
		{sandboxamo.DemoPT, "manager", "en"}, {sandboxamo.DemoEN, "manager", "en"},
	}
	for _, w := range want {
		b.Open(fmt.Sprintf("%s/sandbox/amocrm/widget-page?as=%d", hub.URL, w.id))
		b.WaitFor("the widget loaded", `document.documentElement.dataset.widgetReady === "1"`, 15*time.Second)
		frame := frameJS("#work-area-switchboard")
		b.WaitFor("the full-page window", frame+` && `+frame+`.src.includes("mode=page")`, 10*time.Second)
		var src string
		b.Eval(frame+`.src`, &src)
		// The frame's address carries the CRM's language (its texts load before the session says).
		if want := hub.URL + "/app/?mode=page&host=" + url.QueryEscape(hub.URL) + "&lang="; !strings.HasPrefix(src, want) ||
			i18n.Lang(strings.TrimPrefix(src, want)) != w.lang {
			t.Errorf("frame src %q, want %s<the CRM's language, %s>", src, want, w.lang)
		}
		askSession(b, frame)
		var s handedSession
		b.Eval(frame+`.contentWindow.__sessions[0]`, &s)
		if s.Employee.CRMUserID != w.id || s.Employee.Role != w.role || s.Lang != w.lang || s.Token == "" ||
			s.Employee.IsAdmin != (w.role == "admin") {
			t.Errorf("user %d got session %+v", w.id, s)
		}
		if web.Built("app") {
			// The real chat window asked for its session itself and speaks the user's language.
			b.WaitFor("the chat window signed in", frame+`.contentDocument.documentElement.lang === `+JS(w.lang)+
				` && !`+frame+`.contentDocument.querySelector('.boot-error')`, 15*time.Second)
		}
		if w.id == sandboxamo.DemoES {
			b.Screenshot("crm-shell-widget-page-es")
		}
	}
}

// From a deal card the right-column button opens the window over the feed area with the deal's
// scope; the app's × (switchboard:close) closes it, and moving to another card destroys it
// (F5–F7). The full-screen button opens the page in an overlay for installs without a left
// menu (F4).
func TestCRMShellCardWindow(t *testing.T) {
	hub := StartHub(t)
	b := NewBrowser(t, 1600, 860) // a feed area wider than the window's narrow layout
	sb := hub.WaitSandbox(t)
	seedDemoChats(t, hub, sb, sb.Connection(t, "waba", true)) // among them the deal's two contacts
	b.Open(fmt.Sprintf("%s/sandbox/amocrm/leads/detail/30004?as=%d", hub.URL, sandboxamo.DemoGroupRU))
	b.WaitFor("the widget's button", `document.querySelector('#widgets_block [data-switchboard-open="card"]')`, 15*time.Second)
	b.Screenshot("crm-shell-deal-card")
	frame := frameJS(".card-holder__feed")

	b.Eval(`click(document.querySelector('[data-switchboard-open="card"]'))`, nil)
	b.WaitFor("the card window over the feed", frame+` && `+frame+`.src.includes("mode=card&crm_lead_id=30004&host=")`, 10*time.Second)
	var deal string
	b.Eval(`document.querySelector('.card-holder__info .card-title').innerText`, &deal)
	if deal == "" {
		t.Error("the deal's info is not visible beside the window")
	}
	askSession(b, frame)
	var s handedSession
	b.Eval(frame+`.contentWindow.__sessions[0]`, &s)
	if s.Employee.CRMUserID != sandboxamo.DemoGroupRU {
		t.Errorf("card session for %+v", s.Employee)
	}
	// The session is asked for naming the deal, so the hub re-reads it from the CRM while the
	// frame loads (F33; the first load, docs/performance.md).
	var asked []string
	b.Eval(`performance.getEntriesByType('resource').filter((r) => new URL(r.name).pathname === '/api/v1/sessions').map((r) => new URL(r.name).search)`, &asked)
	if len(asked) == 0 || asked[0] != "?crm_lead_id=30004" {
		t.Errorf("the card window's sessions were asked for with %q, want the first with ?crm_lead_id=30004", asked)
	}
	if web.Built("app") {
		// The real window's own × closes it; then it is opened again for the rest.
		b.WaitFor("the window's ×", frame+`.contentDocument.querySelector('.close')`, 15*time.Second)
		b.WaitFor("both contacts of the deal in the window", frame+`.contentDocument.body.innerText.includes("Сергей Морозов") && `+
			frame+`.contentDocument.body.innerText.includes("Татьяна Лебедева")`, 15*time.Second)
		b.Screenshot("crm-shell-deal-card-open")
		b.Eval(frame+`.contentDocument.querySelector('.close').click()`, nil)
		b.WaitFor("the window closed by its ×", `!`+frame, 10*time.Second)
		b.Eval(`click(document.querySelector('[data-switchboard-open="card"]'))`, nil)
		b.WaitFor("the card window reopened", frame, 10*time.Second)
		askSession(b, frame)
	}

	// The app's × asks the widget to close.
	b.InFrame("/app/", "parent.postMessage({type: 'switchboard:close'}, location.origin)")
	b.WaitFor("the window closed by ×", `!`+frame, 10*time.Second)

	// Reopen, then move to a contact card: destroy closes the window, the new card gets its own.
	b.Eval(`click(document.querySelector('[data-switchboard-open="card"]'))`, nil)
	b.WaitFor("the card window again", frame, 10*time.Second)
	b.Eval(`click(document.querySelector('.card-links a[href$="/contacts/detail/20003"]'))`, nil)
	b.WaitFor("the contact card", `document.querySelector('#shell').dataset.area === "ccard"`, 10*time.Second)
	b.WaitFor("no window after moving", `!document.querySelector('iframe[src*="/app/"]')`, 10*time.Second)
	b.WaitFor("the contact card's button", `document.querySelector('#widgets_block [data-switchboard-open="card"]')`, 10*time.Second)
	b.Eval(`click(document.querySelector('[data-switchboard-open="card"]'))`, nil)
	b.WaitFor("the contact's window", frame+` && `+frame+`.src.includes("crm_contact_id=20003")`, 10*time.Second)

	// Full screen, for installs without the left-menu page.
	b.Eval(`click(document.querySelector('[data-switchboard-open="page"]'))`, nil)
	overlay := frameJS(".switchboard-widget__overlay")
	b.WaitFor("the full-screen window", overlay+` && `+overlay+`.src.includes("mode=page")`, 10*time.Second)
	b.WaitFor("the card window replaced", `document.querySelectorAll('iframe[src*="/app/"]').length === 1`, 5*time.Second)
	b.Screenshot("crm-shell-full-screen")
	b.Eval(`click(document.querySelector('.switchboard-widget__overlay-close'))`, nil)
	b.WaitFor("the overlay closed", `!document.querySelector('.switchboard-widget__overlay')`, 5*time.Second)
}

// The widget asks for the session as it creates the chat window's frame, not once the window
// has loaded and said it is ready (the first load, docs/performance.md): the token request goes
// out before the frame has even asked for its script.
func TestCRMShellAsksForTheSessionWithTheFrame(t *testing.T) {
	requireApp(t)
	hub := StartHub(t)
	b := NewBrowser(t, 1280, 800)
	b.Open(fmt.Sprintf("%s/sandbox/amocrm/widget-page?as=%d", hub.URL, sandboxamo.DemoAdmin))
	frame := frameJS("#work-area-switchboard")
	b.WaitFor("the window's session", frame+` && `+frame+`.contentWindow.performance.getEntriesByName('switchboard:session').length`, 20*time.Second)
	var at struct{ Token, Script float64 }
	b.Eval(`(() => { const fw = `+frame+`.contentWindow;
		const token = performance.getEntriesByType('resource').find((r) => new URL(r.name).pathname === '/sandbox/amocrm/token');
		const script = fw.performance.getEntriesByType('resource').find((r) => /\/app\/assets\/main-.*\.js$/.test(r.name));
		return { Token: token.startTime, Script: script.startTime + fw.performance.timeOrigin - performance.timeOrigin }; })()`, &at)
	if at.Token >= at.Script {
		t.Errorf("the session's token was asked for %.0f ms after the CRM page opened, the frame's script at %.0f ms: want the token first", at.Token, at.Script)
	}
}
