// Package console is the sandbox's stand-in for the providers' own dashboards: Meta for
// Developers (a new WhatsApp Business number with its token and app secret, and the webhook
// callback an admin pastes there), BotFather (a new bot token) and MAX's MasterBot (a new MAX
// bot token). With it, an admin connects
// a brand-new workspace's messengers in the cabinet exactly as with the real providers: copy
// the credentials in, copy the webhook URL and verify token back out.
package console

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/switchboardhq/switchboard/internal/sandbox/botapi"
	"github.com/switchboardhq/switchboard/internal/sandbox/graph"
	"github.com/switchboardhq/switchboard/internal/sandbox/maxapi"
)

// Console serves /sandbox/console/.
type Console struct {
	Graph  *graph.Server
	BotAPI *botapi.Server
	MaxAPI *maxapi.Server
	HTTP   *http.Client
}

// New returns a console over the stand-ins; what it makes lives in theirs (the numbers are the
// Graph stand-in's accounts marked Console), so every sandbox instance shows the same.
func New(g *graph.Server, b *botapi.Server, m *maxapi.Server) *Console {
	return &Console{Graph: g, BotAPI: b, MaxAPI: m, HTTP: &http.Client{Timeout: 10 * time.Second}}
}

// Mount adds the console's routes.
func (c *Console) Mount(mux *http.ServeMux) {
	mux.HandleFunc("GET /sandbox/console/{$}", c.page)
	mux.HandleFunc("GET /sandbox/console/console.js", c.script)
	mux.HandleFunc("POST /sandbox/console/waba", c.newNumber)
	mux.HandleFunc("POST /sandbox/console/waba/{pnid}/webhook", c.setWebhook)
	mux.HandleFunc("POST /sandbox/console/waba/{pnid}/app_secret", c.resetAppSecret)
	mux.HandleFunc("POST /sandbox/console/telegram", c.newBot)
	mux.HandleFunc("POST /sandbox/console/max", c.newMaxBot)
}

// Number is a new WhatsApp Business number as Meta's dashboard shows it.
type Number struct {
	PhoneNumberID string `json:"phone_number_id"`
	WABAID        string `json:"waba_id"`
	DisplayPhone  string `json:"display_phone"`
	AccessToken   string `json:"access_token"`
	AppSecret     string `json:"app_secret"`
}

// newNumber is POST /sandbox/console/waba: a new number in a new business account, known to
// the Graph stand-in from now on; its webhook is not set until the admin sets it.
func (c *Console) newNumber(w http.ResponseWriter, r *http.Request) {
	n := Number{PhoneNumberID: digits(15), WABAID: digits(15), DisplayPhone: "+1 555 " + digits(3) + "-" + digits(4),
		AccessToken: "EAAG" + random(24), AppSecret: random(16)}
	c.Graph.Register(graph.Account{PhoneNumberID: n.PhoneNumberID, WABAID: n.WABAID, DisplayPhone: n.DisplayPhone,
		Token: n.AccessToken, AppSecret: n.AppSecret, Console: true})
	writeJSON(w, http.StatusCreated, n)
}

