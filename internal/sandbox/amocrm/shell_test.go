package amocrm

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/switchboardhq/switchboard/internal/testwait"
)

// page GETs a shell page with the client's cookies and returns its status and body.
func page(t *testing.T, c *http.Client, u string) (int, string) {
	t.Helper()
	res, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func browserClient(t *testing.T) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// The shell serves every sandbox account: ?account= and ?as= pick it, a cookie keeps it, and
// each account keeps its own signed-in user; an unknown account is not found.
func TestShellServesEveryAccount(t *testing.T) {
	_, ts := newTestCRM(t)
	c := browserClient(t)

	code, body := page(t, c, ts.URL+Prefix+"/leads?account=fresh&as=9100002")
	if code != 200 || !strings.Contains(body, "Fresh Start Studio") || !strings.Contains(body, "Sesión de fotos de producto") ||
		!strings.Contains(body, `<option value="9100002" selected>`) || strings.Contains(body, "Поставка стеллажей") {
		t.Fatalf("fresh as Igor: %d\n%s", code, body)
	}
	// The cookie keeps the account and its user on the next page.
	if _, body = page(t, c, ts.URL+Prefix+"/contacts"); !strings.Contains(body, "Fresh Start Studio") ||
		!strings.Contains(body, `<option value="9100002" selected>`) || !strings.Contains(body, `<option value="fresh" data-href="/sandbox/amocrm/contacts?account=fresh" selected>`) {
		t.Fatalf("contacts after the switch:\n%s", body)
	}
	// Back to demo: its own user cookie, not fresh's.
	if _, body = page(t, c, ts.URL+Prefix+"/leads?account=demo&as=8100004"); !strings.Contains(body, `<option value="8100004" selected>`) {
		t.Fatalf("demo as Carlos:\n%s", body)
	}
	if _, body = page(t, c, ts.URL+Prefix+"/leads?account=fresh"); !strings.Contains(body, `<option value="9100002" selected>`) {
		t.Fatalf("fresh forgot its user:\n%s", body)
	}
	// ?as= alone names the account its user belongs to.
	if _, body = page(t, c, ts.URL+Prefix+"/leads?as=8100001"); !strings.Contains(body, "Северный ветер") ||
		!strings.Contains(body, `<option value="8100001" selected>`) {
		t.Fatalf("?as= of a demo user:\n%s", body)
	}
	if code, _ = page(t, c, ts.URL+Prefix+"/leads?account=nope"); code != http.StatusNotFound {
		t.Fatalf("unknown account: %d", code)
	}
	// A card of the other account is not found in this one.
	if code, _ = page(t, c, ts.URL+Prefix+"/leads/detail/30001?account=fresh"); code != http.StatusNotFound {
		t.Fatalf("a demo deal in fresh: %d", code)
	}
}

// The widget is there only where the hub's integration is installed; elsewhere the shell offers
// the install, which goes through the consent page and reaches the hub marked from_widget.
func TestShellWidgetOnlyWhereInstalled(t *testing.T) {
	s, ts := newTestCRM(t)
	c := browserClient(t)
	_, body := page(t, c, ts.URL+Prefix+"/widget-page?account=fresh&as=9100001")
	if strings.Contains(body, `id="left-menu-switchboard"`) || strings.Contains(body, `id="work-area-switchboard"`) ||
		!strings.Contains(body, `id="not-installed"`) || !strings.Contains(body, `"installed":false`) {
		t.Fatalf("not installed:\n%s", body)
	}
	install := ts.URL + Prefix + "/oauth?" + url.Values{"client_id": {"cid"}, "account": {"fresh"}, "from_widget": {"1"}, "lang": {"es"}}.Encode()
	if !strings.Contains(body, `href="`+strings.ReplaceAll(strings.TrimPrefix(install, ts.URL), "&", "&amp;")+`"`) {
		t.Fatalf("no install link %q:\n%s", install, body)
	}
	_, consent := page(t, c, install)
	if !strings.Contains(consent, `name="from_widget" value="1"`) || !strings.Contains(consent, `value="fresh" checked`) {
		t.Fatalf("consent page:\n%s", consent)
	}
	res, err := c.PostForm(ts.URL+Prefix+"/oauth", url.Values{"client_id": {"cid"}, "account": {"fresh"}, "from_widget": {"1"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	back, _ := url.Parse(res.Header.Get("Location"))
	if res.StatusCode != http.StatusFound || back.Path != "/amocrm/oauth" || back.Query().Get("from_widget") != "1" || back.Query().Get("code") == "" {
		t.Fatalf("allow: %d %s", res.StatusCode, back)
	}
	r2, m := call(t, "POST", ts.URL+Prefix+"/oauth2/access_token", "", `{"client_id":"cid","client_secret":"csecret",
		"grant_type":"authorization_code","code":"`+back.Query().Get("code")+`","redirect_uri":"`+ts.URL+`/amocrm/oauth"}`)
	if r2.StatusCode != 200 {
		t.Fatalf("code exchange: %d %v", r2.StatusCode, m)
	}
	_, body = page(t, c, ts.URL+Prefix+"/widget-page")
	if !strings.Contains(body, `id="left-menu-switchboard"`) || !strings.Contains(body, `id="work-area-switchboard"`) ||
		!strings.Contains(body, `"installed":true`) || !strings.Contains(body, `"code":"fresh"`) {
		t.Fatalf("installed:\n%s", body)
	}
	// demo was not installed by that.
	s.lock()
	demo := s.installed("demo")
	s.unlock()
	if demo {
		t.Fatal("installing fresh installed demo")
	}
}

// The card's forms act in the shell's current account.
func TestShellFormsActInTheCurrentAccount(t *testing.T) {
	s, ts := newTestCRM(t)
	c := browserClient(t)
	page(t, c, ts.URL+Prefix+"/leads?account=fresh&as=9100001")
	res, err := c.PostForm(ts.URL+Prefix+"/leads/detail/55001/responsible", url.Values{"responsible_user_id": {"9100001"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("responsible in fresh: %d", res.StatusCode)
	}
	s.lock()
	owner := s.st.Accounts["fresh"].lead(55001).ResponsibleUserID
	s.unlock()
	if owner != 9100001 {
		t.Fatalf("fresh's deal belongs to %d", owner)
	}
}

// lockingChats is an amojo whose feed, like amojo's API, asks the CRM while it works.
type lockingChats struct{ crm *Server }

func (c lockingChats) Feed(accountAmojoID string, chatIDs []string) []FeedMessage {
	c.crm.ChatLinked(accountAmojoID, chatIDs[0])
	return []FeedMessage{{ID: "m1", ChatID: chatIDs[0], Incoming: true, Author: "Rosa", Text: "Hola"}}
}
func (lockingChats) Reply(string, string, string, string) error         { return nil }
func (lockingChats) React(string, string, string, string, string) error { return nil }
func (lockingChats) Typing(string, string, string) error                { return nil }

// A card's feed is read with the CRM's lock let go: amojo, which asks the CRM while it holds
// its own lock, never waits for a CRM waiting for amojo.
func TestCardFeedDoesNotHoldTheCRM(t *testing.T) {
	s, _ := newTestCRM(t)
	s.SetChats(lockingChats{s})
	account := AmojoID("account", DemoAccountID)
	contactID, err := s.IncomingChat(account, "chat-1", "", Customer{Name: "Rosa Díaz", Phone: "+34600111222"})
	if err != nil {
		t.Fatal(err)
	}
	id := strconv.FormatInt(contactID, 10)
	req := httptest.NewRequest(http.MethodGet, Prefix+"/contacts/detail/"+id+"?account=demo&as=8100001", nil)
	req.SetPathValue("id", id)
	done := make(chan string, 1)
	go func() { // a handler stuck on the locks stays stuck; the test fails at its bound
		rec := httptest.NewRecorder()
		s.shell("ccard")(rec, req)
		done <- rec.Body.String()
	}()
	if body := testwait.Recv(t, done, "the card with its feed"); !strings.Contains(body, "Hola") {
		t.Fatalf("card without its feed:\n%s", body)
	}
}

// The shell serves the widget's files as the CRM serves an uploaded widget: the script with the
// hub's URL in it, the i18n files and each logo (drawn when first asked for, the same each time).
func TestShellServesTheWidgetFiles(t *testing.T) {
	_, ts := newTestCRM(t)
	c := browserClient(t)
	get := func(name string) (int, string, string) {
		t.Helper()
		res, err := c.Get(ts.URL + Prefix + "/widget/" + name)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, res.Header.Get("Content-Type"), string(b)
	}
	if code, ct, body := get("script.js"); code != 200 || !strings.HasPrefix(ct, "text/javascript") || !strings.Contains(body, "define(") ||
		strings.Contains(body, "__SWITCHBOARD_PUBLIC_URL__") {
		t.Errorf("script.js: %d %s", code, ct)
	}
	if code, _, body := get("i18n/ru.json"); code != 200 || !strings.Contains(body, `"widget"`) {
		t.Errorf("i18n/ru.json: %d %s", code, body)
	}
	_, _, first := get("images/logo_main.png")
	if code, ct, again := get("images/logo_main.png"); code != 200 || ct != "image/png" || !strings.HasPrefix(again, "\x89PNG") || again != first {
		t.Errorf("logo_main.png: %d %s, the same both times: %v", code, ct, again == first)
	}
	for _, missing := range []string{"images/logo_huge.png", "images/", "nothing.js"} {
		if code, _, _ := get(missing); code != 404 {
			t.Errorf("%s: %d, want 404", missing, code)
		}
	}
}
