package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// The demo CRM's fixed records these scenarios lean on (internal/sandbox/amocrm's demo account):
// deal 30004 has the contacts 20003 and 20004 and belongs to the Moscow group; contact 20001
// belongs to the manager with "own only" rights; contact 20009 to the English-speaking manager.
const (
	dealTwoContacts = 30004
	contactOwnRU    = 20001
)

// demoCustomers are customers of CRM contacts of the demo account, by CRM contact id.
var demoCustomers = []struct {
	crmContact int64
	from       map[string]any
}{
	{20001, map[string]any{"phone": "+7 916 123-45-67", "name": "Иван Петров"}},
	{20003, map[string]any{"phone": "8 926 123-45-67", "name": "Сергей Морозов"}},
	{20004, map[string]any{"phone": "+7 925 777 88 99", "name": "Татьяна Лебедева"}},
	{20009, map[string]any{"phone": "+1 415-555-0134", "name": "Michael Brown"}},
}

// seedDemoChats has the admin open a chat from each of demoCustomers' CRM contacts (F26 links
// it) unless the demo data has it, then has each customer write.
func seedDemoChats(t *testing.T, hub *SandboxInstance, sb Sandbox, waba SandboxConnection) {
	t.Helper()
	admin := hub.Session(t, sb.User(t, "admin", func(u SandboxUser) bool { return u.IsAdmin }).ID)
	for _, c := range demoCustomers {
		// The sandbox's demo data already has most of these chats (409 chat_exists): either way
		// the customer writes next.
		code, body := hub.APIStatus(t, admin, "POST", "/api/v1/chats", map[string]any{"connection_id": waba.ID,
			"phone": c.from["phone"], "crm_contact_id": c.crmContact})
		if code != http.StatusCreated && code != http.StatusConflict {
			t.Fatalf("POST /api/v1/chats for %v: %d %s", c.from["name"], code, body)
		}
		hub.CustomerSends(t, map[string]any{"connection_id": waba.ID, "from": c.from, "type": "text", "text": "Добрый день, " + c.from["name"].(string)})
	}
}

func rightsView(u SandboxUser) string {
	if c, ok := u.Rights["contacts"].(map[string]any); ok {
		if v, ok := c["view"].(string); ok {
			return v
		}
	}
	return ""
}

