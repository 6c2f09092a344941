package httpapi_test

import (
	"bytes"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// principal is someone asking: a session token (or none) and what they may see of world one.
type principal struct {
	name    string
	token   func() string // evaluated when the principal acts, after its rights are set
	visible []string      // customers of the world they may see
	deal    bool          // may view deal 500
}

// TestAccessMatrix walks every endpoint for every kind of caller and proves that nothing a
// caller may not see reaches them: no list or search entry, chat, message, contact, send,
// draft, mark or file, and no id of it anywhere in any answer (F10, F30–F32).
func TestAccessMatrix(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, e *env) {
		w := e.world(1)
		other := e.world(2)
		var principals []principal
		principals = append(principals, principal{name: "admin", token: func() string { return w.adminToken },
			visible: customers, deal: true})
		for _, r := range []struct {
			contacts, leads string
			visible         []string
			deal            bool
		}{
			{"A", "D", []string{"mine", "colleagues", "strangers"}, false},
			{"G", "D", []string{"mine", "colleagues"}, false},
			{"M", "D", []string{"mine"}, false},
			{"D", "D", nil, false},
			{"D", "M", []string{"strangers"}, true},
			{"M", "G", []string{"mine", "strangers"}, true},
		} {
			principals = append(principals, principal{name: "manager contacts " + r.contacts + " leads " + r.leads,
				token:   func() string { _, tok := e.manager(w, r.contacts, r.leads); return tok },
				visible: r.visible, deal: r.deal})
		}
		principals = append(principals,
			principal{name: "admin of another workspace", token: func() string { return other.adminToken }},
			principal{name: "no session", token: func() string { return "" }})

		for _, p := range principals {
			t.Run(p.name, func(t *testing.T) {
				tok := p.token()
				checkPrincipal(t, e, w, p, tok)
			})
		}
	})
}

