package e2e

import (
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/testwait"
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
	var same, resynced bool
	w.Eval("doc().defaultView.__sameDocument === true", &same)
	w.Eval("doc().defaultView.performance.getEntriesByName('switchboard:resync').length > 0", &resynced)
	if !same || resynced {
		t.Errorf("same document %v, resync %v: want the missed events replayed by seq, in place", same, resynced)
	}
}

// When the event log no longer reaches back to where the window stopped (pruned while it was
// away), the hub says resync and the window reloads its list and history in place.
func TestChatWindowResyncsWhenTheLogNoLongerReachesBack(t *testing.T) {
	requireApp(t)
	hub := StartHub(t)
	sb := hub.WaitSandbox(t)
	admin := sb.User(t, "admin", func(u SandboxUser) bool { return u.IsAdmin })
	waba := sb.Connection(t, "waba", true)
	customer := map[string]any{"phone": "+7 916 555-04-04", "name": "Олеся Пересинхронова"}
	hub.CustomerSends(t, map[string]any{"connection_id": waba.ID, "from": customer, "type": "text", "text": "До перерыва"})

	w := openWindow(t, hub, admin, 1280, 800, "&mode=page")
	w.openChat("Олеся Пересинхронова")
	w.waitBubble("До перерыва")
	w.Eval("(doc().defaultView.__sameDocument = true)", nil)

	// The window stays away (its event requests fail) until the new message is stored and the log
	// pruned behind it, as after a long sleep.
	w.BlockRequests("*://*:*/api/v1/events*")
	hub = hub.Restart(t, func() {
		w.WaitFor("the offline note while the hub is down", "seen('.offline')", 30*time.Second)
	})
	hub.WaitSandbox(t)
	hub.CustomerSends(t, map[string]any{"connection_id": waba.ID, "from": customer, "type": "text", "text": "После перерыва"})
	waitStored(t, hub, hub.Session(t, admin.ID), "Пересинхронова", "После перерыва")
	// Everything up to now leaves the log, as the hourly pruning does after a long absence.
	if _, err := hub.Store.PruneEvents(t.Context(), time.Now().Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	w.BlockRequests()
	w.WaitFor("the window reloaded in place with the new message", "!seen('.offline') && "+bubble("После перерыва"), 60*time.Second)
	var same, resynced bool
	w.Eval("doc().defaultView.__sameDocument === true", &same)
	w.Eval("doc().defaultView.performance.getEntriesByName('switchboard:resync').length > 0", &resynced)
	if !same || !resynced {
		t.Errorf("same document %v, resync received %v: want a resync that refetches in place", same, resynced)
	}
}

// waitStored waits until the chat of the contact found by query has text as its last message.
func waitStored(t *testing.T, h *SandboxInstance, token, query, text string) {
	t.Helper()
	testwait.Until(t, fmt.Sprintf("%q to become the last message of %q's chat", text, query), func() bool {
		var list struct {
			Items []struct {
				Chats []struct {
					LastMessage *struct{ Text string } `json:"last_message"`
				}
			}
		}
		h.API(t, token, "GET", "/api/v1/chats?scope=all&q="+url.QueryEscape(query), nil, &list)
		for _, it := range list.Items {
			for _, c := range it.Chats {
				if c.LastMessage != nil && c.LastMessage.Text == text {
					return true
				}
			}
		}
		return false
	})
}
