package cabinet_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/apierr"
	"github.com/switchboardhq/switchboard/internal/auth"
	"github.com/switchboardhq/switchboard/internal/crmsync"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

func TestCabinetSignInFromChatWindow(t *testing.T) {
	eachCabinet(t, func(t *testing.T, e *cabEnv) {
		ws := e.workspace(1)
		_, ck := e.admin(ws, 10)
		if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/api/cabinet/" || !ck.Secure {
			t.Fatalf("cookie flags: %+v", ck)
		}
		me := e.call(http.MethodGet, "/api/cabinet/v1/me", ck, nil)
		expect(t, "me", me, http.StatusOK, "")
		if got := me.JSON(t)["workspace"].(map[string]any)["id"]; got != ws.ID {
			t.Fatalf("me names workspace %v", got)
		}

		_, managerTok := e.employee(ws, 11, 0, hub.RoleManager, "ru", "A", "A")
		r := e.do(http.MethodPost, "/api/cabinet/v1/session", managerTok, nil)
		expect(t, "manager", r, http.StatusForbidden, "cabinet_admins_only")
		if !strings.Contains(r.JSON(t)["error"].(map[string]any)["message"].(string), "администратор") {
			t.Fatalf("manager's refusal is not in their language: %s", r.Body)
		}
		if len(r.Header.Values("Set-Cookie")) != 0 {
			t.Fatal("a manager got a cookie")
		}
		expect(t, "no session", e.call(http.MethodPost, "/api/cabinet/v1/session", nil, map[string]string{}),
			http.StatusUnauthorized, "unauthorized")
		expect(t, "bad JSON", e.call(http.MethodPost, "/api/cabinet/v1/session", nil, "{"), http.StatusBadRequest, "bad_request")

		// A chat window token is not a cabinet cookie, and the reverse.
		_, adminTok := e.employee(ws, 12, 0, hub.RoleAdmin, "en", "A", "A")
		expect(t, "chat token as cookie", e.call(http.MethodGet, "/api/cabinet/v1/me",
			&http.Cookie{Name: "sb_cabinet", Value: adminTok}, nil), http.StatusUnauthorized, "unauthorized")
		expect(t, "cookie as bearer", e.do(http.MethodGet, "/api/v1/connections", ck.Value, nil),
			http.StatusUnauthorized, "unauthorized")

		out := e.call(http.MethodDelete, "/api/cabinet/v1/session", ck, nil)
		expect(t, "sign out", out, http.StatusNoContent, "")
		if c := cookieOf(t, out, "sb_cabinet"); c.MaxAge >= 0 || c.Value != "" {
			t.Fatalf("sign out left the cookie: %+v", c)
		}
	})
}

func TestCabinetHandoffIsOneTime(t *testing.T) {
	eachCabinet(t, func(t *testing.T, e *cabEnv) {
		ws := e.workspace(1)
		_, tok := e.employee(ws, 10, 0, hub.RoleAdmin, "en", "A", "A")
		r := e.do(http.MethodPost, "/api/cabinet/v1/handoff", tok, nil)
		expect(t, "handoff", r, http.StatusCreated, "")
		body := r.JSON(t)
		code := body["code"].(string)
		if want := publicURL + "/cabinet/#handoff=" + url.QueryEscape(code); body["url"] != want {
			t.Fatalf("url = %v, want %s", body["url"], want)
		}
		in := e.call(http.MethodPost, "/api/cabinet/v1/session", nil, map[string]string{"handoff": code})
		expect(t, "redeem", in, http.StatusOK, "")
		ck := cookieOf(t, in, "sb_cabinet")
		expect(t, "signed in", e.call(http.MethodGet, "/api/cabinet/v1/workspace", ck, nil), http.StatusOK, "")
		expect(t, "redeem twice", e.call(http.MethodPost, "/api/cabinet/v1/session", nil, map[string]string{"handoff": code}),
			http.StatusUnauthorized, "unauthorized")
		expect(t, "forged code", e.call(http.MethodPost, "/api/cabinet/v1/session", nil, map[string]string{"handoff": tok}),
			http.StatusUnauthorized, "unauthorized")
		expect(t, "handoff without session", e.do(http.MethodPost, "/api/cabinet/v1/handoff", "", nil),
			http.StatusUnauthorized, "unauthorized")
		_, managerTok := e.employee(ws, 11, 0, hub.RoleManager, "en", "A", "A")
		expect(t, "manager handoff", e.do(http.MethodPost, "/api/cabinet/v1/handoff", managerTok, nil),
			http.StatusForbidden, "cabinet_admins_only")
	})
}

