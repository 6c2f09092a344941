package httpapi_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/switchboardhq/switchboard/internal/apidoc"
	"github.com/switchboardhq/switchboard/internal/auth"
	"github.com/switchboardhq/switchboard/internal/cabinet"
	"github.com/switchboardhq/switchboard/internal/crm/amocrm"
	"github.com/switchboardhq/switchboard/internal/httpapi"
	sandboxamo "github.com/switchboardhq/switchboard/internal/sandbox/amocrm"
	"github.com/switchboardhq/switchboard/internal/sandbox/amocrm/amocrmtest"
	"github.com/switchboardhq/switchboard/internal/store"
	"github.com/switchboardhq/switchboard/internal/store/storetest"
	"github.com/switchboardhq/switchboard/internal/testwait"
)

// crmEnv is the hub with the real amoCRM adapter, installed into the sandbox CRM's demo account.
type crmEnv struct {
	*env
	rig *amocrmtest.Rig
}

func newCRMEnv(t *testing.T, st *store.Store) crmEnv {
	return newCRMEnvWith(t, st, func(*amocrmtest.Rig) {})
}

// newCRMEnvWith lets a test change the rig before the hub is built and installed.
func newCRMEnvWith(t *testing.T, st *store.Store, change func(*amocrmtest.Rig)) crmEnv {
	rig := amocrmtest.Start(t, st)
	change(rig)
	signer := auth.NewSigner("test secret key")
	srv := &httpapi.Server{DB: st, Store: st, Signer: signer, Sessions: rig.Adapter, CRM: rig.Adapter, PublicURL: rig.URL}
	var noCabinet *cabinet.API // installs begun in the CRM only
	srv.Extra = append(srv.Extra, func(mux *http.ServeMux) { amocrm.Mount(mux, rig.Adapter, noCabinet) })
	e := &env{t: t, st: st, signer: signer, srv: srv, h: apidoc.Validating(t, srv.Handler())}
	rig.Serve(e.h)
	rig.Install(t)
	return crmEnv{e, rig}
}

func (e crmEnv) open(token, origin string) response {
	req := httptest.NewRequest(http.MethodPost, "/api/v1/sessions", nil)
	if token != "" {
		req.Header.Set("X-Auth-Token", token)
	}
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	return e.serve(req)
}

// craft signs a token like the sandbox CRM's with some claims changed.
func (e crmEnv) craft(secret string, change func(jwt.MapClaims)) string {
	now := time.Now()
	c := jwt.MapClaims{"iss": e.rig.URL + "/sandbox/amocrm", "aud": e.rig.URL, "jti": uuid.NewString(),
		"iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(10 * time.Minute).Unix(), "account_id": sandboxamo.DemoAccountID,
		"subdomain": "demo", "user_id": sandboxamo.DemoOwnRU, "is_admin": false, "client_uuid": e.rig.Config.ClientID}
	change(c)
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString([]byte(secret))
	if err != nil {
		e.t.Fatal(err)
	}
	return tok
}

type sessionBody struct {
	Token     string `json:"token"`
	ExpiresAt string `json:"expires_at"`
	Employee  struct {
		ID        string `json:"id"`
		CRMUserID int64  `json:"crm_user_id"`
		Name      string `json:"name"`
		Email     string `json:"email"`
		Role      string `json:"role"`
		IsAdmin   bool   `json:"is_admin"`
	} `json:"employee"`
	Lang      string `json:"lang"`
	Workspace struct{ ID, Name string }
}

// Every demo user gets a session with the role and language the CRM gives them (F2, F3, F34).
func TestSessionForEachDemoUser(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newCRMEnv(t, st)
		want := map[int64]struct{ name, role, lang string }{
			sandboxamo.DemoAdmin:   {"Анна Смирнова", "admin", "ru"},
			sandboxamo.DemoOwnRU:   {"Дмитрий Волков", "manager", "ru"},
			sandboxamo.DemoGroupRU: {"Ольга Кузнецова", "manager", "ru"},
			sandboxamo.DemoES:      {"Carlos Martínez", "manager", "es"},
			sandboxamo.DemoPT:      {"João Pereira", "manager", "en"},
			sandboxamo.DemoEN:      {"Emily Carter", "manager", "en"},
		}
		for id, w := range want {
			r := e.open(e.rig.Token(t, id), "")
			expect(t, "open", r, http.StatusCreated, "")
			var b sessionBody
			must(t, json.Unmarshal(r.Body, &b))
			if b.Employee.Name != w.name || b.Employee.Role != w.role || b.Lang != w.lang || b.Employee.CRMUserID != id ||
				b.Employee.IsAdmin != (w.role == "admin") || b.Workspace.Name != "Северный ветер" || b.Employee.Email == "" {
				t.Errorf("user %d: %s", id, r.Body)
			}
			exp, err := time.Parse(time.RFC3339, b.ExpiresAt)
			if err != nil || exp.After(time.Now().Add(time.Hour+time.Second)) {
				t.Errorf("expires_at %q", b.ExpiresAt)
			}
			// The token is a working hub session.
			expect(t, "session works", e.do(http.MethodGet, "/api/v1/connections", b.Token, nil), http.StatusOK, "")
		}
	})
}

