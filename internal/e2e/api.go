package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"
)

// Session opens a chat-window session as a demo CRM user, the way the widget does: a disposable
// token from the sandbox CRM, exchanged at POST /api/v1/sessions. It returns the bearer token.
func (h *Hub) Session(t testing.TB, userID int64) string {
	t.Helper()
	code, body := h.call("POST", "/sandbox/amocrm/token", map[string]any{"user_id": userID})
	if code != http.StatusOK {
		t.Fatalf("sandbox token for user %d: %d %s", userID, code, body)
	}
	var tok struct{ Token string }
	if err := json.Unmarshal(body, &tok); err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("POST", h.URL+"/api/v1/sessions", nil)
	req.Header.Set("X-Auth-Token", tok.Token)
	var sess struct{ Token string }
	if code := do(t, req, &sess); code != http.StatusCreated {
		t.Fatalf("session for user %d: %d", userID, code)
	}
	return sess.Token
}

// API calls GET path of the chat API as the session's employee and decodes a 200 answer into
// out; it returns the status.
func (h *Hub) API(t testing.TB, token, path string, out any) int {
	t.Helper()
	req, _ := http.NewRequest("GET", h.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	return do(t, req, out)
}

func do(t testing.TB, req *http.Request, out any) int {
	t.Helper()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode/100 == 2 && out != nil {
		if err := json.Unmarshal(body, out); err != nil {
			t.Fatalf("%s %s: %v in %s", req.Method, req.URL.Path, err, body)
		}
	}
	return res.StatusCode
}