// cabinetRoutes are the routes that need a signed-in admin, with a body where they take one.
var cabinetRoutes = []struct{ method, path, body string }{
	{"GET", "/api/cabinet/v1/me", ""},
	{"GET", "/api/cabinet/v1/workspace", ""},
	{"POST", "/api/cabinet/v1/sync", ""},
	{"GET", "/api/cabinet/v1/widget.zip", ""},
	{"GET", "/api/cabinet/v1/employees", ""},
	{"POST", "/api/cabinet/v1/employees/refresh", ""},
	{"GET", "/api/cabinet/v1/audit", ""},
	{"GET", "/api/cabinet/v1/connections", ""},
	{"POST", "/api/cabinet/v1/connections", `{"kind":"telegram_bot","bot_token":"1:good"}`},
	{"PATCH", "/api/cabinet/v1/connections/x", `{"name":"n"}`},
	{"DELETE", "/api/cabinet/v1/connections/x", ""},
	{"PUT", "/api/cabinet/v1/connections/x/credentials", `{"access_token":"t"}`},
	{"GET", "/api/cabinet/v1/connections/x/templates", ""},
	{"POST", "/api/cabinet/v1/connections/x/templates/sync", ""},
	{"GET", "/api/cabinet/v1/quick-replies", ""},
	{"POST", "/api/cabinet/v1/quick-replies", `{"name":"a","body":"b"}`},
	{"PUT", "/api/cabinet/v1/quick-replies/x", `{"name":"a","body":"b"}`},
	{"DELETE", "/api/cabinet/v1/quick-replies/x", ""},
	{"GET", "/api/cabinet/v1/blacklist", ""},
	{"DELETE", "/api/cabinet/v1/blacklist/x", ""},
}

func TestCabinetRoutesCheckTheCallerFirst(t *testing.T) {
	eachCabinet(t, func(t *testing.T, e *cabEnv) {
		ws := e.workspace(1)
		manager, _ := e.employee(ws, 11, 0, hub.RoleManager, "en", "A", "A")
		admin, _ := e.employee(ws, 10, 0, hub.RoleAdmin, "en", "A", "A")
		for _, rt := range cabinetRoutes {
			var body any
			if rt.body != "" {
				body = rt.body
			}
			expect(t, rt.method+" "+rt.path+" without cookie", e.call(rt.method, rt.path, nil, body),
				http.StatusUnauthorized, "unauthorized")
			expect(t, rt.method+" "+rt.path+" as manager", e.call(rt.method, rt.path, e.cabinetCookie(manager), body),
				http.StatusForbidden, "cabinet_admins_only")
			if rt.method != http.MethodGet {
				req := e.request(rt.method, rt.path, body)
				req.AddCookie(e.cabinetCookie(admin))
				req.Header.Set("Origin", "https://evil.example")
				expect(t, rt.method+" "+rt.path+" cross-origin", e.serve(req), http.StatusForbidden, "forbidden")
				req = e.request(rt.method, rt.path, body)
				req.AddCookie(e.cabinetCookie(admin))
				req.Header.Del("Origin")
				expect(t, rt.method+" "+rt.path+" without Origin", e.serve(req), http.StatusForbidden, "forbidden")
			}
		}
	})
}

