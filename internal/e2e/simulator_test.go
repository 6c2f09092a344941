package e2e

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/testwait"
)

// A person plays a customer on the simulator page: writes on WhatsApp, the hub gets it through
// the real signed webhook, an employee's answer appears on the page with its ticks, and the page
// showing it makes WhatsApp report it read back to the hub.
func TestCustomerSimulatorPage(t *testing.T) {
	h := StartHub(t)
	sb := h.WaitSandbox(t)
	waba := sb.Connection(t, "waba", true)
	b := NewBrowser(t, 1100, 720)
	b.Open(h.URL + "/sandbox/customers/?lang=ru")
	b.WaitFor("the connections", fmt.Sprintf("document.querySelector('#conn option[value=%q]')", waba.ID), 10*time.Second)
	b.WaitFor("the customer's details", "document.querySelector('#phone').value !== ''", 10*time.Second)
	b.Eval(fmt.Sprintf("(() => { const s = document.querySelector('#conn'); s.value = %s; s.dispatchEvent(new Event('change')); return true; })()", JS(waba.ID)), nil)
	b.Eval("(() => { document.querySelector('#text').value = 'Добрый день! Сенча есть в наличии?'; document.querySelector('#send').click(); return true; })()", nil)
	b.WaitFor("my message on the page", "[...document.querySelectorAll('.msg.mine')].some((m) => m.innerText.includes('Сенча есть'))", 10*time.Second)

	ctx := context.Background()
	var chat hub.Chat
	testwait.Until(t, "the customer's message to reach the hub", func() bool {
		c, err := h.Store.ChatByExternal(ctx, waba.ID, "79031112233")
		chat = c
		return err == nil
	})
	emp, _, err := h.Store.ProvisionEmployee(ctx, hub.Employee{WorkspaceID: chat.WorkspaceID, CRMUserID: 999001, Name: "Тест Сотрудник",
		Role: hub.RoleManager, Lang: "ru"})
	if err != nil {
		t.Fatal(err)
	}
	reply, _, err := h.Store.CreateOutbound(ctx, hub.Message{WorkspaceID: chat.WorkspaceID, ChatID: chat.ID, ConnectionID: waba.ID,
		Type: hub.TypeText, Text: "Да, сенча есть, 7,90 €", AuthorID: emp.ID, AuthorName: emp.Name, ClientID: uuid.NewString()})
	if err != nil {
		t.Fatal(err)
	}
	b.WaitFor("the employee's answer with ticks", "[...document.querySelectorAll('.msg:not(.mine)')].some((m) => m.innerText.includes('сенча есть') && m.querySelector('.tick.delivered, .tick.read'))", 15*time.Second)
	b.Screenshot("simulator-conversation")
	testwait.Until(t, "the answer to be reported read", func() bool {
		m, err := h.Store.Message(ctx, chat.WorkspaceID, reply.ID)
		return err == nil && m.Status == hub.StatusRead
	})
}