func checkPrincipal(t *testing.T, e *env, w *world, p principal, tok string) {
	// every id of what p may not see; no answer may contain one
	var hidden []string
	for _, name := range customers {
		if slices.Contains(p.visible, name) {
			continue
		}
		hidden = append(hidden, w.chats[name].ID, w.attachments[name].ID)
		if c, ok := w.contacts[name]; ok {
			hidden = append(hidden, c.ID)
		}
	}
	elsewhere := strings.Contains(p.name, "another") // sees their own world, none of this one
	if elsewhere {
		hidden = append(hidden, w.ws.ID, w.waba.ID, w.telegram.ID, w.waba2.ID, w.admin.ID)
	}
	call := func(what, method, path string, body any) response {
		t.Helper()
		r := e.do(method, path, tok, body)
		for _, id := range hidden {
			if bytes.Contains(r.Body, []byte(id)) {
				t.Fatalf("%s leaks %s: %s", what, id, r.Body)
			}
		}
		if tok == "" && r.Status != http.StatusUnauthorized {
			t.Fatalf("%s without a session: %d %s", what, r.Status, r.Body)
		}
		return r
	}
	if tok == "" {
		for _, path := range []string{"/api/v1/chats?scope=all", "/api/v1/chats/" + w.chats["mine"].ID,
			"/api/v1/connections", "/api/v1/templates?connection_id=" + w.waba.ID, "/api/v1/contacts/" + w.contacts["mine"].ID} {
			call("GET "+path, http.MethodGet, path, nil)
		}
		call("send", http.MethodPost, "/api/v1/chats/"+w.chats["mine"].ID+"/messages", map[string]string{"client_id": "x", "text": "hi"})
		call("block", http.MethodPut, "/api/v1/contacts/"+w.contacts["mine"].ID+"/block", nil)
		call("create", http.MethodPost, "/api/v1/chats", map[string]string{"connection_id": w.waba.ID, "phone": "+79160000000"})
		return
	}

	wantIDs := func(names []string, withGroup bool) []string {
		var ids []string
		for _, n := range names {
			if n == "group" {
				if withGroup {
					ids = append(ids, w.chats[n].ID)
				}
				continue
			}
			ids = append(ids, w.contacts[n].ID)
		}
		slices.Sort(ids)
		return ids
	}
	if got := entryIDs(t, call("list", http.MethodGet, "/api/v1/chats?scope=all&limit=2", nil), e, tok); !elsewhere && !slices.Equal(got, wantIDs(p.visible, true)) {
		t.Errorf("list: got %v, want %v", got, wantIDs(p.visible, true))
	}
	if got := entryIDs(t, call("search", http.MethodGet, "/api/v1/chats?scope=all&q=client", nil), e, tok); !elsewhere && !slices.Equal(got, wantIDs(p.visible, false)) {
		t.Errorf("search: got %v, want %v", got, wantIDs(p.visible, false))
	}
	expect(t, "connections", call("connections", http.MethodGet, "/api/v1/connections", nil), http.StatusOK, "")
	templates := call("templates", http.MethodGet, "/api/v1/templates?connection_id="+w.waba.ID, nil)
	if elsewhere {
		expect(t, "another workspace's templates", templates, http.StatusNotFound, "not_found")
		expect(t, "another workspace's connection", call("create", http.MethodPost, "/api/v1/chats",
			map[string]string{"connection_id": w.waba.ID, "phone": "+79160000000"}), http.StatusNotFound, "not_found")
		expect(t, "another workspace's contact block", call("block", http.MethodPut, "/api/v1/contacts/"+w.contacts["mine"].ID+"/block", nil),
			http.StatusNotFound, "not_found")
	}
	deal := call("deal card", http.MethodGet, "/api/v1/chats?crm_lead_id=500", nil)
	if p.deal {
		expect(t, "deal card", deal, http.StatusOK, "")
	} else if !elsewhere {
		expect(t, "deal card", deal, http.StatusForbidden, "crm_access_denied")
	}
	for name, crmID := range map[string]int64{"mine": 100, "colleagues": 101, "strangers": 102} {
		r := call("contact card", http.MethodGet, fmt.Sprintf("/api/v1/chats?crm_contact_id=%d", crmID), nil)
		if slices.Contains(p.visible, name) {
			expect(t, "contact card of "+name, r, http.StatusOK, "")
		} else if !elsewhere {
			expect(t, "contact card of "+name, r, http.StatusForbidden, "crm_access_denied")
		}
	}
	for i, name := range customers {
		chat := w.chats[name].ID
		sees := slices.Contains(p.visible, name)
		status := map[bool]int{true: http.StatusOK, false: http.StatusNotFound}[sees]
		code := map[bool]string{true: "", false: "not_found"}[sees]
		expect(t, "chat "+name, call("chat", http.MethodGet, "/api/v1/chats/"+chat, nil), status, code)
		msgs := call("messages", http.MethodGet, "/api/v1/chats/"+chat+"/messages", nil)
		expect(t, "messages of "+name, msgs, status, code)
		expect(t, "draft "+name, call("draft", http.MethodPut, "/api/v1/chats/"+chat+"/draft", map[string]string{"text": "x"}), status, code)
		expect(t, "no reply "+name, call("no-reply", http.MethodPost, "/api/v1/chats/"+chat+"/no-reply-needed", nil), status, code)
		expect(t, "retry "+name, call("retry", http.MethodPost, "/api/v1/chats/"+chat+"/messages/"+w.attachments[name].MessageID+"/retry", nil),
			map[bool]int{true: http.StatusBadRequest, false: http.StatusNotFound}[sees], map[bool]string{true: "bad_request", false: "not_found"}[sees])
		send := call("send", http.MethodPost, "/api/v1/chats/"+chat+"/messages", map[string]string{"client_id": fmt.Sprint(p.name, i), "text": "hello"})
		expect(t, "send to "+name, send, map[bool]int{true: http.StatusCreated, false: http.StatusNotFound}[sees], code)
		if c, ok := w.contacts[name]; ok {
			expect(t, "contact "+name, call("contact", http.MethodGet, "/api/v1/contacts/"+c.ID, nil), status, code)
		}
		if sees {
			url := firstAttachmentURL(t, msgs)
			got := e.do(http.MethodGet, url, "", nil)
			expect(t, "file of "+name, got, http.StatusOK, "")
			if !bytes.Equal(got.Body, pngBytes) {
				t.Errorf("file of %s: wrong bytes", name)
			}
		}
	}
	// A file link made for someone else, re-signed for nobody, is refused.
	adminMsgs := e.do(http.MethodGet, "/api/v1/chats/"+w.chats["unlinked"].ID+"/messages", w.adminToken, nil)
	if url := firstAttachmentURL(t, adminMsgs); !slices.Contains(p.visible, "unlinked") {
		emp := callerID(t, e, tok)
		forged := strings.Replace(url, "e="+w.admin.ID, "e="+emp, 1)
		expect(t, "forged file link", e.do(http.MethodGet, forged, "", nil), http.StatusUnauthorized, "unauthorized")
	}
}

// entryIDs walks all pages of a chat list answer and returns the sorted entry ids.
func entryIDs(t *testing.T, first response, e *env, tok string) []string {
	t.Helper()
	if first.Status != http.StatusOK {
		t.Fatalf("list: %d %s", first.Status, first.Body)
	}
	var ids []string
	r := first
	for range 50 {
		var body struct {
			Items []struct {
				Type    string
				Contact struct{ ID string }
				Chat    struct{ ID string }
			}
			NextCursor *string `json:"next_cursor"`
		}
		decode(t, r, &body)
		for _, it := range body.Items {
			if it.Type == "group" {
				ids = append(ids, it.Chat.ID)
			} else {
				ids = append(ids, it.Contact.ID)
			}
		}
		if body.NextCursor == nil {
			slices.Sort(ids)
			return ids
		}
		r = e.do(http.MethodGet, "/api/v1/chats?scope=all&limit=2&cursor="+*body.NextCursor, tok, nil)
	}
	t.Fatal("list does not end")
	return nil
}

func firstAttachmentURL(t *testing.T, r response) string {
	t.Helper()
	var body struct {
		Items []struct {
			Attachments []struct{ URL string }
		}
	}
	decode(t, r, &body)
	for _, m := range body.Items {
		for _, a := range m.Attachments {
			return a.URL
		}
	}
	t.Fatalf("no attachment in %s", r.Body)
	return ""
}

// callerID is the employee id behind a token.
func callerID(t *testing.T, e *env, tok string) string {
	s, err := e.signer.Verify(tok, timeNow())
	must(t, err)
	return s.EmployeeID
}
