package cabinet_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/apidoc"
	"github.com/switchboardhq/switchboard/internal/auth"
	"github.com/switchboardhq/switchboard/internal/cabinet"
	"github.com/switchboardhq/switchboard/internal/connections"
	"github.com/switchboardhq/switchboard/internal/crmsync"
	"github.com/switchboardhq/switchboard/internal/httpapi/apitest"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

const publicURL = "https://hub.example.com"

// fakeChannels stands in for the channel adapters: it accepts the credentials the test says
// are good and records the webhooks it was asked to set.
type fakeChannels struct {
	mu         sync.Mutex
	goodToken  string // WABA access token or Telegram bot token the "provider" accepts
	templates  []hub.Template
	webhookErr error
	webhooks   map[string]string // connection id → URL
	numbers    []string          // the WABA account's phone number ids (Rekey), when set
}

func (f *fakeChannels) PrepareWABA(ctx context.Context, c hub.Connection, in connections.WABACredentials) (hub.Connection, []hub.Template, error) {
	if in.AccessToken != f.goodToken {
		return c, nil, &connections.SetupError{Reason: "Invalid OAuth access token.", Auth: true}
	}
	c.ExternalID = in.PhoneNumberID
	c.Settings = map[string]string{"waba_id": in.WABAID, "base_url": in.BaseURL}
	c.Secrets = map[string]string{"access_token": in.AccessToken, "app_secret": in.AppSecret, "verify_token": in.VerifyToken}
	if c.Name == "" {
		c.Name = "+1 555 0100"
	}
	return c, f.templates, nil
}

func (f *fakeChannels) PrepareTelegram(ctx context.Context, c hub.Connection, token string) (hub.Connection, error) {
	if token != f.goodToken {
		return c, &connections.SetupError{Reason: "Unauthorized", Auth: true}
	}
	id, _, _ := strings.Cut(token, ":")
	c.ExternalID, c.Name = id, "@acme_bot"
	c.Settings = map[string]string{"username": "acme_bot"}
	c.Secrets = map[string]string{"bot_token": token, "webhook_secret": "s3cr3t-webhook"}
	return c, nil
}

func (f *fakeChannels) PrepareMax(ctx context.Context, c hub.Connection, token, delivery string) (hub.Connection, error) {
	if token != f.goodToken {
		return c, &connections.SetupError{Reason: "verify.token: Invalid access_token", Auth: true}
	}
	c.ExternalID, c.Name = "8000000777", "MAX · Acme"
	c.Settings = map[string]string{"username": "acme_max_bot", "delivery": delivery}
	c.Secrets = map[string]string{"bot_token": token, "webhook_secret": "s3cr3t-webhook"}
	return c, nil
}

// RegisterWebhook records a bot's webhook URL ("polling" for a MAX bot on long polling).
func (f *fakeChannels) RegisterWebhook(ctx context.Context, c hub.Connection, url string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if c.Kind == hub.KindWABA {
		return nil
	}
	if f.webhookErr != nil {
		return f.webhookErr
	}
	if c.Settings["delivery"] == "polling" {
		url = "polling"
	}
	f.webhooks[c.ID] = url
	return nil
}

func (f *fakeChannels) Templates(ctx context.Context, c hub.Connection) ([]hub.Template, error) {
	if c.Secrets["access_token"] != f.goodToken {
		return nil, &connections.SetupError{Reason: "Error validating access token.", Auth: true}
	}
	return f.templates, nil
}

// Rekey accepts the good token (a WABA number keeps its own when none is given), a phone
// number id of the account's (f.numbers, when set), and a verify token alone unchecked.
func (f *fakeChannels) Rekey(ctx context.Context, c hub.Connection, creds connections.Credentials, url string) (hub.Connection, []hub.Template, error) {
	secrets := map[string]string{}
	for k, v := range c.Secrets {
		secrets[k] = v
	}
	if creds == (connections.Credentials{VerifyToken: creds.VerifyToken}) && creds.VerifyToken != "" {
		secrets["verify_token"] = creds.VerifyToken
		c.Secrets = secrets
		return c, nil, nil
	}
	token := creds.AccessToken
	if c.Kind == hub.KindTelegramBot {
		token = creds.BotToken
	} else if token == "" {
		token = c.Secrets["access_token"]
	}
	if token != f.goodToken {
		return c, nil, &connections.SetupError{Reason: "Unauthorized", Auth: true}
	}
	if creds.PhoneNumberID != "" {
		if len(f.numbers) > 0 && !slices.Contains(f.numbers, creds.PhoneNumberID) {
			return c, nil, &connections.SetupError{Reason: "phone number id " + creds.PhoneNumberID + " is not a number of WhatsApp Business Account 2025550100"}
		}
		c.ExternalID = creds.PhoneNumberID
	}
	if c.Kind == hub.KindTelegramBot {
		secrets["bot_token"] = token
		f.webhooks[c.ID] = url
	} else {
		secrets["access_token"] = token
	}
	c.Secrets = secrets
	return c, f.templates, nil
}

