package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/crm/amocrm"
	"github.com/switchboardhq/switchboard/internal/i18n"
	sandboxamo "github.com/switchboardhq/switchboard/internal/sandbox/amocrm"
)

// A language changed in the CRM reaches an open chat window (F34): when the users refresh
// stores the employee's new language, the window switches to it without a reload, fetching that
// language's texts then (the window opened in the CRM's language fetched only its own).
func TestLanguageChangeReachesAnOpenWindow(t *testing.T) {
	requireApp(t)
	h := StartHub(t)
	sb := h.WaitSandbox(t)
	carlos := sb.User(t, "the es manager", func(u SandboxUser) bool { return u.ID == sandboxamo.DemoES })
	w := openWindow(t, h, carlos, 1280, 800, "&lang="+carlos.Lang)
	search := `q('input[type=search], .search input')?.placeholder`
	w.WaitFor("the window in Spanish", search+` === `+JS(i18n.T("es", "app.search.placeholder"))+` && document.documentElement.lang === 'es'`, 10*time.Second)
	// The languages whose texts the window fetched, in order.
	const fetched = `performance.getEntriesByType('resource').map((r) => /\/catalogue-([a-z]+)-/.exec(r.name)?.[1]).filter(Boolean).join(',')`
	var langs string
	w.Eval(fetched, &langs)
	if langs != "es" {
		t.Errorf("the window fetched the texts of %q, want only Spanish's", langs)
	}
	// The change must come after the event socket's hello (the list may be drawn before it):
	// from then on the socket hears changes.
	w.waitRow("Lucía Fernández")
	w.WaitFor("the event socket's hello", "performance.getEntriesByName('switchboard:hello').length", 10*time.Second)
	w.Eval(`(window.notReloaded = true)`, nil)

	// What the users refresh does when the CRM says Carlos now works in Russian.
	ctx := context.Background()
	ws, err := h.Store.WorkspaceByCRM(ctx, amocrm.CRMKind, sandboxamo.DemoAccountID)
	if err != nil {
		t.Fatal(err)
	}
	emps, err := h.Store.Employees(ctx, ws.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range emps {
		if e.CRMUserID == sandboxamo.DemoES {
			e.Lang = "ru"
			if _, _, err := h.Store.ProvisionEmployee(ctx, e); err != nil {
				t.Fatal(err)
			}
		}
	}
	w.WaitFor("the window in Russian, not reloaded", search+` === `+JS(i18n.T("ru", "app.search.placeholder"))+` && document.documentElement.lang === 'ru' && window.notReloaded === true`, 15*time.Second)
	w.Eval(fetched, &langs)
	if langs != "es,ru" {
		t.Errorf("the window fetched the texts of %q, want Spanish's, then Russian's", langs)
	}
}
