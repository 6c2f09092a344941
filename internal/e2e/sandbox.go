package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/testwait"
)

// SandboxUser is a demo CRM user (GET /sandbox/amocrm/users).
type SandboxUser struct {
	ID      int64          `json:"id"`
	Name    string         `json:"name"`
	Lang    string         `json:"lang"`
	IsAdmin bool           `json:"is_admin"`
	Rights  map[string]any `json:"rights"`
}

// SandboxConnection is a sandbox messenger account (GET /sandbox/customers/connections).
type SandboxConnection struct {
	ID             string `json:"id"`
	Kind           string `json:"kind"`
	Name           string `json:"name"`
	InSubscription bool   `json:"in_subscription"`
}

// Sandbox is what the demo offers a browser test: its CRM users and messenger connections.
type Sandbox struct {
	Users       []SandboxUser
	Connections []SandboxConnection
}

// WaitSandbox waits for the sandbox's first-start steps (CRM install, connections) to finish.
// It skips the test, naming the missing route, when this build has no such part yet.
func (h *SandboxInstance) WaitSandbox(t testing.TB) Sandbox {
	t.Helper()
	for _, route := range []string{"/sandbox/amocrm/users", "/sandbox/customers/connections"} {
		if code, _ := h.call("GET", route, nil); code == http.StatusNotFound {
			t.Skipf("this build has no %s yet: the browser scenarios need the sandbox CRM and channels", route)
		}
	}
	var sb Sandbox
	// The first boot migrates and seeds the demo, which a loaded machine may take a minute over.
	if !testwait.Within(60*time.Second, func() bool {
		var users struct{ Items []SandboxUser }
		var conns struct{ Items []SandboxConnection }
		h.GetJSON(t, "/sandbox/amocrm/users", &users)
		h.GetJSON(t, "/sandbox/customers/connections", &conns)
		sb = Sandbox{Users: users.Items, Connections: conns.Items}
		return len(sb.Users) > 0 && len(sb.Connections) > 0 && h.canSignIn(sb.Users[0].ID)
	}) {
		t.Fatalf("the sandbox did not boot in 60 s: %d users, %d connections", len(sb.Users), len(sb.Connections))
	}
	return sb
}

// Session opens a chat window session as a demo user, the way the widget does, and returns its
// token.
func (h *SandboxInstance) Session(t testing.TB, userID int64) string {
	t.Helper()
	code, body := h.call("POST", "/sandbox/amocrm/token", map[string]any{"user_id": userID})
	var tok struct{ Token string }
	if code != http.StatusOK || json.Unmarshal(body, &tok) != nil {
		t.Fatalf("POST /sandbox/amocrm/token: %d %s", code, body)
	}
	req, _ := http.NewRequest("POST", h.URL+"/api/v1/sessions", nil)
	req.Header.Set("X-Auth-Token", tok.Token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var s struct{ Token string }
	if err := json.NewDecoder(res.Body).Decode(&s); err != nil || res.StatusCode != http.StatusCreated {
		t.Fatalf("POST /api/v1/sessions: %d %v", res.StatusCode, err)
	}
	return s.Token
}

// API calls the chat API with a session token, failing the test unless the answer is 2xx.
func (h *SandboxInstance) API(t testing.TB, token, method, path string, body, out any) {
	t.Helper()
	code, b := h.APIStatus(t, token, method, path, body)
	if code/100 != 2 {
		t.Fatalf("%s %s: %d %s", method, path, code, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
	}
}

// canSignIn reports whether a demo user can open a session (the demo account is installed).
func (h *SandboxInstance) canSignIn(userID int64) bool {
	code, body := h.call("POST", "/sandbox/amocrm/token", map[string]any{"user_id": userID})
	if code != http.StatusOK {
		return false
	}
	var tok struct{ Token string }
	if json.Unmarshal(body, &tok) != nil {
		return false
	}
	req, _ := http.NewRequest("POST", h.URL+"/api/v1/sessions", nil)
	req.Header.Set("X-Auth-Token", tok.Token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return false
	}
	res.Body.Close()
	return res.StatusCode == http.StatusCreated
}

// User finds the demo user that match says is the one.
func (sb Sandbox) User(t testing.TB, what string, match func(SandboxUser) bool) SandboxUser {
	t.Helper()
	for _, u := range sb.Users {
		if match(u) {
			return u
		}
	}
	t.Fatalf("the demo has no %s among %+v", what, sb.Users)
	return SandboxUser{}
}

// Connection finds a sandbox connection of kind ("waba", "telegram_bot") and subscription state.
func (sb Sandbox) Connection(t testing.TB, kind string, inSubscription bool) SandboxConnection {
	t.Helper()
	for _, c := range sb.Connections {
		if c.Kind == kind && c.InSubscription == inSubscription {
			return c
		}
	}
	t.Fatalf("the sandbox has no %s connection with in_subscription=%v: %+v", kind, inSubscription, sb.Connections)
	return SandboxConnection{}
}

// CustomerSends writes to the hub as a customer through the simulator (the real webhook path).
func (h *SandboxInstance) CustomerSends(t testing.TB, msg map[string]any) {
	t.Helper()
	code, body := h.call("POST", "/sandbox/customers/send", msg)
	if code != http.StatusAccepted {
		t.Fatalf("POST /sandbox/customers/send %v: %d %s", msg, code, body)
	}
}

// GetJSON decodes the answer of GET path, failing the test on an error status.
func (h *SandboxInstance) GetJSON(t testing.TB, path string, out any) {
	t.Helper()
	code, body := h.call("GET", path, nil)
	if code != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, code, body)
	}
	if err := json.Unmarshal(body, out); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
}

// call sends a JSON request; transport errors come back as status 0.
func (h *SandboxInstance) call(method, path string, body any) (int, []byte) {
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, h.URL+path, r)
	if err != nil {
		return 0, []byte(err.Error())
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if strings.HasPrefix(path, "/api/operator/") {
		req.Header.Set("Authorization", "Bearer "+h.Config.OperatorToken)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, []byte(err.Error())
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return res.StatusCode, out
}

// Operator calls the operator API (subscriptions, connections) with the sandbox's token.
func (h *SandboxInstance) Operator(t testing.TB, method, path string, body any) {
	t.Helper()
	code, out := h.call(method, "/api/operator/v1"+path, body)
	if code/100 != 2 {
		t.Fatalf("%s /api/operator/v1%s: %d %s", method, path, code, out)
	}
}

// GetOperatorJSON decodes the answer of GET /api/operator/v1<path>.
func (h *SandboxInstance) GetOperatorJSON(t testing.TB, path string, out any) {
	t.Helper()
	h.GetJSON(t, "/api/operator/v1"+path, out)
}

// AppURL is the chat window opened directly as a demo user (sandbox only), with extra query.
func (h *SandboxInstance) AppURL(userID int64, query string) string {
	return fmt.Sprintf("%s/app/?dev_user=%d%s", h.URL, userID, query)
}