// setWebhook is POST /sandbox/console/waba/{pnid}/webhook {"callback_url", "verify_token"}: as
// Meta does, the console first calls the URL with hub.mode=subscribe, the verify token and a
// challenge, and keeps the URL only when the answer echoes the challenge.
func (c *Console) setWebhook(w http.ResponseWriter, r *http.Request) {
	var in struct {
		CallbackURL string `json:"callback_url"`
		VerifyToken string `json:"verify_token"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<16)).Decode(&in); err != nil {
		problem(w, http.StatusBadRequest, "body: "+err.Error())
		return
	}
	if a, ok := c.Graph.Account(r.PathValue("pnid")); !ok || !a.Console {
		problem(w, http.StatusNotFound, "phone number id: not created in this console")
		return
	}
	if err := c.verify(r.Context(), in.CallbackURL, in.VerifyToken); err != nil {
		problem(w, http.StatusUnprocessableEntity, "The callback URL or verify token couldn't be validated: "+err.Error())
		return
	}
	c.Graph.UpdateAccount(r.PathValue("pnid"), func(a *graph.Account) { a.HookURL = in.CallbackURL })
	writeJSON(w, http.StatusOK, map[string]string{"callback_url": in.CallbackURL})
}

// resetAppSecret is POST /sandbox/console/waba/{pnid}/app_secret, Meta's "Reset app secret":
// from now on the number's webhooks are signed with the new secret, so a hub that still has
// the old one refuses them until the admin types the new one in.
func (c *Console) resetAppSecret(w http.ResponseWriter, r *http.Request) {
	if a, ok := c.Graph.Account(r.PathValue("pnid")); !ok || !a.Console {
		problem(w, http.StatusNotFound, "phone number id: not created in this console")
		return
	}
	secret := random(16)
	c.Graph.UpdateAccount(r.PathValue("pnid"), func(a *graph.Account) { a.AppSecret = secret })
	writeJSON(w, http.StatusOK, map[string]string{"app_secret": secret})
}

func (c *Console) verify(ctx context.Context, callback, token string) error {
	u, err := url.Parse(callback)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return fmt.Errorf("not an http(s) URL")
	}
	challenge := digits(9)
	q := u.Query()
	q.Set("hub.mode", "subscribe")
	q.Set("hub.verify_token", token)
	q.Set("hub.challenge", challenge)
	u.RawQuery = q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return err
	}
	res, err := c.HTTP.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(res.Body, 1024))
	if res.StatusCode != http.StatusOK || strings.TrimSpace(string(body)) != challenge {
		return fmt.Errorf("the callback answered %d", res.StatusCode)
	}
	return nil
}

// Bot is a new bot as BotFather announces it.
type Bot struct {
	ID       int64  `json:"id"`
	Username string `json:"username"`
	Token    string `json:"token"`
}

// newBot is POST /sandbox/console/telegram {"name"?}: a new bot, known to the Bot API stand-in.
func (c *Console) newBot(w http.ResponseWriter, r *http.Request) {
	n, _ := rand.Int(rand.Reader, big.NewInt(899_999_999))
	b := Bot{ID: 7_100_000_000 + n.Int64()}
	b.Username = fmt.Sprintf("sandbox_%d_bot", b.ID%1_000_000)
	b.Token = fmt.Sprintf("%d:AAH%s", b.ID, random(16))
	c.BotAPI.Register(botapi.Bot{ID: b.ID, Username: b.Username, Name: "Sandbox bot", Token: b.Token})
	writeJSON(w, http.StatusCreated, b)
}

// newMaxBot is POST /sandbox/console/max: a new MAX bot, as MasterBot gives one, known to the
// MAX stand-in; its token is what the cabinet asks for.
func (c *Console) newMaxBot(w http.ResponseWriter, r *http.Request) {
	n, _ := rand.Int(rand.Reader, big.NewInt(899_999_999))
	b := Bot{ID: 8_100_000_000 + n.Int64()}
	b.Username = fmt.Sprintf("sandbox_%d_bot", b.ID%1_000_000)
	b.Token = random(32)
	c.MaxAPI.Register(maxapi.Bot{ID: b.ID, Username: b.Username, Name: "Sandbox MAX bot", Token: b.Token})
	writeJSON(w, http.StatusCreated, b)
}

func digits(n int) string {
	var sb strings.Builder
	for i := 0; i < n; i++ {
		d, _ := rand.Int(rand.Reader, big.NewInt(10))
		if i == 0 && d.Int64() == 0 {
			d = big.NewInt(1)
		}
		sb.WriteByte(byte('0' + d.Int64()))
	}
	return sb.String()
}

func random(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// problem answers an error in the hub's shape; a developer tool, so the message is English.
func problem(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]any{"error": map[string]string{"code": "bad_request", "message": msg}})
}