// Forged, expired, not-yet-valid, foreign and replayed tokens are refused with 401.
func TestSessionRefusesBadTokens(t *testing.T) {
	e := newCRMEnv(t, storetest.OpenSQLite(t))
	secret := e.rig.Config.ClientSecret
	bad := map[string]string{
		"missing":              "",
		"garbage":              "not.a.jwt",
		"forged":               e.craft("another secret", func(jwt.MapClaims) {}),
		"expired":              e.craft(secret, func(c jwt.MapClaims) { c["exp"] = time.Now().Add(-2 * time.Minute).Unix() }),
		"no exp":               e.craft(secret, func(c jwt.MapClaims) { delete(c, "exp") }),
		"not yet valid":        e.craft(secret, func(c jwt.MapClaims) { c["nbf"] = time.Now().Add(5 * time.Minute).Unix() }),
		"issued in the future": e.craft(secret, func(c jwt.MapClaims) { c["iat"] = time.Now().Add(5 * time.Minute).Unix() }),
		"wrong audience":       e.craft(secret, func(c jwt.MapClaims) { c["aud"] = "https://other-hub.example" }),
		"wrong issuer":         e.craft(secret, func(c jwt.MapClaims) { c["iss"] = "https://evil.amocrm.ru" }),
		"other client":         e.craft(secret, func(c jwt.MapClaims) { c["client_uuid"] = uuid.NewString() }),
		"no jti":               e.craft(secret, func(c jwt.MapClaims) { delete(c, "jti") }),
		"none alg":             "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJ1c2VyX2lkIjoxfQ.",
	}
	for name, tok := range bad {
		expect(t, name, e.open(tok, ""), http.StatusUnauthorized, "unauthorized")
	}
	skewed := e.craft(secret, func(c jwt.MapClaims) { c["iat"] = time.Now().Add(10 * time.Second).Unix() })
	expect(t, "iat a little ahead (clock skew within the leeway)", e.open(skewed, ""), http.StatusCreated, "")
	good := e.rig.Token(t, sandboxamo.DemoOwnRU)
	expect(t, "first use", e.open(good, ""), http.StatusCreated, "")
	expect(t, "replay", e.open(good, ""), http.StatusUnauthorized, "unauthorized")
	fresh, _ := e.rig.Sandbox.Token("fresh", 9100001)
	expect(t, "account not installed", e.open(fresh, ""), http.StatusNotFound, "crm_not_connected")
}

// Concurrent first opens by one CRM user make exactly one employee (F2).
func TestSessionConcurrentFirstOpens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		e := newCRMEnv(t, st)
		tokens := make([]string, 8)
		for i := range tokens {
			tokens[i] = e.rig.Token(t, sandboxamo.DemoES)
		}
		ids := make([]string, len(tokens))
		var wg sync.WaitGroup
		for i, tok := range tokens {
			wg.Add(1)
			go func() {
				defer wg.Done()
				req := httptest.NewRequest(http.MethodPost, "/api/v1/sessions", nil)
				req.Header.Set("X-Auth-Token", tok)
				rec := httptest.NewRecorder()
				e.h.ServeHTTP(rec, req)
				var b sessionBody
				json.Unmarshal(rec.Body.Bytes(), &b)
				ids[i] = b.Employee.ID
			}()
		}
		wg.Wait()
		for _, id := range ids {
			if id == "" || id != ids[0] {
				t.Fatalf("employee ids %v", ids)
			}
		}
		emps, err := st.Employees(ctx, firstWorkspace(t, st))
		must(t, err)
		if len(emps) != 1 {
			t.Fatalf("%d employees after concurrent first opens", len(emps))
		}
	})
}

func firstWorkspace(t *testing.T, st *store.Store) string {
	wss, err := st.Workspaces(ctx)
	must(t, err)
	return wss[0].ID
}

