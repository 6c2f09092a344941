package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/crm/amocrm"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/i18n"
	sandboxamo "github.com/switchboardhq/switchboard/internal/sandbox/amocrm"
	"github.com/switchboardhq/switchboard/internal/testwait"
	"github.com/switchboardhq/switchboard/web"
)

// reopenUntil reloads url until cond holds (the sandbox CRM's pages are server-rendered, as
// amoCRM's feed refreshes), failing with what after timeout.
func reopenUntil(b *Browser, what, url, cond string, timeout time.Duration) {
	b.t.Helper()
	if !testwait.Within(timeout, func() bool {
		b.Open(url)
		return b.Within(cond, 500*time.Millisecond)
	}) {
		b.Screenshot("amojo-timeout")
		b.t.Fatalf("waiting %s for %s (%s)", timeout, what, cond)
	}
}

// feedHas is a JS condition: a message in the card's feed by author whose text includes text
// (and, when status is set, with that delivery status or later).
func feedHas(author, text string, statuses ...string) string {
	cond := fmt.Sprintf(`[...document.querySelectorAll('[data-feed-message]')].some((m) => m.querySelector('.feed-msg__author').innerText === %s && m.innerText.includes(%s)`,
		JS(author), JS(text))
	if len(statuses) > 0 {
		cond += fmt.Sprintf(` && %s.includes(m.dataset.status)`, JS(strings.Join(statuses, " ")))
	}
	return cond + ")"
}

// amoCRM's own chats, as a manager lives them in the sandbox: a new customer's WhatsApp message
// is an incoming lead with the message in its feed; the manager accepts it and answers from the
// deal's feed; the customer gets the answer, the hub's window shows it under the manager's
// name, and its delivery reaches amoCRM's feed; an answer from the hub's window shows in the
// deal's feed as the employee's.
func TestAmoCRMChatsIncomingLeadToReplyAndBack(t *testing.T) {
	h := StartHub(t)
	sb := h.WaitSandbox(t)
	waba := sb.Connection(t, "waba", true)
	ctx := context.Background()
	ws, err := h.Store.WorkspaceByCRM(ctx, amocrm.CRMKind, sandboxamo.DemoAccountID)
	if err != nil {
		t.Fatal(err)
	}
	testwait.Until(t, "the demo's amoCRM chats mirror to be on and connected", func() bool {
		a, err := h.Store.AmojoAccount(ctx, ws.ID)
		return err == nil && a.Enabled && a.ScopeID != ""
	})

	const phone, name, first = "+34 622 100 200", "Rosa Díaz", "Hola, ¿el aceite de 5 litros está disponible?"
	h.CustomerSends(t, map[string]any{"connection_id": waba.ID, "from": map[string]any{"phone": phone, "name": name},
		"type": "text", "text": first})

	b := NewBrowser(t, 1400, 860)
	manager := sandboxamo.DemoOwnRU
	leads := fmt.Sprintf("%s/sandbox/amocrm/leads?as=%d", h.URL, manager)
	incoming := fmt.Sprintf(`[...document.querySelectorAll('#incoming-leads tr[data-incoming-lead]')].find((r) => r.innerText.includes(%s))`, JS(name))
	reopenUntil(b, "the incoming lead with the customer's name", leads, incoming, 20*time.Second)
	b.Screenshot("amojo-incoming-lead")
	var leadID string
	b.Eval(incoming+`.dataset.incomingLead`, &leadID)
	card := fmt.Sprintf("%s/sandbox/amocrm/leads/detail/%s", h.URL, leadID)
	reopenUntil(b, "the customer's message in the incoming lead's feed", card, feedHas(name, first), 10*time.Second)

	// Accept: the incoming lead becomes a deal of the manager's.
	b.Eval(`(document.querySelector('.card-incoming .crm-accept').click(), true)`, nil)
	b.WaitFor("the accepted deal", `location.pathname.endsWith(`+JS("/leads/detail/"+leadID)+`) && document.readyState === "complete" && !document.querySelector('.card-incoming') && document.querySelector('.feed-reply textarea')`, 10*time.Second)

	// The manager answers from the deal's feed; amoCRM sends the hub its hook.
	const answer = "¡Hola, Rosa! Sí, hay 5 litros en stock."
	b.Eval(`(document.querySelector('.feed-reply textarea').value = `+JS(answer)+`, document.querySelector('.feed-reply button').click(), true)`, nil)
	b.WaitFor("the answer in the feed", feedHas("Дмитрий Волков", answer), 10*time.Second)

	// The customer receives it on WhatsApp.
	var outbox struct {
		Items []struct{ Text, Status string }
	}
	if !testwait.Within(testwait.Bound, func() bool {
		h.GetJSON(t, "/sandbox/customers/outbox?connection_id="+waba.ID, &outbox)
		for _, it := range outbox.Items {
			if it.Text == answer {
				return true
			}
		}
		return false
	}) {
		t.Fatalf("the customer never received the answer: %+v", outbox.Items)
	}
	// Its delivery reaches amoCRM's feed.
	reopenUntil(b, "the answer delivered in the feed", card, feedHas("Дмитрий Волков", answer, "delivered", "read"), 20*time.Second)
	b.Screenshot("amojo-deal-feed")

	// The hub's window shows the answer under the manager's name (the accepted lead made them
	// the customer's responsible user, so they see the chat).
	chat, err := h.Store.ChatByExternal(ctx, waba.ID, "34622100200")
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := h.Store.Messages(ctx, ws.ID, chat.ID, "", 20)
	if err != nil {
		t.Fatal(err)
	}
	var reply hub.Message
	for _, m := range msgs {
		if m.Text == answer {
			reply = m
		}
	}
	if reply.AuthorName != "Дмитрий Волков" || reply.Direction != hub.DirOut {
		t.Fatalf("the hub stored the answer as %+v", reply)
	}
	token := h.Session(t, manager)
	const fromWindow = "Le envío el catálogo por aquí."
	if web.Built("app") {
		user := sb.User(t, "the manager", func(u SandboxUser) bool { return u.ID == manager })
		w := openWindow(t, h, user, 1280, 800, "")
		w.openChat(name)
		w.waitBubble(answer)
		var author string
		w.Eval(bubble(answer)+`.querySelector('.author').innerText`, &author)
		if author != "Дмитрий Волков" {
			t.Errorf("the window shows the answer by %q", author)
		}
		w.Screenshot("amojo-window-answer")
		w.typeAndEnter(fromWindow)
		w.waitBubble(fromWindow)
	} else {
		h.API(t, token, "POST", "/api/v1/chats/"+chat.ID+"/messages", map[string]any{"client_id": "amojo-e2e", "text": fromWindow}, nil)
	}
	// The window's answer shows in the deal's feed as the employee's.
	reopenUntil(b, "the window's answer in the feed", card, feedHas("Дмитрий Волков", fromWindow), 20*time.Second)
}

