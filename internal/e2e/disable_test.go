package e2e

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/i18n"
)

// A broken number switched off in the cabinet (C2): the admin confirms, the number shows as
// switched off; in the chat window its chat keeps its history but the composer says why nothing
// can be sent, a send through the API is 409 connection_disabled, and the create form cannot
// pick it; switched on again, the API sends.
func TestAdminDisablesAConnection(t *testing.T) {
	requireCabinet(t)
	requireApp(t)
	h := StartHub(t)
	sb := h.WaitSandbox(t)
	waba := sb.Connection(t, "waba", true)
	seedDemoChats(t, h, sb, waba)
	admin := sb.User(t, "admin", func(u SandboxUser) bool { return u.IsAdmin })
	token := h.Session(t, admin.ID)

	var handoff struct{ URL string }
	h.API(t, token, http.MethodPost, "/api/cabinet/v1/handoff", nil, &handoff)
	b := NewBrowser(t, 1440, 900)
	b.Open(handoff.URL)
	b.WaitFor("the cabinet", `seen('[data-tab=connections]')`, 10*time.Second)
	b.Eval(`click('[data-tab=connections]')`, nil)
	row := `qa('.conn[data-kind=waba]').find((c) => c.querySelector('.conn-name input').value === ` + JS(waba.Name) + `)`
	b.WaitFor("the number's row", row, 10*time.Second)
	b.Eval(`(`+row+`).querySelector('[data-testid=disable]').click()`, nil)
	b.WaitFor("the confirmation in its own words", `(`+row+`).querySelector('[data-testid=confirm]')?.innerText.includes(`+JS(i18n.T("ru", "cabinet.conn.disable_confirm"))+`)`, 5*time.Second)
	if c := listedConnection(t, h, token, waba.ID); c["disabled"] == true {
		t.Fatal("switched off before the confirmation")
	}
	b.Eval(`(`+row+`).querySelector('[data-testid=confirm] .danger').click()`, nil)
	b.WaitFor("the number switched off", `(`+row+`).dataset.state === 'disabled' && (`+row+`).querySelector('[data-testid=disabled-note]') && (`+row+`).querySelector('[data-testid=enable]')`, 10*time.Second)
	b.Screenshot("cabinet-connection-disabled")

	w := openWindow(t, h, admin, 1440, 900, "")
	w.openChat("Иван Петров")
	w.waitBubble("Добрый день, Иван Петров")
	w.WaitFor("the composer saying why", `text('.composer.disabled').includes(`+JS(i18n.T("ru", "error.connection_disabled"))+`)`, 10*time.Second)
	w.Screenshot("chat-window-connection-disabled")
	w.Eval(`click('.icon-btn.plus')`, nil)
	w.WaitFor("the create form's connections", `q('option[value=`+JS(waba.ID)+`]')`, 10*time.Second)
	var opt struct {
		Disabled bool
		Text     string
	}
	w.Eval(`(() => { const o = q('option[value=`+JS(waba.ID)+`]'); return {disabled: o.disabled, text: o.textContent}; })()`, &opt)
	if !opt.Disabled || !strings.Contains(opt.Text, i18n.T("ru", "cabinet.state.disabled")) {
		t.Fatalf("the switched-off number in the create form: %+v", opt)
	}

	chat := chatOf(t, h, token, "Иван Петров", waba.ID)
	code, body := h.APIStatus(t, token, http.MethodPost, "/api/v1/chats/"+chat+"/messages", map[string]any{"client_id": "d-1", "text": "Алло"})
	if code != http.StatusConflict || !strings.Contains(string(body), "connection_disabled") {
		t.Fatalf("send on a switched-off number: %d %s", code, body)
	}

	b.Eval(`(`+row+`).querySelector('[data-testid=enable]').click()`, nil)
	b.WaitFor("the number switched on", `(`+row+`).dataset.state !== 'disabled' && (`+row+`).querySelector('[data-testid=disable]')`, 10*time.Second)
	if code, body := h.APIStatus(t, token, http.MethodPost, "/api/v1/chats/"+chat+"/messages", map[string]any{"client_id": "d-1", "text": "Алло"}); code != http.StatusCreated {
		t.Fatalf("send after switching on: %d %s", code, body)
	}
}

// listedConnection reads one connection as the chat window lists it to the token's employee.
func listedConnection(t *testing.T, h *SandboxInstance, token, id string) map[string]any {
	t.Helper()
	var out struct{ Items []map[string]any }
	h.API(t, token, http.MethodGet, "/api/v1/connections", nil, &out)
	for _, c := range out.Items {
		if c["id"] == id {
			return c
		}
	}
	t.Fatalf("no connection %s", id)
	return nil
}
