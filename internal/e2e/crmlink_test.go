package e2e

import (
	"net/url"
	"slices"
	"testing"

	sandboxamo "github.com/switchboardhq/switchboard/internal/sandbox/amocrm"

	"github.com/switchboardhq/switchboard/internal/testwait"
)

type listedContact struct {
	Contact struct {
		ID            string   `json:"id"`
		Name          string   `json:"name"`
		Phones        []string `json:"phones"`
		CRMContactIDs []int64  `json:"crm_contact_ids"`
	} `json:"contact"`
}

// findByPhone searches the chat list as the session's employee for a contact with that phone.
func findByPhone(t *testing.T, h *SandboxInstance, token, e164 string) (listedContact, bool) {
	t.Helper()
	var list struct{ Items []listedContact }
	h.API(t, token, "GET", "/api/v1/chats?scope=all&q="+url.QueryEscape(e164[len(e164)-7:]), nil, &list)
	for _, it := range list.Items {
		if slices.Contains(it.Contact.Phones, e164) {
			return it, true
		}
	}
	return listedContact{}, false
}

// F31a: a customer's first message links them to the CRM contact with their phone, so the
// managers the CRM lets see that contact see the chat at once, and the others do not; an
// unknown customer gets a new CRM contact.
func TestNewCustomerIsLinkedToTheCRMAtOnce(t *testing.T) {
	h := StartHub(t)
	sb := h.WaitSandbox(t)
	conn := sb.Connection(t, "waba", true)
	owner := h.Session(t, sandboxamo.DemoOwnRU) // contacts view M; responsible for Иван Петров
	other := h.Session(t, sandboxamo.DemoES)    // contacts view G, another group
	admin := h.Session(t, sandboxamo.DemoAdmin)

	// Иван Петров is in the CRM as "+7 (916) 123-45-67"; he writes from WhatsApp.
	h.CustomerSends(t, map[string]any{"connection_id": conn.ID, "type": "text",
		"from": map[string]any{"phone": "89161234567", "name": "Иван"}, "text": "Стеллажи ещё есть?"})
	var got listedContact
	testwait.Until(t, "the responsible manager to see the customer's chat", func() bool {
		var ok bool
		got, ok = findByPhone(t, h, owner, "+79161234567")
		return ok
	})
	if !slices.Contains(got.Contact.CRMContactIDs, 20001) {
		t.Fatalf("linked to %v, want the CRM contact 20001", got.Contact.CRMContactIDs)
	}
	if _, ok := findByPhone(t, h, other, "+79161234567"); ok {
		t.Fatal("a manager of another group sees a contact the CRM hides from them")
	}

	// Someone the CRM has never heard of: a CRM contact is created for them.
	h.CustomerSends(t, map[string]any{"connection_id": conn.ID, "type": "text",
		"from": map[string]any{"phone": "+7 916 700-80-90", "name": "Новый клиент"}, "text": "Здравствуйте"})
	testwait.Until(t, "the new customer to be linked to a new CRM contact", func() bool {
		c, ok := findByPhone(t, h, admin, "+79167008090")
		return ok && len(c.Contact.CRMContactIDs) > 0
	})
}
