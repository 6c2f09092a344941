package amocrm

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/switchboardhq/switchboard/internal/sandbox/standin"
)

func newTestCRM(t *testing.T) (*Server, *httptest.Server) {
	t.Helper()
	mux := http.NewServeMux()
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	s, err := New(Options{PublicURL: ts.URL, ClientID: "cid", ClientSecret: "csecret", RedirectURI: ts.URL + "/amocrm/oauth"})
	if err != nil {
		t.Fatal(err)
	}
	s.Mount(mux)
	return s, ts
}

func call(t *testing.T, method, url, token, body string) (*http.Response, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var m map[string]any
	json.NewDecoder(res.Body).Decode(&m)
	return res, m
}

// tokens exchanges a code issued for a user of the demo account.
func tokens(t *testing.T, s *Server, ts *httptest.Server, userID int64) (access, refresh string) {
	t.Helper()
	code := randomToken()
	s.lock()
	s.st.Codes[code] = grant{Account: "demo", UserID: userID, ExpiresAt: time.Now().Add(time.Minute).Unix()}
	s.persist()
	s.unlock()
	res, m := call(t, "POST", ts.URL+Prefix+"/oauth2/access_token", "", `{"client_id":"cid","client_secret":"csecret",
		"grant_type":"authorization_code","code":"`+code+`","redirect_uri":"`+ts.URL+`/amocrm/oauth"}`)
	if res.StatusCode != 200 {
		t.Fatalf("code exchange: %d %v", res.StatusCode, m)
	}
	return m["access_token"].(string), m["refresh_token"].(string)
}

func TestOAuthAndProblems(t *testing.T) {
	s, ts := newTestCRM(t)
	res, m := call(t, "POST", ts.URL+Prefix+"/oauth2/access_token", "", `{"client_id":"cid","client_secret":"wrong"}`)
	if res.StatusCode != 401 || res.Header.Get("Content-Type") != "application/problem+json" || m["title"] != "Unauthorized" {
		t.Errorf("wrong secret: %d %s %v", res.StatusCode, res.Header.Get("Content-Type"), m)
	}
	_, refresh := tokens(t, s, ts, DemoAdmin)
	body := `{"client_id":"cid","client_secret":"csecret","grant_type":"refresh_token","refresh_token":"` + refresh +
		`","redirect_uri":"` + ts.URL + `/amocrm/oauth"}`
	if res, m := call(t, "POST", ts.URL+Prefix+"/oauth2/access_token", "", body); res.StatusCode != 200 || m["refresh_token"] == refresh {
		t.Fatalf("refresh: %d %v", res.StatusCode, m)
	}
	if res, m := call(t, "POST", ts.URL+Prefix+"/oauth2/access_token", "", body); res.StatusCode != 401 || m["hint"] != "Token has been revoked" {
		t.Errorf("refresh token reused: %d %v", res.StatusCode, m)
	}
	if res, _ := call(t, "GET", ts.URL+Prefix+"/api/v4/account", "nope", ""); res.StatusCode != 401 {
		t.Errorf("bad access token: %d", res.StatusCode)
	}
}

// /users is for administrators; more than 7 requests a second get 429 with Retry-After.
func TestAPIRightsAndRateLimit(t *testing.T) {
	s, ts := newTestCRM(t)
	manager, _ := tokens(t, s, ts, DemoOwnRU)
	if res, m := call(t, "GET", ts.URL+Prefix+"/api/v4/users", manager, ""); res.StatusCode != 403 || m["status"] != float64(403) {
		t.Errorf("users with a manager's token: %d %v", res.StatusCode, m)
	}
	admin, _ := tokens(t, s, ts, DemoAdmin)
	res, m := call(t, "GET", ts.URL+Prefix+"/api/v4/leads/30004?with=contacts", admin, "")
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/hal+json" {
		t.Fatalf("lead: %d %v", res.StatusCode, m)
	}
	if cs := m["_embedded"].(map[string]any)["contacts"].([]any); len(cs) != 2 {
		t.Errorf("deal 30004 has %d contacts", len(cs))
	}
	throttled := 0
	for range 12 {
		if res, _ := call(t, "GET", ts.URL+Prefix+"/api/v4/account", admin, ""); res.StatusCode == 429 {
			throttled++
			if res.Header.Get("Retry-After") == "" {
				t.Error("429 without Retry-After")
			}
		}
	}
	if throttled == 0 || s.Throttled() != throttled {
		t.Errorf("throttled %d of 12 quick requests (server counted %d)", throttled, s.Throttled())
	}
}

// Disposable tokens are HS256 under the client secret with the claims amoCRM puts in them.
func TestDisposableToken(t *testing.T) {
	_, ts := newTestCRM(t)
	res, m := call(t, "POST", ts.URL+Prefix+"/token", "", `{"user_id": 8100004}`)
	if res.StatusCode != 200 {
		t.Fatalf("token: %d %v", res.StatusCode, m)
	}
	claims := jwt.MapClaims{}
	if _, err := jwt.ParseWithClaims(m["token"].(string), claims, func(*jwt.Token) (any, error) { return []byte("csecret"), nil },
		jwt.WithValidMethods([]string{"HS256"}), jwt.WithAudience(ts.URL)); err != nil {
		t.Fatal(err)
	}
	if claims["iss"] != ts.URL+Prefix || claims["user_id"] != float64(DemoES) || claims["account_id"] != float64(DemoAccountID) ||
		claims["client_uuid"] != "cid" || claims["is_admin"] != false || claims["jti"] == "" {
		t.Errorf("claims %v", claims)
	}
	if res, _ := call(t, "POST", ts.URL+Prefix+"/token", "", `{"user_id": 1}`); res.StatusCode != 404 {
		t.Errorf("unknown user: %d", res.StatusCode)
	}
}

// The CRM's data outlives a restart (a real CRM does not forget its tokens): it is in the
// store, which the next start (or another instance) reads.
func TestStatePersists(t *testing.T) {
	st := standin.NewMemory()
	a, err := New(Options{PublicURL: "http://x", Store: st})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.SetLeadResponsible("demo", 30001, DemoEN); err != nil {
		t.Fatal(err)
	}
	b, err := New(Options{PublicURL: "http://x", Store: st})
	if err != nil {
		t.Fatal(err)
	}
	b.lock()
	got := b.st.Accounts["demo"].lead(30001).ResponsibleUserID
	b.unlock()
	if got != DemoEN {
		t.Errorf("responsible after restart: %d", got)
	}
}

// A sandbox that kept the CRM in a file (an earlier release) finds its data in the store.
func TestStateImportedFromAnEarlierFile(t *testing.T) {
	path := t.TempDir() + "/crm.json"
	old := &state{Accounts: map[string]*account{"demo": seedDemo(), "fresh": seedFresh()},
		Access: map[string]grant{"tok": {Account: "demo", UserID: DemoAdmin}}, Refresh: map[string]grant{}}
	b, _ := json.Marshal(old)
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := New(Options{PublicURL: "http://x", Store: standin.NewMemory(), ImportPath: path})
	if err != nil {
		t.Fatal(err)
	}
	s.lock()
	g, ok := s.st.Access["tok"]
	s.unlock()
	if !ok || g.UserID != DemoAdmin {
		t.Errorf("the earlier file's token: %+v %v", g, ok)
	}
}
