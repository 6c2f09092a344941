package e2e

import (
	"testing"
	"time"
)

// B4: the hub restarts under an open window (a deploy, a crash). The socket drops, a quiet
// banner says so, the window reconnects by itself with the last seq it saw, and what the
// customer wrote meanwhile appears without a reload.
func TestChatWindowCatchesUpAfterTheHubRestarts(t *testing.T) {
	requireApp(t)
	hub := StartHub(t)
	sb := hub.WaitSandbox(t)
	admin := sb.User(t, "admin", func(u SandboxUser) bool { return u.IsAdmin })
	waba := sb.Connection(t, "waba", true)
	customer := map[string]any{"phone": "+7 916 555-02-02", "name": "Роман Переподключенский"}
	hub.CustomerSends(t, map[string]any{"connection_id": waba.ID, "from": customer, "type": "text", "text": "Первое сообщение"})

	w := openWindow(t, hub, admin, 1280, 800, "&mode=page")
	w.openChat("Роман Переподключенский")
	w.waitBubble("Первое сообщение")
	w.Eval("(doc().defaultView.__sameDocument = true)", nil)

	hub = hub.Restart(t, func() {
		w.WaitFor("the offline banner while the hub is down", "seen('.offline')", 30*time.Second)
		w.Screenshot("offline-banner")
	})
	hub.WaitSandbox(t)
	hub.CustomerSends(t, map[string]any{"connection_id": waba.ID, "from": customer, "type": "text", "text": "Пока вас не было"})
	w.WaitFor("the missed message, after the reconnection", "!seen('.offline') && "+bubble("Пока вас не было"), 60*time.Second)
	var same bool
	w.Eval("doc().defaultView.__sameDocument === true", &same)
	if !same {
		t.Error("the window reloaded to catch up; it should replay the missed events in place")
	}
}