// The session endpoint answers CORS for the CRM's domains and the hub itself, not others.
func TestSessionCORS(t *testing.T) {
	e := newCRMEnv(t, storetest.OpenSQLite(t))
	for origin, allowed := range map[string]bool{
		"https://acme.amocrm.ru": true, "https://acme.amocrm.com": true, "https://shop.kommo.com": true,
		e.rig.URL: true, "https://evil.example": false, "http://acme.amocrm.ru": false, "https://amocrm.ru.evil.example": false,
		"https://kommo.com": false,
	} {
		req := httptest.NewRequest(http.MethodOptions, "/api/v1/sessions", nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "x-auth-token")
		r := e.serve(req)
		got := r.Header.Get("Access-Control-Allow-Origin") == origin
		if r.Status != http.StatusNoContent || got != allowed {
			t.Errorf("preflight from %s: %d, allowed %v", origin, r.Status, got)
		}
		if allowed && r.Header.Get("Access-Control-Allow-Headers") == "" {
			t.Errorf("preflight from %s does not allow X-Auth-Token", origin)
		}
	}
	r := e.open(e.rig.Token(t, sandboxamo.DemoAdmin), "https://acme.amocrm.ru")
	expect(t, "cross-origin open", r, http.StatusCreated, "")
	if r.Header.Get("Access-Control-Allow-Origin") != "https://acme.amocrm.ru" {
		t.Error("answer not readable by the CRM page")
	}
}

// A manager opening the chat window from a deal or contact card the CRM hides from them gets
// crm_access_denied (F30); when the deal is given to them in the CRM, the webhook (or the
// refresh on open, F33) lets them in.
func TestCardsTheCRMHides(t *testing.T) {
	e := newCRMEnv(t, storetest.OpenSQLite(t))
	r := e.open(e.rig.Token(t, sandboxamo.DemoOwnRU), "")
	expect(t, "open", r, http.StatusCreated, "")
	var b sessionBody
	must(t, json.Unmarshal(r.Body, &b))
	for path, code := range map[string]string{
		"/api/v1/chats?crm_lead_id=30001":    "", // his own deal
		"/api/v1/chats?crm_contact_id=20001": "", // his own contact
		"/api/v1/chats?crm_lead_id=30005":    "crm_access_denied",
		"/api/v1/chats?crm_contact_id=20006": "crm_access_denied",
		"/api/v1/chats?crm_lead_id=30004":    "crm_access_denied", // a group mate's deal: his right is M
	} {
		status := http.StatusOK
		if code != "" {
			status = http.StatusForbidden
		}
		expect(t, path, e.do(http.MethodGet, path, b.Token, nil), status, code)
	}
	must(t, e.rig.Sandbox.SetLeadResponsible("demo", 30005, sandboxamo.DemoOwnRU))
	e.rig.Sandbox.Wait()
	expect(t, "deal given to him", e.do(http.MethodGet, "/api/v1/chats?crm_lead_id=30005", b.Token, nil), http.StatusOK, "")
}

// A first open while the CRM does not answer says so (502), and changes nothing.
func TestSessionWhenTheCRMIsDown(t *testing.T) {
	st := storetest.OpenSQLite(t)
	e := newCRMEnv(t, st)
	ws := firstWorkspace(t, st)
	// Point the workspace at an address nobody answers on.
	w, err := st.Workspace(ctx, ws)
	must(t, err)
	w.CRMBaseURL = "http://127.0.0.1:1"
	must(t, st.UpdateWorkspace(ctx, w))
	fresh := e.craft(e.rig.Config.ClientSecret, func(c jwt.MapClaims) { c["user_id"] = 999; c["iss"] = "http://127.0.0.1:1" })
	expect(t, "unknown user, CRM down", e.open(fresh, ""), http.StatusBadGateway, "crm_unavailable")
	emps, err := st.Employees(ctx, ws)
	must(t, err)
	if len(emps) != 0 {
		t.Errorf("%d employees made while the CRM was down", len(emps))
	}
	// A user the hub has cached still gets in (the cached copy is better than refusing).
	known := e.craft(e.rig.Config.ClientSecret, func(c jwt.MapClaims) { c["user_id"] = sandboxamo.DemoEN; c["iss"] = "http://127.0.0.1:1" })
	expect(t, "cached user, CRM down", e.open(known, ""), http.StatusCreated, "")
}

