package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	hubpkg "github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/testwait"
)

// xssPayloads are markup and script a hostile customer or colleague can type anywhere: a name,
// a message, a file name. Each would set window.__xss if it ever ran.
var xssPayloads = []string{
	`<img src=x onerror="window.__xss='img'">`,
	`<script>window.__xss='script'</script>`,
	`<svg onload="window.__xss='svg'"></svg>`,
	`"><iframe src="javascript:parent.__xss='iframe'"></iframe>`,
	`<a href="javascript:window.__xss='a'">click</a> javascript:window.__xss='link'`,
	`{{constructor.constructor('window.__xss=1')()}} ${window.__xss=2}`,
}

// The payload set shown in the chat window's views — the list (names, last messages), the chat
// (messages, a file's name), the template picker (a quick reply's and a WABA template's names
// and texts, the quick reply put into the composer, the template's preview), the profile and
// the search — stays text: nothing runs (a script or
// handler that did would also be a Content-Security-Policy violation, which fails every browser
// test) and no element is injected.
func TestHostileTextsRenderAsText(t *testing.T) {
	requireApp(t)
	hub := StartHub(t)
	sb := hub.WaitSandbox(t)
	admin := sb.User(t, "admin", func(u SandboxUser) bool { return u.IsAdmin })
	waba := sb.Connection(t, "waba", true)
	name := "Xss " + xssPayloads[0]
	customer := map[string]any{"phone": "+7 916 555-07-07", "name": name}
	for _, p := range xssPayloads {
		hub.CustomerSends(t, map[string]any{"connection_id": waba.ID, "from": customer, "type": "text", "text": p})
	}

	// A colleague's file whose name is a payload, sent into the chat.
	token := hub.Session(t, admin.ID)
	var chats struct {
		Items []struct {
			Contact    struct{ Name string }
			OpenChatID string `json:"open_chat_id"`
		}
	}
	chatID := ""
	if !testwait.Within(testwait.Bound, func() bool {
		hub.API(t, token, http.MethodGet, "/api/v1/chats?scope=all&limit=200", nil, &chats)
		for _, c := range chats.Items {
			if c.Contact.Name == name {
				chatID = c.OpenChatID
			}
		}
		return chatID != ""
	}) {
		t.Fatalf("the customer's chat never appeared: %+v", chats.Items)
	}
	fileName := `<img src=x onerror=window.__xss='file'>.txt` // no quotes: stored names lose them
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	part, _ := mw.CreateFormFile("file", fileName)
	part.Write([]byte("hello"))
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, hub.URL+"/api/v1/uploads", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var up struct{ ID string }
	json.NewDecoder(res.Body).Decode(&up)
	res.Body.Close()
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("upload: %d", res.StatusCode)
	}
	hub.API(t, token, http.MethodPost, "/api/v1/chats/"+chatID+"/messages",
		map[string]any{"client_id": "xss-file", "attachments": []string{up.ID}, "text": xssPayloads[1]}, nil)

	// A quick reply and a WABA template whose names and texts are payloads, in the customer's
	// workspace (the one holding the WhatsApp connection).
	ctx := context.Background()
	wss, err := hub.Store.Workspaces(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wsID := ""
	for _, ws := range wss {
		if _, err := hub.Store.Connection(ctx, ws.ID, waba.ID); err == nil {
			wsID = ws.ID
		}
	}
	quickName, quickBody := "Xss quick "+xssPayloads[2], xssPayloads[3]+" "+xssPayloads[4]
	if _, err := hub.Store.SaveQuickReply(ctx, hubpkg.Template{WorkspaceID: wsID, Name: quickName, Body: quickBody, Language: "ru"}); err != nil {
		t.Fatal(err)
	}
	tplName, tplBody := "xss_"+xssPayloads[1], xssPayloads[0]+" "+xssPayloads[5]
	if _, err := hub.Store.UpsertTemplate(ctx, hubpkg.Template{WorkspaceID: wsID, ConnectionID: waba.ID, Kind: hubpkg.TemplateWABA,
		Name: tplName, Language: "ru", Body: tplBody, Status: "APPROVED", Category: "UTILITY",
		UpdatedAt: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}

	w := openWindow(t, hub, admin, 1280, 800, "&mode=page")
	clean := func(view string) {
		t.Helper()
		var bad string
		w.Eval(`(() => { const d = doc(), win = d.defaultView;
			if (win.__xss !== undefined || window.__xss !== undefined) return "ran: " + (win.__xss || window.__xss);
			const el = d.querySelector('#root img[src="x"], #root script, #root iframe, #root svg[onload], #root [onerror], #root a[href^="javascript:"]');
			return el ? "injected: " + el.outerHTML : ""; })()`, &bad)
		if bad != "" {
			t.Fatalf("%s: %s", view, bad)
		}
	}
	w.waitRow(name)
	clean("the chat list")
	w.openChat(name)
	for _, p := range xssPayloads {
		w.waitBubble(p)
	}
	w.WaitFor("the file's name as text", fmt.Sprintf("doc().body.innerText.includes(%s)", JS(strings.TrimSuffix(fileName, ".txt"))), 15*time.Second)
	clean("the chat")

	// The picker lists them as text; the quick reply goes into the composer as written, the
	// template's form previews its text as written.
	openPicker := func() {
		w.Eval("(q('.composer textarea').focus(), click(qa('.composer-row .icon-btn')[0]))", nil)
		w.WaitFor("the picker", "q('.dialog .template')", 10*time.Second)
		w.Eval("type('.template-search', 'xss')", nil)
		w.WaitFor("the two hostile entries", "qa('.dialog .template').length === 2", 10*time.Second)
	}
	openPicker()
	clean("the template picker")
	var names []string
	w.Eval("qa('.dialog .template-name').map((e) => e.innerText).sort()", &names)
	if want := []string{quickName, tplName}; strings.Join(names, "|") != strings.Join(want, "|") {
		t.Fatalf("the picker shows %q, want %q", names, want)
	}
	w.Screenshot("xss-picker")
	w.Eval(fmt.Sprintf("click(qa('.dialog .template').find((e) => e.querySelector('.template-name').innerText === %s))", JS(quickName)), nil)
	w.WaitFor("the quick reply in the composer as written", "!q('.dialog') && q('.composer textarea').value === "+JS(quickBody), 10*time.Second)
	clean("the composer")
	w.Eval("type('.composer textarea', '')", nil)
	openPicker()
	w.Eval(fmt.Sprintf("click(qa('.dialog .template').find((e) => e.querySelector('.template-name').innerText === %s))", JS(tplName)), nil)
	w.WaitFor("the template's preview as written", "text('.template-preview') === "+JS(tplBody), 10*time.Second)
	clean("the template form")
	w.Screenshot("xss-template-form")
	w.Eval("key(q('.dialog'), 'Escape')", nil)
	w.WaitFor("Esc to close the form", "!q('.dialog')", 10*time.Second)

	w.Eval(`click(q('.chat-head .name'))`, nil)
	w.WaitFor("the profile", fmt.Sprintf("qa('.profile, .contact-panel, aside').some((e) => e.innerText.includes(%s))", JS(name)), 10*time.Second)
	clean("the profile")
	w.Eval(fmt.Sprintf("type(q('input[type=search]'), %s)", JS("Xss <img")), nil)
	w.WaitFor("the search result", rowOf(name), 15*time.Second)
	clean("the search")
}
