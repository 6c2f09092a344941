package e2e

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/auth"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
	"github.com/switchboardhq/switchboard/web"
)

func requireCabinet(t *testing.T) {
	t.Helper()
	if !web.Built("cabinet") {
		t.Skip("the cabinet is not bundled: run `make build` (npm run build) before the browser tests")
	}
}

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
	ws, err := h.Store.CreateWorkspace(ctx, hub.Workspace{Name: "Северный ветер", CRMKind: "amocrm", CRMAccountID: 4242,
		CRMBaseURL: "https://veter.amocrm.ru", Subscription: hub.Subscription{Active: true, Paid: true}})
	if err != nil {
		t.Fatal(err)
	}
	admin, _, err := h.Store.ProvisionEmployee(ctx, hub.Employee{WorkspaceID: ws.ID, CRMUserID: 1, Name: "Ольга Админова",
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

	b := NewBrowser(t, 1200, 860)
	b.Open(body.URL)
	b.WaitFor("the admin's name", `text('[data-testid=admin-name]').includes('Ольга')`, 10*time.Second)
	b.WaitFor("the subscription as the operator set it", `text('[data-testid=subscription]').includes('Подписка активна') && text('[data-testid=subscription]').includes('Шаблоны WABA не оплачены')`, 10*time.Second)
	b.Screenshot("cabinet-overview")

	b.Eval(`click('[data-tab=connections]')`, nil)
	b.WaitFor("the add buttons", `seen('[data-testid=add-waba]')`, 5*time.Second)
	b.Eval(`click('[data-testid=add-waba]')`, nil)
	b.WaitFor("the WABA form", `seen('[data-testid=form-waba]')`, 5*time.Second)
	b.Eval(`type('input[name=phone_number_id]', '12 34') && type('input[name=waba_id]', '1') && type('input[name=access_token]', 'x') && type('input[name=app_secret]', 'y') && click('[data-testid=form-waba] .btn.primary')`, nil)
	b.WaitFor("the bad field marked", `seen('.cab-field.bad input[name=phone_number_id]')`, 5*time.Second)
	b.Screenshot("cabinet-connection-form")
	for _, tab := range []string{"quick", "blacklist", "employees", "audit"} {
		b.Eval(`click('[data-tab=`+tab+`]')`, nil)
		b.WaitFor(tab, `q('[data-tab=`+tab+`]').classList.contains('on') && !text('.cab-main').includes('Загрузка')`, 5*time.Second)
	}
	b.Eval(`click('[data-tab=employees]')`, nil)
	b.WaitFor("the employee list", `text('.cab-table').includes('Ольга Админова')`, 5*time.Second)
	b.Screenshot("cabinet-employees")
}
