package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/testwait"
)

// freshAdmin is the sandbox CRM's `fresh` account administrator (lang es).
const freshAdmin = 9100001

// TestAdminInstallsAndConnectsMessengers is the cabinet's done-when: an admin connects the
// sandbox's `fresh` amoCRM account, makes a WhatsApp number, a Telegram bot and a MAX bot in the
// sandbox provider console, adds them in the cabinet (pasting the webhook back into the console),
// a customer writes through the simulator on each, and the messages show in the chat window.
// Nothing is done in the database or a config file: every step is a page or the simulator.
func TestAdminInstallsAndConnectsMessengers(t *testing.T) {
	requireCabinet(t)
	requireApp(t)
	h := StartHub(t)
	b := NewBrowser(t, 1200, 860)

	// 0. The fresh account in the sandbox CRM has no Switchboard yet: its menu offers the install.
	b.Open(fmt.Sprintf("%s/sandbox/amocrm/widget-page?account=fresh&as=%d", h.URL, freshAdmin))
	b.WaitFor("the fresh account without the widget", `seen('#not-installed') && seen('#install-switchboard') && !q('#left-menu-switchboard') && document.documentElement.dataset.widgetReady === 'not-installed'`, 10*time.Second)
	b.Screenshot("crm-fresh-not-installed")

	// 1. Install: the cabinet → the CRM's consent page (the fresh account preselected) → back.
	b.Open(h.URL + "/cabinet/")
	b.WaitFor("the sign-in page", `seen('[data-testid=connect-amocrm]')`, 10*time.Second)
	b.Eval(`click('[data-testid=connect-amocrm]')`, nil)
	b.WaitFor("the CRM's consent page", `location.pathname.startsWith('/sandbox/amocrm/') && !!document.querySelector('input[value=fresh]:checked')`, 10*time.Second)
	b.Screenshot("cabinet-install-consent")
	b.Eval(`document.querySelector('form button[type=submit]').click()`, nil)
	b.WaitFor("the installer signed in", `location.pathname === '/cabinet/' && text('[data-testid=admin-name]').includes('Marta')`, 20*time.Second)
	b.WaitFor("the initial sync done", `q('[data-testid=sync] [data-state=done]')`, 30*time.Second)
	if got := b.Text("[data-testid=sync]"); !strings.Contains(got, "usuarios") {
		t.Fatalf("sync progress in the admin's language (es): %q", got)
	}
	// A fresh install has its trial, so the first reply goes out; the help says how to change it.
	b.WaitFor("the trial subscription", `text('[data-testid=subscription-state]').includes('Suscripción activa hasta el') && q('[data-testid=subscription-help]').textContent.includes('/api/operator/v1/workspaces/')`, 10*time.Second)
	b.Screenshot("cabinet-installed")
	// The widget archive for the kind of integration registered (private by default), with this
	// hub's address in it.
	b.WaitFor("the widget's kind", `q('[data-testid=widget-download]')?.getAttribute('href').endsWith('?kind=private')`, 5*time.Second)
	b.Eval(`click('input[name=widget-kind][value=public]')`, nil)
	b.WaitFor("the public archive's link", `q('[data-testid=widget-download]').getAttribute('href').endsWith('?kind=public')`, 5*time.Second)
	b.Eval(`click('input[name=widget-kind][value=private]')`, nil)
	b.Eval(`window.zip = null, fetch(q('[data-testid=widget-download]').getAttribute('href')).then(async (r) => { const b = new Uint8Array(await r.arrayBuffer());
		window.zip = {status: r.status, type: r.headers.get('Content-Type'), pk: String.fromCharCode(b[0], b[1]), size: b.length}; })`, nil)
	b.WaitFor("the widget archive", `window.zip`, 10*time.Second)
	var zip struct {
		Status int
		Type   string
		PK     string
		Size   int
	}
	b.Eval(`window.zip`, &zip)
	if zip.Status != 200 || zip.Type != "application/zip" || zip.PK != "PK" || zip.Size < 1000 {
		t.Fatalf("widget.zip: %+v", zip)
	}

	// 2. A number and a bot, made at the providers' (the sandbox console).
	b.Open(h.URL + "/sandbox/console/")
	b.Eval(`click('#new-number')`, nil)
	b.WaitFor("the new number", `text('#number [data-f=app_secret]').length > 10`, 10*time.Second)
	var number map[string]string
	b.Eval(`Object.fromEntries(qa('#number [data-f]').map((d) => [d.dataset.f, d.textContent]))`, &number)
	b.Eval(`click('#new-bot')`, nil)
	b.WaitFor("the new bot", `text('#bot [data-f=token]').includes(':')`, 10*time.Second)
	botToken := b.Text("#bot [data-f=token]")

	// 3. The number in the cabinet; its webhook URL and verify token go back to the console.
	// First with a wrong app secret, then a wrong phone number id: Graph refuses each, the form
	// quotes it and nothing is stored.
	openAddForm(b, h, "waba")
	fill := func(pnid, secret string) {
		b.Eval(`type('input[name=phone_number_id]', `+JS(pnid)+`) && type('input[name=waba_id]', `+JS(number["waba_id"])+
			`) && type('input[name=access_token]', `+JS(number["access_token"])+`) && type('input[name=app_secret]', `+JS(secret)+
			`) && type('input[name=name]', 'WhatsApp · Ventas')`, nil)
		b.Eval(`click('[data-testid=form-waba] .btn.primary')`, nil)
	}
	fill(number["phone_number_id"], "0123456789abcdef0123456789abcdef")
	b.WaitFor("the wrong app secret refused in Graph's words", `text('[data-testid=form-waba] [role=alert]').includes('Invalid appsecret_proof')`, 15*time.Second)
	fill(number["phone_number_id"]+"9", number["app_secret"])
	b.WaitFor("the wrong phone number id refused", `text('[data-testid=form-waba] [role=alert]').includes(`+JS(number["phone_number_id"]+"9")+`)`, 15*time.Second)
	if n := len(connectionIDsOf(t, h, "WhatsApp · Ventas")); n != 0 {
		t.Fatalf("a refused number was stored: %d", n)
	}
	fill(number["phone_number_id"], number["app_secret"])
	b.WaitFor("the setup box", `seen('[data-testid=setup] input')`, 15*time.Second)
	var setup []string
	b.Eval(`qa('[data-testid=setup] input').map((i) => i.value)`, &setup)
	if len(setup) != 2 || !strings.Contains(setup[0], "/hooks/waba/") || len(setup[1]) < 8 {
		t.Fatalf("setup shows %v", setup)
	}
	b.Screenshot("cabinet-waba-added")
	b.Open(h.URL + "/sandbox/console/?pnid=" + number["phone_number_id"])
	b.Eval(`type('input[name=callback_url]', `+JS(setup[0])+`) && type('input[name=verify_token]', `+JS(setup[1])+`)`, nil)
	b.Eval(`q('#hook button').click()`, nil)
	b.WaitFor("Meta's verify handshake", `q('#hook-result').className === 'ok'`, 10*time.Second)

	// 4. The bot in the cabinet: the hub sets its webhook itself.
	openAddForm(b, h, "telegram_bot")
	b.Eval(`type('input[name=bot_token]', `+JS(botToken)+`) && click('[data-testid=form-telegram_bot] .btn.primary')`, nil)
	b.WaitFor("the bot added", `seen('[data-testid=setup]') && qa('.conn').length === 2`, 15*time.Second)

	// 4b. A MAX bot, made by the console's MasterBot, added the same way: GET /me proves the
	// token and the hub subscribes the bot's webhook itself.
	b.Open(h.URL + "/sandbox/console/")
	b.Eval(`click('#new-max-bot')`, nil)
	b.WaitFor("the new MAX bot", `text('#max-bot [data-f=token]').length > 20`, 10*time.Second)
	maxToken := b.Text("#max-bot [data-f=token]")
	openAddForm(b, h, "max_bot")
	b.Eval(`type('input[name=bot_token]', 'not-the-token') && click('[data-testid=form-max_bot] .btn.primary')`, nil)
	b.WaitFor("a wrong MAX token refused in MAX's words", `text('[data-testid=form-max_bot] [role=alert]').includes('Invalid access_token')`, 15*time.Second)
	b.Eval(`type('input[name=bot_token]', `+JS(maxToken)+`) && click('[data-testid=form-max_bot] .btn.primary')`, nil)
	b.WaitFor("the MAX bot added", `seen('[data-testid=setup]') && qa('.conn').length === 3 && q('.conn[data-kind=max_bot]')`, 15*time.Second)
	var conns []struct{ ID, Kind, State string }
	b.Eval(`qa('.conn').map((c) => ({kind: c.dataset.kind, state: c.dataset.state}))`, &conns)
	for _, c := range conns {
		if c.State != "working" {
			t.Fatalf("connections: %+v", conns)
		}
	}
	b.Screenshot("cabinet-connections")

	// 5. Customers write through the simulator, on each new connection.
	ids := connectionIDs(t, h)
	send(t, h, map[string]any{"connection_id": ids["waba"], "from": map[string]any{"phone": "+34 612 345 678", "name": "Lucía Fernández"},
		"type": "text", "text": "Hola, ¿hacéis envíos a Valencia?"})
	send(t, h, map[string]any{"connection_id": ids["telegram_bot"], "from": map[string]any{"telegram_user_id": 5550123,
		"telegram_username": "pablo_m", "name": "Pablo Martín"}, "type": "text", "text": "Buenas, quiero reservar para el sábado"})
	send(t, h, map[string]any{"connection_id": ids["max_bot"], "from": map[string]any{"max_user_id": 91005501,
		"name": "Irene Soler"}, "type": "text", "text": "Hola desde MAX"})

	// Both are stored before the window opens: a message landing between the window's first
	// list and its event socket is not what this test is about.
	waitForChat(t, h, ids["waba"], "34612345678")
	waitForChat(t, h, ids["telegram_bot"], "5550123")
	waitForChat(t, h, ids["max_bot"], "91005501")

	// 6. The fresh account's admin opens the chat window from the fresh account's left menu in
	// the sandbox CRM (the widget is there now the hub is installed), sees all three customers
	// and answers on WhatsApp; the customer receives the answer.
	w := &window{Browser: NewBrowser(t, 1440, 900), lang: "es"}
	w.Open(fmt.Sprintf("%s/sandbox/amocrm/leads?account=fresh&as=%d", h.URL, freshAdmin))
	w.WaitFor("the fresh account's left menu with the widget", `text('.crm-nav__account') === 'Fresh Start Studio' && seen('#left-menu-switchboard')`, 10*time.Second)
	w.Eval(`click('#left-menu-switchboard')`, nil)
	w.WaitFor("the chat window in the widget's page", "doc() !== document && q('.app.page')", 20*time.Second)
	w.waitRow("Lucía Fernández")
	w.waitRow("Pablo Martín")
	w.waitRow("Irene Soler")
	w.openChat("Lucía Fernández")
	w.waitBubble("envíos a Valencia")
	const answer = "¡Hola, Lucía! Sí, enviamos a Valencia en 48 horas."
	w.typeAndEnter(answer)
	w.waitBubble(answer)
	testwait.Until(t, "the customer to receive the answer on WhatsApp", func() bool {
		var out struct{ Items []struct{ Text string } }
		h.GetJSON(t, "/sandbox/customers/outbox?connection_id="+ids["waba"], &out)
		return slices.ContainsFunc(out.Items, func(m struct{ Text string }) bool { return m.Text == answer })
	})
	w.Screenshot("crm-fresh-left-menu-1440")

	// The same customer from her contact card (the hub made it in the fresh CRM for her, F31a),
	// in the card's width.
	w.Open(fmt.Sprintf("%s/sandbox/amocrm/contacts?account=fresh&as=%d", h.URL, freshAdmin))
	reopenUntil(w.Browser, "Lucía's CRM contact", h.URL+"/sandbox/amocrm/contacts", `byText('.crm-list a', 'Lucía Fernández')`, 20*time.Second)
	w.WaitFor("the widget loaded", `document.documentElement.dataset.widgetReady === "1"`, 15*time.Second)
	w.Eval(`click(byText('.crm-list a', 'Lucía Fernández'))`, nil)
	w.WaitFor("her card's widget button", `document.querySelector('#widgets_block [data-switchboard-open="card"]')`, 15*time.Second)
	w.Eval(`click(document.querySelector('[data-switchboard-open="card"]'))`, nil)
	w.WaitFor("her chat in the card window", "doc() !== document && q('.app.card') && text('.chat-head .name').includes('Lucía Fernández')", 20*time.Second)
	w.waitBubble(answer)
	w.Screenshot("crm-fresh-contact-card")

	// 7. Back to the cabinet from the chat window's gear (admins only): the window opens a tab
	// (played here by the frame's window.open) and points it at the cabinet with a hand-off code.
	// Signed out of the cabinet first, so only the hand-off can sign her in again.
	b.Eval(`window.signedOut = false, fetch('/api/cabinet/v1/session', {method: 'DELETE'}).then(() => { window.signedOut = true; })`, nil)
	b.WaitFor("the cabinet cookie dropped", `window.signedOut`, 5*time.Second)
	w.Open(fmt.Sprintf("%s/sandbox/amocrm/widget-page?account=fresh&as=%d", h.URL, freshAdmin))
	w.WaitFor("the chat window's gear", "doc() !== document && q('[data-testid=open-cabinet]')", 20*time.Second)
	w.Eval(`(() => { const f = document.querySelector('iframe[src*="/app/"]').contentWindow;
		f.tab = {location: {href: ''}, close() {}}; f.open = () => f.tab; return true; })()`, nil)
	w.Eval(`click('[data-testid=open-cabinet]')`, nil)
	w.WaitFor("the tab pointed at the cabinet", `document.querySelector('iframe[src*="/app/"]').contentWindow.tab.location.href.includes('/cabinet/#')`, 10*time.Second)
	var handoff string
	w.Eval(`document.querySelector('iframe[src*="/app/"]').contentWindow.tab.location.href`, &handoff)
	b.Open("about:blank") // the tab is a new page: not a fragment change of a cabinet already open
	b.Open(handoff)
	b.WaitFor("the cabinet from the chat window", `location.pathname === '/cabinet/' && location.hash === '' && text('[data-testid=admin-name]').includes('Marta')`, 10*time.Second)

	// 8. The app secret is reset at Meta: the number's webhooks now fail their signature, and
	// the cabinet says the number is not receiving, and why, instead of "working".
	b.Open(h.URL + "/sandbox/console/?pnid=" + number["phone_number_id"])
	b.Eval(`click('#reset-secret')`, nil)
	b.WaitFor("the new app secret", `text('#new-secret').length > 10`, 10*time.Second)
	raw, _ := json.Marshal(map[string]any{"connection_id": ids["waba"], "from": map[string]any{"phone": "+34 612 345 678",
		"name": "Lucía Fernández"}, "type": "text", "text": "¿Hola? ¿Me leéis?"})
	if res, err := http.Post(h.URL+"/sandbox/customers/send", "application/json", bytes.NewReader(raw)); err == nil {
		res.Body.Close() // refused by the hub: whatever the simulator answers, the cabinet must say so
	}
	b.Open(h.URL + "/cabinet/")
	b.WaitFor("the cabinet", `seen('[data-tab=connections]')`, 10*time.Second)
	b.Eval(`click('[data-tab=connections]')`, nil)
	b.WaitFor("the number shown as not receiving, with the reason", `seen('.conn[data-kind=waba][data-state=not_receiving]') && text('.conn[data-kind=waba] [data-testid=health]').includes('firma incorrecta')`, 10*time.Second)
	b.Screenshot("cabinet-not-receiving")
}

