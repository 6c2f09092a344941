package e2e

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/auth"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

func TestCabinetAnswersAnyoneAndOffersTheInstall(t *testing.T) {
	requireCabinet(t)
	h := StartHub(t)
	res, err := http.Get(h.URL + "/cabinet/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /cabinet/: %d", res.StatusCode)
	}
	b := NewBrowser(t, 1200, 800)
	// A sandbox hub's front door leads to the cabinet among the sandbox's places.
	b.Open(h.URL + "/")
	b.WaitFor("the sandbox start page", `location.pathname === '/sandbox/' && !!document.querySelector('a.place[href="/cabinet/"]') && !!document.querySelector('a.place[href="/sandbox/console/"]')`, 10*time.Second)
	b.Screenshot("sandbox-start")
	b.Open(h.URL + "/cabinet/")
	b.WaitFor("the sign-in page", `seen('[data-testid=connect-amocrm]')`, 10*time.Second)
	b.Screenshot("cabinet-signin")
}

// TestCabinetPagesForAnAdmin opens every section as an admin who came from the chat window
// (the hand-off), with a workspace the test puts in the store directly.
func TestCabinetPagesForAnAdmin(t *testing.T) {
	requireCabinet(t)
	h := StartHub(t)
	ctx := context.Background()
	ws, admin, handoff := cabinetAdmin(t, h, "Северный ветер", "Ольга Админова")

	b := NewBrowser(t, 1200, 860)
	b.Open(handoff)
	b.WaitFor("the admin's name", `text('[data-testid=admin-name]').includes('Ольга')`, 10*time.Second)
	b.WaitFor("the subscription as the operator set it", `text('[data-testid=subscription]').includes('Подписка активна') && text('[data-testid=subscription]').includes('Шаблоны WABA не оплачены')`, 10*time.Second)
	b.Screenshot("cabinet-overview")

	b.Eval(`click('[data-tab=connections]')`, nil)
	b.WaitFor("the add buttons", `seen('[data-testid=add-waba]')`, 5*time.Second)
	b.Eval(`click('[data-testid=add-waba]')`, nil)
	b.WaitFor("the WABA form", `seen('[data-testid=form-waba]')`, 5*time.Second)
	b.Eval(`type('input[name=phone_number_id]', '12 34') && type('input[name=waba_id]', '1') && type('input[name=access_token]', 'x') && type('input[name=app_secret]', 'y') && click('[data-testid=form-waba] .btn.primary')`, nil)
	b.WaitFor("the bad field marked and focused", `seen('.cab-field.bad input[name=phone_number_id]') && document.activeElement.name === 'phone_number_id'`, 5*time.Second)
	b.Screenshot("cabinet-connection-form")

	// Quick replies: add one for Spanish speakers, see it listed with its language.
	b.Eval(`click('[data-tab=quick]')`, nil)
	b.WaitFor("the quick replies", `seen('.cab-main .btn.primary')`, 5*time.Second)
	b.Eval(`click('.cab-main .btn.primary')`, nil)
	b.WaitFor("the editor", `seen('.cab-form textarea')`, 5*time.Second)
	b.Eval(`type('.cab-form input', 'Доставка') && type('.cab-form select', 'es') && type('.cab-form textarea', 'Su pedido {{1}} llega el {{2}}.')`, nil)
	b.Eval(`click('.cab-form .btn.primary')`, nil)
	b.WaitFor("the new quick reply, in Spanish", `text('.cab-list').includes('Su pedido {{1}} llega') && text('.cab-list .quick-lang') === 'Испанский'`, 5*time.Second)
	b.Screenshot("cabinet-quick-replies")
	if qs, err := h.Store.QuickReplies(ctx, ws.ID); err != nil || len(qs) != 1 || qs[0].Language != "es" {
		t.Fatalf("quick replies stored: %+v %v, want one in es", qs, err)
	}

	// The blacklist: who blocked a customer, when, how many messages were refused; unblock.
	blocked := blockCustomer(t, h, ws, admin)
	b.Eval(`click('[data-tab=blacklist]')`, nil)
	b.WaitFor("the blocked customer", `text('.cab-table').includes('Навязчивый Продавец') && text('.cab-table').includes('Ольга Админова')`, 5*time.Second)
	if got := b.Text(".cab-table tbody tr td:nth-child(4)"); !strings.HasPrefix(got, "2 ") {
		t.Fatalf("refused messages shown as %q", got)
	}
	// The two refused messages are read from the entry (F28).
	b.Eval(`click('[data-testid=show-hidden]')`, nil)
	b.WaitFor("the refused messages", `qa('[data-testid=hidden-messages] li').length === 2 && text('[data-testid=hidden-messages]').includes('Купите окна!')`, 5*time.Second)
	b.Screenshot("cabinet-blacklist")
	// Unblocking asks first, as blocking does.
	b.Eval(`click('[data-testid=unblock]')`, nil)
	b.WaitFor("the unblock confirmation", `text('[data-testid=confirm]').includes('Разблокировать Навязчивый Продавец?')`, 5*time.Second)
	if c, err := h.Store.Contact(ctx, ws.ID, blocked); err != nil || !c.Blocked {
		t.Fatalf("unblocked before the confirmation: %+v %v", c, err)
	}
	b.Eval(`click('[data-testid=confirm] .danger')`, nil)
	b.WaitFor("the blacklist empty", `!q('.cab-table') && seen('.cab-notice.ok')`, 5*time.Second)
	if c, err := h.Store.Contact(ctx, ws.ID, blocked); err != nil || c.Blocked {
		t.Fatalf("after unblock: %+v %v", c, err)
	}

	b.Eval(`click('[data-tab=employees]')`, nil)
	b.WaitFor("the employee list", `text('.cab-table').includes('Ольга Админова')`, 5*time.Second)
	b.Screenshot("cabinet-employees")
	b.Eval(`click('[data-tab=audit]')`, nil)
	b.WaitFor("the activity", `text('.cab-table').includes('Разблокировал контакт') && text('.cab-table').includes('Добавил быстрый ответ')`, 5*time.Second)
}

