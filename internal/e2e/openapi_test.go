package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/switchboardhq/switchboard/internal/apidoc"
)

// The demo's data — carts, places, shared contacts, voice notes and files, groups, reactions,
// blocked contacts, WABA windows, the admins' cabinet — read through the API by every demo user
// as the chat window and the cabinet read it, answers exactly as docs/openapi.yaml says: the unit
// tests build few of these shapes.
func TestDemoDataMatchesOpenAPI(t *testing.T) {
	h := StartHub(t)
	sb := h.WaitSandbox(t)
	checked := 0
	// call sends method path with the token (a cabinet cookie when it starts "sb_cabinet=") and
	// checks the answer against the document.
	call := func(method, token, path string, out any) []*http.Cookie {
		t.Helper()
		req, _ := http.NewRequest(method, h.URL+path, nil)
		if strings.HasPrefix(token, "sb_cabinet=") {
			req.Header.Set("Cookie", token)
		} else if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if err := apidoc.Check(req, res.StatusCode, res.Header, body); err != nil {
			t.Errorf("%s %s: %v\n%.600s", method, path, err, body)
		}
		checked++
		if out != nil && res.StatusCode/100 == 2 {
			if err := json.Unmarshal(body, out); err != nil {
				t.Fatalf("%s %s: %v", method, path, err)
			}
		}
		return res.Cookies()
	}
	get := func(token, path string, out any) { t.Helper(); call("GET", token, path, out) }
	type message struct {
		Attachments []struct{ URL string }
	}
	file := ""
	for _, u := range sb.Users {
		token := h.Session(t, u.ID)
		if u.IsAdmin {
			// The cabinet, as the admin opens it from the chat window.
			var cookie string
			for _, c := range call("POST", token, "/api/cabinet/v1/session", nil) {
				if c.Name == "sb_cabinet" {
					cookie = "sb_cabinet=" + c.Value
				}
			}
			if cookie == "" {
				t.Fatalf("user %d: no cabinet cookie", u.ID)
			}
			for _, p := range []string{"me", "workspace", "quick-replies", "blacklist", "employees", "audit", "crm-chats"} {
				get(cookie, "/api/cabinet/v1/"+p, nil)
			}
			var cabConns struct{ Items []struct{ ID, Kind string } }
			get(cookie, "/api/cabinet/v1/connections", &cabConns)
			for _, c := range cabConns.Items {
				if c.Kind == "waba" {
					get(cookie, "/api/cabinet/v1/connections/"+c.ID+"/templates", nil)
				}
			}
		}
		var conns struct{ Items []struct{ ID string } }
		get(token, "/api/v1/connections", &conns)
		for _, c := range conns.Items {
			get(token, "/api/v1/templates?connection_id="+url.QueryEscape(c.ID), nil)
		}
		for cursor := ""; ; {
			var page struct {
				Items []struct {
					Contact *struct{ ID string }
					Chats   []struct{ ID string }
					Chat    *struct{ ID string }
				}
				NextCursor *string `json:"next_cursor"`
			}
			get(token, "/api/v1/chats?scope=all&limit=200&cursor="+url.QueryEscape(cursor), &page)
			for _, e := range page.Items {
				chats := e.Chats
				if e.Chat != nil {
					chats = append(chats, *e.Chat)
				}
				if e.Contact != nil {
					get(token, "/api/v1/contacts/"+e.Contact.ID, nil)
				}
				for _, c := range chats {
					get(token, "/api/v1/chats/"+c.ID, nil)
					var msgs struct{ Items []message }
					get(token, "/api/v1/chats/"+c.ID+"/messages?limit=200", &msgs)
					for _, m := range msgs.Items {
						if len(m.Attachments) > 0 && file == "" {
							file = m.Attachments[0].URL
						}
					}
				}
			}
			if page.NextCursor == nil {
				break
			}
			cursor = *page.NextCursor
		}
	}
	if file == "" {
		t.Fatal("the demo has no attachment to fetch")
	}
	get("", file, nil) // a signed link needs no header
	if checked < 50 {
		t.Fatalf("only %d answers checked: the demo's data was not read", checked)
	}
	t.Logf("%d answers checked against docs/openapi.yaml", checked)
}