// openAddForm opens the cabinet's form for a new connection of kind ("waba", "telegram_bot", "max_bot").
func openAddForm(b *Browser, h *SandboxInstance, kind string) {
	b.Open(h.URL + "/cabinet/")
	b.WaitFor("the cabinet", `seen('[data-tab=connections]')`, 10*time.Second)
	b.Eval(`click('[data-tab=connections]')`, nil)
	button := map[string]string{"waba": "add-waba", "telegram_bot": "add-telegram", "max_bot": "add-max"}[kind]
	b.WaitFor("the add buttons", `seen('[data-testid=`+button+`]')`, 5*time.Second)
	b.Eval(`click('[data-testid=`+button+`]')`, nil)
	b.WaitFor("the "+kind+" form, with the way to the sandbox's provider console", `seen('[data-testid=form-`+kind+`]') && seen('[data-testid=form-`+kind+`] a[href="/sandbox/console/"]')`, 5*time.Second)
}

// connectionIDs reads the connections the simulator offers, by kind (the new workspace's are
// the ones not named like the demo's).
func connectionIDs(t *testing.T, h *SandboxInstance) map[string]string {
	t.Helper()
	res, err := http.Get(h.URL + "/sandbox/customers/connections")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body struct {
		Items []struct{ ID, Kind, Name string }
	}
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, c := range body.Items {
		if c.Name == "WhatsApp · Ventas" || strings.HasPrefix(c.Name, "Telegram · @sandbox_") || strings.HasPrefix(c.Name, "MAX · Sandbox") {
			out[c.Kind] = c.ID
		}
	}
	if out["waba"] == "" || out["telegram_bot"] == "" || out["max_bot"] == "" {
		t.Fatalf("the simulator does not offer the new connections: %+v", body.Items)
	}
	return out
}

// connectionIDsOf lists the ids of the connections the simulator offers under name.
func connectionIDsOf(t *testing.T, h *SandboxInstance, name string) []string {
	t.Helper()
	res, err := http.Get(h.URL + "/sandbox/customers/connections")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body struct{ Items []struct{ ID, Name string } }
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, c := range body.Items {
		if c.Name == name {
			out = append(out, c.ID)
		}
	}
	return out
}

func send(t *testing.T, h *SandboxInstance, msg map[string]any) {
	t.Helper()
	raw, _ := json.Marshal(msg)
	res, err := http.Post(h.URL+"/sandbox/customers/send", "application/json", bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusAccepted {
		var e any
		json.NewDecoder(res.Body).Decode(&e)
		t.Fatalf("simulator send: %d %v", res.StatusCode, e)
	}
}