func TestCabinetInstallFlow(t *testing.T) {
	eachCabinet(t, func(t *testing.T, e *cabEnv) {
		r := e.call(http.MethodGet, "/api/cabinet/v1/install", nil, nil)
		expect(t, "install", r, http.StatusFound, "")
		to, err := url.Parse(r.Header.Get("Location"))
		must(t, err)
		q := to.Query()
		if to.Host != "www.amocrm.ru" || q.Get("client_id") != "client-1" || q.Get("mode") != "popup" || len(q.Get("state")) < 20 {
			t.Fatalf("authorize URL %s", to)
		}
		state := cookieOf(t, r, "sb_install_state")
		if state.Value != q.Get("state") || state.Path != "/amocrm/" || !state.HttpOnly {
			t.Fatalf("state cookie %+v", state)
		}

		callback := func(stateParam string, ck *http.Cookie) *http.Request {
			req := httptest.NewRequest(http.MethodGet, "/amocrm/oauth?code=c&referer=acme.amocrm.ru&state="+stateParam, nil)
			if ck != nil {
				req.AddCookie(ck)
			}
			return req
		}
		if from, err := e.cabinet.CheckInstallState(callback(q.Get("state"), state)); !from || err != nil {
			t.Fatalf("matching state: %v %v", from, err)
		}
		if _, err := e.cabinet.CheckInstallState(callback("other", state)); err != apierr.InstallState {
			t.Fatalf("foreign state: %v", err)
		}
		if _, err := e.cabinet.CheckInstallState(callback(q.Get("state"), nil)); err != apierr.InstallState {
			t.Fatalf("state without cookie: %v", err)
		}
		if from, _ := e.cabinet.CheckInstallState(httptest.NewRequest(http.MethodGet, "/amocrm/oauth?code=c&from_widget=1", nil)); from {
			t.Fatal("an install from the CRM's own page taken for the cabinet's")
		}

		// The callback stored the workspace; the installing CRM user is an admin there.
		ws := e.workspace(77)
		e.crm.users = []store.CRMUser{{ID: 5, Name: "Olga", Email: "olga@acme.test", Lang: "ru", IsAdmin: true, IsActive: true},
			{ID: 6, Name: "Pavel", Lang: "en", IsActive: true}}
		rec := httptest.NewRecorder()
		must(t, e.cabinet.FinishCabinetInstall(rec, callback(q.Get("state"), state), ws, 5))
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/cabinet/" {
			t.Fatalf("finish: %d %s", rec.Code, rec.Header().Get("Location"))
		}
		ck := cookieOf(t, response{Header: rec.Header()}, "sb_cabinet")
		me := e.call(http.MethodGet, "/api/cabinet/v1/me", ck, nil)
		expect(t, "installer signed in", me, http.StatusOK, "")
		if me.JSON(t)["lang"] != "ru" {
			t.Fatalf("installer's language: %s", me.Body)
		}
		e.sync.Wait()
		wsBody := e.call(http.MethodGet, "/api/cabinet/v1/workspace", ck, nil).JSON(t)
		sync := wsBody["sync"].(map[string]any)
		if sync["state"] != crmsync.StateDone || sync["users"] != 2.0 || sync["contacts"] != 1.0 {
			t.Fatalf("initial sync: %v", sync)
		}

		// A CRM user who is not an admin installs: no session, a message on the cabinet.
		rec = httptest.NewRecorder()
		must(t, e.cabinet.FinishCabinetInstall(rec, callback(q.Get("state"), state), ws, 6))
		if rec.Header().Get("Location") != "/cabinet/?error=cabinet_admins_only" {
			t.Fatalf("non-admin install went to %s", rec.Header().Get("Location"))
		}
		for _, c := range (&http.Response{Header: rec.Header()}).Cookies() {
			if c.Name == "sb_cabinet" {
				t.Fatal("a non-admin got a cabinet cookie")
			}
		}
		// The audit log has the install, then the second one as a reconnect, each with its CRM user.
		var actions []string
		for _, a := range e.call(http.MethodGet, "/api/cabinet/v1/audit", ck, nil).JSON(t)["items"].([]any) {
			a := a.(map[string]any)
			actions = append(actions, fmt.Sprint(a["action"], " ", a["details"].(map[string]any)["name"]))
		}
		if strings.Join(actions, ", ") != "workspace.reconnect Pavel, workspace.install Olga" {
			t.Fatalf("audit = %v", actions)
		}
	})
}

func TestCabinetCookieRenewsWhileInUse(t *testing.T) {
	eachCabinet(t, func(t *testing.T, e *cabEnv) {
		emp, _ := e.employee(e.workspace(1), 10, 0, hub.RoleAdmin, "en", "A", "A")
		fresh := e.call(http.MethodGet, "/api/cabinet/v1/me", e.cabinetCookie(emp), nil)
		expect(t, "fresh cookie", fresh, http.StatusOK, "")
		if len(fresh.Header.Values("Set-Cookie")) != 0 {
			t.Fatal("a fresh cookie was renewed")
		}
		tok, _ := e.cabinet.Signer.Issue(auth.Session{WorkspaceID: emp.WorkspaceID, EmployeeID: emp.ID,
			ExpiresAt: time.Now().Add(10 * time.Minute)}, time.Now())
		old := e.call(http.MethodGet, "/api/cabinet/v1/me", &http.Cookie{Name: "sb_cabinet", Value: tok}, nil)
		expect(t, "old cookie", old, http.StatusOK, "")
		if c := cookieOf(t, old, "sb_cabinet"); time.Until(c.Expires) < 50*time.Minute || !c.HttpOnly {
			t.Fatalf("renewed cookie: %+v", c)
		}
	})
}

// The pages offer a provider console for new numbers and bots only where the hub has one
// (the sandbox's).
func TestCabinetMeSaysWhetherThereIsAProviderConsole(t *testing.T) {
	eachCabinet(t, func(t *testing.T, e *cabEnv) {
		_, ck := e.admin(e.workspace(1), 10)
		if got := e.call(http.MethodGet, "/api/cabinet/v1/me", ck, nil).JSON(t)["sandbox"]; got != false {
			t.Fatalf("without a console: sandbox = %v", got)
		}
		e.cabinet.ProviderConsole = "/sandbox/console/"
		if got := e.call(http.MethodGet, "/api/cabinet/v1/me", ck, nil).JSON(t)["sandbox"]; got != true {
			t.Fatalf("with a console: sandbox = %v", got)
		}
	})
}
