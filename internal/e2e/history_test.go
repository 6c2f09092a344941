package e2e

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
)

// B7: a chat with thousands of messages. The window pages back through all of them as the view
// nears the top, while the DOM holds only the rows near the viewport.
func TestChatWindowHistoryOfThousandsIsVirtualized(t *testing.T) {
	requireApp(t)
	const total = 3000
	h := StartHub(t)
	sb := h.WaitSandbox(t)
	admin := sb.User(t, "admin", func(u SandboxUser) bool { return u.IsAdmin })
	waba := sb.Connection(t, "waba", true)
	name := "Ирина Долгоиграющая"
	h.CustomerSends(t, map[string]any{"connection_id": waba.ID, "from": map[string]any{"phone": "+7 916 555-03-03", "name": name},
		"type": "text", "text": "Последнее сообщение"})

	token := h.Session(t, admin.ID)
	waitStored(t, h, token, "Долгоиграющая", "Последнее сообщение") // the inbound worker is asynchronous
	var list struct {
		Items []struct {
			Contact struct{ Name string }
			Chats   []struct{ ID string }
		}
	}
	h.API(t, token, "GET", "/api/v1/chats?scope=all&limit=200", nil, &list)
	chatID := ""
	for _, e := range list.Items {
		if e.Contact.Name == name && len(e.Chats) > 0 {
			chatID = e.Chats[0].ID
		}
	}
	if chatID == "" {
		t.Fatalf("no chat of %s in %+v", name, list.Items)
	}
	wss, err := h.Store.Workspaces(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 1, 12, 9, 0, 0, 0, time.UTC) // explicit: the order is the one written here
	msgs := make([]hub.Message, total)
	for i := range msgs {
		dir, status := hub.DirIn, hub.StatusReceived
		if i%3 == 0 {
			dir, status = hub.DirOut, hub.StatusRead
		}
		msgs[i] = hub.Message{Direction: dir, Type: hub.TypeText, Status: status, AuthorName: "Анна Смирнова",
			Text: fmt.Sprintf("История, сообщение %04d", i+1), ProviderKey: fmt.Sprintf("history.%d", i), CreatedAt: start.Add(time.Duration(i) * time.Minute)}
	}
	imported := false
	for _, ws := range wss {
		if _, err := h.Store.ImportMessages(context.Background(), ws.ID, chatID, msgs); err == nil {
			imported = true
			break
		}
	}
	if !imported {
		t.Fatal("the chat is in no workspace")
	}

	w := openWindow(t, h, admin, 1280, 800, "&mode=page")
	w.openChat(name)
	w.waitBubble("Последнее сообщение")
	began := time.Now()
	most := 0
	// A reader holds the view at the top as the pages come in (the page does the scrolling, so
	// no step of it waits on this process), and the rows in the DOM are counted at each step.
	w.Eval(`(window.__most = 0, window.__reader = setInterval(() => {
		const h = q('.history');
		if (h) h.scrollTop = 0;
		window.__most = Math.max(window.__most, qa('.msg').length);
	}, 50), true)`, nil)
	if !w.Within("text('.history').includes('История, сообщение 0001')", 60*time.Second) {
		var first string
		w.Eval("(qa('.msg')[0] || {innerText: ''}).innerText + ' | scrollTop ' + q('.history').scrollTop + ' of ' + q('.history').scrollHeight", &first)
		w.fail("did not reach the first message by scrolling up; the top row: %s", first)
	}
	w.Eval("(clearInterval(window.__reader), window.__most)", &most)
	t.Logf("paged back through %d messages in %s by scrolling; at most %d message rows were in the DOM", total, time.Since(began).Round(time.Millisecond), most)
	if most > 200 {
		t.Errorf("%d message rows in the DOM: the history is not virtualized", most)
	}
	w.WaitFor("the start of the conversation", "text('.history').includes("+JS(w.T("app.history.start"))+")", 10*time.Second)
	w.Screenshot("history-start")
}
