package e2e

import (
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/testwait"
)

// An employee reacts to a customer's WhatsApp message from the message's side: the reaction
// shows on the bubble as the company's at once, reaches the customer's phone (the simulator),
// and a click on it takes it off there too. The react button stays inside a 360 px card.
func TestEmployeeReactsToACustomersMessage(t *testing.T) {
	requireApp(t)
	hub := StartHub(t)
	sb := hub.WaitSandbox(t)
	admin := sb.User(t, "an admin", func(u SandboxUser) bool { return u.IsAdmin })
	waba := sb.Connection(t, "waba", true)
	const text = "¿Me reservan dos entradas?"
	hub.CustomerSends(t, map[string]any{"connection_id": waba.ID, "from": map[string]any{"phone": "+34 611 22 33 44", "name": "Lucía Reacciones"},
		"type": "text", "text": text})
	onPhone := func(want string) bool {
		var box struct {
			Items []struct {
				Text             string
				BusinessReaction string `json:"business_reaction"`
			}
		}
		hub.GetJSON(t, "/sandbox/customers/inbox?connection_id="+waba.ID+"&chat=34611223344", &box)
		for _, m := range box.Items {
			if m.Text == text {
				return m.BusinessReaction == want
			}
		}
		return false
	}

	w := openWindow(t, hub, admin, 360, 740, "&mode=page")
	w.openChat("Lucía Reacciones")
	w.waitBubble(text)
	bubble := "qa('.msg.in').find((m) => m.innerText.includes(" + JS(text) + "))"
	w.Eval("click("+bubble+".querySelector('.react'))", nil)
	w.WaitFor("the quick reactions", "q('.react-picker button')", 5*time.Second)
	w.Screenshot("reactions-picker-360")
	var inside bool
	w.Eval("(() => { const r = q('.react-picker').getBoundingClientRect(); return r.left >= 0 && r.right <= innerWidth; })()", &inside)
	if !inside {
		t.Error("the quick reactions stick out of a 360 px card")
	}
	w.Eval("click(qa('.react-picker button').find((b) => b.innerText === '👍'))", nil)
	w.WaitFor("the company's reaction on the bubble", bubble+".querySelector('.reaction.ours')?.innerText === '👍'", 10*time.Second)
	if !testwait.Within(testwait.Bound, func() bool { return onPhone("👍") }) {
		t.Fatal("the reaction never reached the customer's WhatsApp")
	}
	w.Screenshot("reactions-on-bubble-360")

	w.Eval("click("+bubble+".querySelector('.reaction.ours'))", nil)
	w.WaitFor("the reaction taken off", "!"+bubble+".querySelector('.reaction.ours')", 10*time.Second)
	if !testwait.Within(testwait.Bound, func() bool { return onPhone("") }) {
		t.Fatal("the reaction was not taken off the customer's WhatsApp")
	}
}