// Reopening the window from a deal re-reads the deal from the CRM (F33): with the CRM's
// webhooks lost, a deal given to the manager opens for them on the next open.
func TestReopeningADealRefreshesIt(t *testing.T) {
	e := newCRMEnvWith(t, storetest.OpenSQLite(t), func(r *amocrmtest.Rig) {
		r.Config.HookBaseURL = "http://127.0.0.1:1" // webhooks go nowhere
		r.Adapter = r.NewAdapter()
	})
	r := e.open(e.rig.Token(t, sandboxamo.DemoOwnRU), "")
	expect(t, "open", r, http.StatusCreated, "")
	var b sessionBody
	must(t, json.Unmarshal(r.Body, &b))
	const path = "/api/v1/chats?crm_lead_id=30006"
	expect(t, "a colleague's deal", e.do(http.MethodGet, path, b.Token, nil), http.StatusForbidden, "crm_access_denied")
	must(t, e.rig.Sandbox.SetLeadResponsible("demo", 30006, sandboxamo.DemoOwnRU))
	e.rig.Sandbox.Wait()
	expect(t, "the same deal, now his", e.do(http.MethodGet, path, b.Token, nil), http.StatusOK, "")
}

// A window opened from a deal card asks for its session naming the deal: the hub starts
// re-reading the deal from the CRM then (F33), before the window asks for its first page, and
// that page waits for the read under way instead of starting another; the CRM's answer decides
// access (the deal was handed to him in the CRM, and no webhook told the hub).
func TestACardsSessionStartsItsRefresh(t *testing.T) {
	crmWay := &heldCRM{hold: "/api/v4/leads/30006", started: make(chan struct{}), release: make(chan struct{})}
	e := newCRMEnvWith(t, storetest.OpenSQLite(t), func(r *amocrmtest.Rig) {
		r.Config.HookBaseURL = "http://127.0.0.1:1" // webhooks go nowhere
		r.Adapter = amocrm.New(r.Config, r.Store, &http.Client{Transport: crmWay})
	})
	tok := e.rig.Token(t, sandboxamo.DemoOwnRU)
	for _, query := range []string{"crm_lead_id=30006&crm_contact_id=20001", "crm_lead_id=x", "crm_contact_id=0"} {
		expect(t, "a session for "+query, e.openCard(tok, query), http.StatusBadRequest, "bad_request")
	}
	if n := crmWay.reads(crmWay.hold); n != 0 {
		t.Fatalf("%d reads of the deal after refused sessions", n)
	}
	must(t, e.rig.Sandbox.SetLeadResponsible("demo", 30006, sandboxamo.DemoOwnRU))
	e.rig.Sandbox.Wait()

	r := e.openCard(tok, "crm_lead_id=30006") // the same token: the refused asks did not spend it
	expect(t, "the deal card's session", r, http.StatusCreated, "")
	var b sessionBody
	must(t, json.Unmarshal(r.Body, &b))
	testwait.Done(t, crmWay.started, "the deal's read from the CRM, started by the session")
	page := make(chan response, 1)
	go func() { page <- e.do(http.MethodGet, "/api/v1/chats?crm_lead_id=30006", b.Token, nil) }()
	close(crmWay.release)
	expect(t, "the card's first page", testwait.Recv(t, page, "the card's first page"), http.StatusOK, "")
	if n := crmWay.reads(crmWay.hold); n != 1 {
		t.Errorf("the deal read from the CRM %d times, want once", n)
	}
}

// openCard asks for a session as the widget does for a card's window (query names the card).
func (e crmEnv) openCard(token, query string) response {
	req := httptest.NewRequest(http.MethodPost, "/api/v1/sessions?"+query, nil)
	req.Header.Set("X-Auth-Token", token)
	return e.serve(req)
}

// heldCRM is the adapter's way to the CRM: it counts each path asked for and holds the requests
// for one API path (hold, without the sandbox CRM's prefix) until release is closed, saying on started when the first came.
type heldCRM struct {
	hold             string
	started, release chan struct{}
	once             sync.Once
	mu               sync.Mutex
	paths            map[string]int
}

func (h *heldCRM) RoundTrip(req *http.Request) (*http.Response, error) {
	h.mu.Lock()
	if h.paths == nil {
		h.paths = map[string]int{}
	}
	path := strings.TrimPrefix(req.URL.Path, sandboxamo.Prefix)
	h.paths[path]++
	h.mu.Unlock()
	if path == h.hold {
		h.once.Do(func() { close(h.started) })
		<-h.release
	}
	return http.DefaultTransport.RoundTrip(req)
}

func (h *heldCRM) reads(path string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.paths[path]
}