// blockCustomer stores a customer's message, blocks the customer as admin and stores two more
// (refused); it returns the contact's id.
func blockCustomer(t *testing.T, h *SandboxInstance, ws hub.Workspace, admin hub.Employee) string {
	t.Helper()
	ctx := context.Background()
	conn, err := h.Store.CreateConnection(ctx, hub.Connection{WorkspaceID: ws.ID, Kind: hub.KindWABA, Name: "WhatsApp",
		ExternalID: "pn-e2e", InSubscription: true})
	if err != nil {
		t.Fatal(err)
	}
	in := func(key string) store.Inbound {
		return store.Inbound{WorkspaceID: ws.ID, ConnectionID: conn.ID, ChatKind: hub.ChatPrivate, ExternalChatID: "79990001122",
			From:    hub.Contact{Name: "Навязчивый Продавец", WAID: "79990001122", Phones: []string{"+79990001122"}},
			Message: hub.Message{Type: hub.TypeText, Text: "Купите окна!", ProviderKey: key, CreatedAt: time.Now()}}
	}
	res, err := h.Store.SaveInbound(ctx, in("k1"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.Store.SetBlocked(ctx, ws.ID, res.Contact.ID, admin.ID, true); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"k2", "k3"} {
		if _, err := h.Store.SaveInbound(ctx, in(k)); err != nil {
			t.Fatal(err)
		}
	}
	return res.Contact.ID
}

// cabinetAdmin puts a paid workspace with one admin in the store, as an install from the CRM
// would, and returns them with the hand-off URL that signs the admin into the cabinet (as the
// chat window's link does).
func cabinetAdmin(t *testing.T, h *SandboxInstance, wsName, adminName string) (hub.Workspace, hub.Employee, string) {
	t.Helper()
	ctx := context.Background()
	ws, err := h.Store.CreateWorkspace(ctx, hub.Workspace{Name: wsName, CRMKind: "amocrm", CRMAccountID: 4242,
		CRMBaseURL: "https://veter.amocrm.ru", Subscription: hub.Subscription{Active: true, Paid: true}})
	if err != nil {
		t.Fatal(err)
	}
	admin, _, err := h.Store.ProvisionEmployee(ctx, hub.Employee{WorkspaceID: ws.ID, CRMUserID: 1, Name: adminName,
		Role: hub.RoleAdmin, Lang: "ru"})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Store.SaveCRMUser(ctx, ws.ID, store.CRMUser{ID: 1, Name: admin.Name, IsAdmin: true, IsActive: true, Lang: "ru",
		FetchedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	tok, _ := auth.NewSigner(h.Config.SecretKey).Issue(auth.Session{WorkspaceID: ws.ID, EmployeeID: admin.ID}, time.Now())
	req, _ := http.NewRequest(http.MethodPost, h.URL+"/api/cabinet/v1/handoff", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != http.StatusCreated {
		t.Fatalf("handoff: %v %v", res, err)
	}
	defer res.Body.Close()
	var body struct{ URL string }
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	return ws, admin, body.URL
}