// The cabinet's amoCRM chats tab: the demo has the mirror on and connected, the page warns that
// replies typed in amoCRM bypass the hub's visibility rules, offers the account's pipelines per
// connection, and switching off stops the mirror.
func TestCabinetCRMChatsTab(t *testing.T) {
	requireCabinet(t)
	h := StartHub(t)
	h.WaitSandbox(t)
	ctx := context.Background()
	ws, err := h.Store.WorkspaceByCRM(ctx, amocrm.CRMKind, sandboxamo.DemoAccountID)
	if err != nil {
		t.Fatal(err)
	}
	token := h.Session(t, sandboxamo.DemoAdmin)
	var handoff struct{ URL string }
	h.API(t, token, "POST", "/api/cabinet/v1/handoff", nil, &handoff)
	b := NewBrowser(t, 1200, 860)
	b.Open(handoff.URL)
	b.WaitFor("the cabinet", `seen('[data-tab=crmchats]')`, 15*time.Second)
	b.Eval(`click('[data-tab=crmchats]')`, nil)
	b.WaitFor("the mirror on and connected", `q('[data-testid=crm-chats-switch]') && q('[data-testid=crm-chats-switch]').checked && text('[data-testid=crm-chats-state]') === `+
		JS(i18n.T("ru", "cabinet.crmchats.connected")), 15*time.Second)
	if note := b.Text("[data-testid=crm-chats] [role=note]"); note != i18n.T("ru", "cabinet.crmchats.rights") {
		t.Errorf("the rights note reads %q", note)
	}
	b.WaitFor("the pipelines per connection", `qa('.cab-main select option').some((o) => o.innerText === 'Воронка')`, 10*time.Second)
	b.Screenshot("cabinet-crm-chats")
	b.Eval(`click('[data-testid=crm-chats-switch]')`, nil)
	b.WaitFor("switched off", `!q('[data-testid=crm-chats-switch]').checked && seen('.cab-notice.ok')`, 10*time.Second)
	if a, err := h.Store.AmojoAccount(ctx, ws.ID); err != nil || a.Enabled || a.ScopeID != "" {
		t.Fatalf("after switching off: %+v %v", a, err)
	}
}