// Managers see what their CRM rights allow, never the Block action, and the window speaks their
// language (ru, es, and English for anything else); cards show their contacts' chats with a ×.
func TestChatWindowAsManagers(t *testing.T) {
	requireApp(t)
	hub := StartHub(t)
	sb := hub.WaitSandbox(t)
	waba := sb.Connection(t, "waba", true)
	seedDemoChats(t, hub, sb, waba)
	own := sb.User(t, "a ru manager with own-only rights", func(u SandboxUser) bool { return !u.IsAdmin && u.Lang == "ru" && rightsView(u) == "M" })
	group := sb.User(t, "a ru manager with group rights", func(u SandboxUser) bool { return !u.IsAdmin && u.Lang == "ru" && rightsView(u) == "G" })
	es := sb.User(t, "the es manager", func(u SandboxUser) bool { return u.Lang == "es" })
	pt := sb.User(t, "the pt manager", func(u SandboxUser) bool { return u.Lang == "pt" })
	en := sb.User(t, "the en manager", func(u SandboxUser) bool { return u.Lang == "en" })

	t.Run("own-only manager: own contacts, no Block", func(t *testing.T) {
		w := openWindow(t, hub, own, 1280, 800, "&mode=page")
		w.openChat("Иван Петров")
		var others bool
		w.Eval(rowOf("Michael Brown")+" !== undefined || "+rowOf("Сергей Морозов")+" !== undefined", &others)
		if others {
			t.Error("a manager with own-only rights sees other managers' contacts")
		}
		var groups int
		w.Eval("qa('.row.group').length", &groups)
		if groups != 0 {
			t.Errorf("a manager sees %d group chats (F10: admins only)", groups)
		}
		if items := w.menuItems(); fmt.Sprint(items) != fmt.Sprint([]string{w.T("app.menu.profile"), w.T("app.menu.new_chat")}) {
			t.Errorf("manager's ⋮ menu: %q, want %q and %q (no Block)", items, w.T("app.menu.profile"), w.T("app.menu.new_chat"))
		}
		w.Screenshot("manager-menu")
	})

	t.Run("create chat with another manager's customer: chat_access_denied", func(t *testing.T) {
		w := openWindow(t, hub, own, 1280, 800, "&mode=page")
		w.Eval("click('.search .plus')", nil)
		w.WaitFor("the create dialog", "q('.dialog select') && q('.dialog select').options.length > 0", 10*time.Second)
		w.Eval("type('.dialog select', "+JS(waba.ID)+")", nil)
		w.Eval("type('.dialog input[name=target]', '+1 415-555-0134')", nil) // Michael Brown's, not this manager's
		w.Eval("click('.dialog button[type=submit]')", nil)
		w.WaitFor("the refusal", "q('.dialog .outcome') && q('.dialog .outcome').dataset.code === 'chat_access_denied' && text('.dialog .outcome p') === "+
			JS(w.T("error.chat_access_denied")), 15*time.Second)
		var goTo bool
		w.Eval("!!q('.dialog .outcome button')", &goTo)
		if goTo {
			t.Error("a Go to chat button is offered for a chat the manager may not see")
		}
		w.Screenshot("create-chat_access_denied")
	})

	t.Run("deal card: both contacts, a close button, no search", func(t *testing.T) {
		w := openWindow(t, hub, group, 1000, 700, "&mode=card&crm_lead_id="+fmtInt(dealTwoContacts))
		w.waitRow("Сергей Морозов")
		w.waitRow("Татьяна Лебедева")
		w.WaitFor("a chat open at once", "q('.chat-head')", 10*time.Second)
		var search, close bool
		w.Eval("!!q('.search')", &search)
		w.Eval("!!q('.close')", &close)
		if search || !close {
			t.Errorf("card mode: search shown %v, × shown %v", search, close)
		}
		w.Screenshot("card-deal")
	})

	t.Run("a deal the manager may not see", func(t *testing.T) {
		w := openWindow(t, hub, own, 1000, 700, "&mode=card&crm_lead_id="+fmtInt(dealTwoContacts))
		w.WaitFor("the access refusal", "text('.list').includes("+JS(w.T("error.crm_access_denied"))+")", 10*time.Second)
		var rows int
		w.Eval("qa('.entry').length", &rows)
		if rows != 0 {
			t.Errorf("%d chats shown from a deal the CRM hides", rows)
		}
		// Issue 11 #14: nothing invites the manager to pick a chat that is not there.
		if body := w.Text("body"); strings.Contains(body, w.T("app.pick_chat")) {
			t.Errorf("the no-access card says %q", w.T("app.pick_chat"))
		}
	})

	t.Run("contact card at 360 px: list and chat in two steps", func(t *testing.T) {
		w := openWindow(t, hub, own, 360, 640, "&mode=card&crm_contact_id="+fmtInt(contactOwnRU))
		w.WaitFor("the contact's chat open", "text('.chat-head .name').includes('Иван Петров')", 15*time.Second)
		var listShown bool
		w.Eval("seen('.side')", &listShown)
		if listShown {
			t.Error("at 360 px the list stays beside the open chat")
		}
		w.Screenshot("card-contact-360")
		w.Eval("click('.chat-head .back')", nil)
		w.WaitFor("the list step", "seen('.side') && !seen('.chat-view')", 5*time.Second)
	})

	for _, c := range []struct {
		user SandboxUser
		want string // the window's language
	}{{es, "es"}, {pt, "en"}, {en, "en"}, {group, "ru"}} {
		t.Run("language of "+c.user.Lang+" is "+c.want, func(t *testing.T) {
			w := openWindow(t, hub, c.user, 1280, 800, "&mode=page")
			w.lang = c.want
			w.WaitFor("the search placeholder in "+c.want, "q('.search input').placeholder === "+JS(w.T("app.search.placeholder")), 10*time.Second)
			var htmlLang string
			w.Eval("doc().documentElement.lang", &htmlLang)
			if htmlLang != c.want {
				t.Errorf("<html lang=%q>, want %q", htmlLang, c.want)
			}
			w.Screenshot("lang-" + c.user.Lang)
		})
	}
}