// fakeCRM is the CRM as the sync sees it: users it copies into the store.
type fakeCRM struct {
	st    *store.Store
	users []store.CRMUser
	fail  bool
}

func (f *fakeCRM) SyncUsers(ctx context.Context, ws hub.Workspace) error {
	if f.fail {
		return errors.New("crm down")
	}
	for _, u := range f.users {
		u.FetchedAt = time.Now()
		if err := f.st.SaveCRMUser(ctx, ws.ID, u); err != nil {
			return err
		}
	}
	return nil
}

func (f *fakeCRM) Sync(ctx context.Context, ws hub.Workspace) error {
	if err := f.SyncUsers(ctx, ws); err != nil {
		return err
	}
	return f.st.SaveCRMContact(ctx, ws.ID, store.CRMEntity{ID: 501, Name: "Ivan", ResponsibleUserID: 10})
}

// cabEnv is a server with the cabinet mounted over fakes of the other parts.
type cabEnv struct {
	*env
	channels *fakeChannels
	crm      *fakeCRM
	sync     *crmsync.Runner
	cabinet  *cabinet.API
}

func eachCabinet(t *testing.T, fn func(t *testing.T, e *cabEnv)) {
	eachEngine(t, func(t *testing.T, base *env) {
		e := &cabEnv{env: base, channels: &fakeChannels{goodToken: "good-token", webhooks: map[string]string{}}}
		e.crm = &fakeCRM{st: base.st}
		e.sync = crmsync.New(e.crm, base.st, time.Minute)
		e.cabinet = &cabinet.API{Store: base.st, Signer: auth.NewSignerFor("test secret key", "cabinet"),
			Handoff: auth.NewSignerFor("test secret key", "cabinet handoff"), PublicURL: publicURL,
			AuthorizeURL: "https://www.amocrm.ru/oauth?mode=popup", ClientID: "client-1", Sync: e.sync,
			Connections: &connections.Service{Store: base.st, Setup: e.channels, PublicURL: publicURL,
				WABABaseURL: "http://graph.test/v21.0"}}
		base.srv.Cabinet = e.cabinet
		base.h = apidoc.Validating(t, base.srv.Handler())
		t.Cleanup(e.sync.Wait)
		fn(t, e)
	})
}

// admin makes a workspace admin and signs them in to the cabinet; it returns the cookie.
func (e *cabEnv) admin(ws hub.Workspace, crmUserID int64) (hub.Employee, *http.Cookie) {
	emp, tok := e.employee(ws, crmUserID, 0, hub.RoleAdmin, "en", "A", "A")
	r := e.do(http.MethodPost, "/api/cabinet/v1/session", tok, nil)
	expect(e.t, "admin sign-in", r, http.StatusOK, "")
	return emp, cookieOf(e.t, r, "sb_cabinet")
}

// cabinetCookie signs anyone in directly, as a stolen or stale cookie would.
func (e *cabEnv) cabinetCookie(emp hub.Employee) *http.Cookie {
	tok, _ := e.cabinet.Signer.Issue(auth.Session{WorkspaceID: emp.WorkspaceID, EmployeeID: emp.ID}, time.Now())
	return &http.Cookie{Name: "sb_cabinet", Value: tok}
}

func cookieOf(t *testing.T, r response, name string) *http.Cookie {
	t.Helper()
	for _, c := range (&http.Response{Header: r.Header}).Cookies() {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no %s cookie in %v", name, r.Header)
	return nil
}

// call sends a cabinet request with the cookie (nil: none) and an optional JSON body.
func (e *cabEnv) call(method, path string, ck *http.Cookie, body any) response {
	e.t.Helper()
	req := e.request(method, path, body)
	if ck != nil {
		req.AddCookie(&http.Cookie{Name: ck.Name, Value: ck.Value})
	}
	return e.serve(req)
}

func (e *cabEnv) request(method, path string, body any) *http.Request {
	e.t.Helper()
	req := apitest.Request(e.t, method, path, "", body)
	if method != http.MethodGet {
		req.Header.Set("Origin", "http://"+req.Host) // as the cabinet's page sends it
	}
	return req
}
