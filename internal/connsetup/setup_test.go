package connsetup

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/switchboardhq/switchboard/internal/connections"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/sandbox/graph"
	"github.com/switchboardhq/switchboard/internal/sandbox/standin"
)

// botAPI answers getMe and setWebhook for one token, as the Bot API does.
func botAPI(t *testing.T, token string, hooks map[string]string) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if !strings.HasPrefix(r.URL.Path, "/bot"+token+"/") {
			w.WriteHeader(401)
			w.Write([]byte(`{"ok":false,"error_code":401,"description":"Unauthorized"}`))
			return
		}
		switch strings.TrimPrefix(r.URL.Path, "/bot"+token+"/") {
		case "getMe":
			w.Write([]byte(`{"ok":true,"result":{"id":777,"is_bot":true,"first_name":"Acme","username":"acme_bot"}}`))
		case "setWebhook":
			var p map[string]any
			json.NewDecoder(r.Body).Decode(&p)
			hooks[p["url"].(string)] = p["secret_token"].(string)
			w.Write([]byte(`{"ok":true,"result":true}`))
		}
	}))
}

func TestTelegramBot(t *testing.T) {
	ctx := context.Background()
	hooks := map[string]string{}
	srv := botAPI(t, "777:good", hooks)
	defer srv.Close()
	s := &Setup{TelegramBaseURL: srv.URL}
	c, err := s.PrepareTelegram(ctx, hub.Connection{ID: "c1"}, "777:good")
	if err != nil {
		t.Fatal(err)
	}
	if c.ExternalID != "777" || c.Name != "Telegram · @acme_bot" || c.Kind != hub.KindTelegramBot || len(c.Secrets["webhook_secret"]) < 32 {
		t.Fatalf("bot = %+v", c)
	}
	if err := s.RegisterWebhook(ctx, c, "https://hub/hooks/telegram/c1"); err != nil {
		t.Fatal(err)
	}
	if hooks["https://hub/hooks/telegram/c1"] != c.Secrets["webhook_secret"] {
		t.Fatalf("setWebhook got %v", hooks)
	}
	_, err = s.PrepareTelegram(ctx, hub.Connection{}, "777:wrong")
	var se *connections.SetupError
	if !errors.As(err, &se) || !se.Auth || se.Reason != "Unauthorized" {
		t.Fatalf("wrong token: %#v", err)
	}
}

func TestRefusalsNeverQuoteSecrets(t *testing.T) {
	srv := botAPI(t, "x", nil)
	srv.Close() // nobody answers: the error quotes the request URL, token included
	s := &Setup{TelegramBaseURL: srv.URL}
	_, err := s.PrepareTelegram(context.Background(), hub.Connection{}, "777:very-secret-token")
	var se *connections.SetupError
	if !errors.As(err, &se) || strings.Contains(se.Reason, "very-secret-token") || se.Auth {
		t.Fatalf("refusal = %#v", err)
	}
}

// TestWABANumber proves a number against the sandbox's Graph stand-in, which answers as Meta
// does: every credential is checked before the number is accepted, and each refusal is in
// Graph's words.
func TestWABANumber(t *testing.T) {
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	defer srv.Close()
	g := graph.New(standin.NewMemory(), func() string { return srv.URL })
	g.Mount(mux)
	g.Register(graph.Account{PhoneNumberID: "11", WABAID: "55", DisplayPhone: "+34 600 000 011", Token: "good", AppSecret: "as"})
	g.Register(graph.Account{PhoneNumberID: "12", WABAID: "55", DisplayPhone: "+34 600 000 012", Token: "good", AppSecret: "as"})
	s := &Setup{}
	ctx := context.Background()
	in := connections.WABACredentials{PhoneNumberID: "11", WABAID: "55", AccessToken: "good", AppSecret: "as", VerifyToken: "vt",
		BaseURL: srv.URL + graph.Prefix}
	c, ts, err := s.PrepareWABA(ctx, hub.Connection{ID: "c1"}, in)
	if err != nil {
		t.Fatal(err)
	}
	if c.ExternalID != "11" || c.Settings["waba_id"] != "55" || c.Settings["base_url"] != in.BaseURL ||
		c.Settings["display_phone"] != "+34 600 000 011" || c.Secrets["app_secret"] != "as" || c.Secrets["verify_token"] != "vt" {
		t.Fatalf("number = %+v", c)
	}
	if len(ts) == 0 || ts[0].Status != "APPROVED" {
		t.Fatalf("templates = %+v", ts)
	}
	if err := s.RegisterWebhook(ctx, c, "u"); err != nil {
		t.Fatalf("WABA webhooks are set in Meta's console: %v", err)
	}
	refused := func(what string, mod func(*connections.WABACredentials), auth bool, reason ...string) {
		t.Helper()
		bad := in
		mod(&bad)
		_, _, err := s.PrepareWABA(ctx, hub.Connection{}, bad)
		var se *connections.SetupError
		if !errors.As(err, &se) || se.Auth != auth {
			t.Fatalf("%s: %#v", what, err)
		}
		for _, r := range reason {
			if !strings.Contains(se.Reason, r) {
				t.Errorf("%s: reason %q lacks %q", what, se.Reason, r)
			}
		}
		if strings.Contains(se.Reason, bad.AccessToken) || strings.Contains(se.Reason, bad.AppSecret) {
			t.Errorf("%s: the reason quotes a secret: %q", what, se.Reason)
		}
	}
	refused("revoked token", func(c *connections.WABACredentials) { c.AccessToken = "revoked" }, true, "Error validating access token")
	refused("wrong app secret", func(c *connections.WABACredentials) { c.AppSecret = "not-the-apps" }, false,
		"Invalid appsecret_proof provided in the API argument")
	refused("wrong phone number id", func(c *connections.WABACredentials) { c.PhoneNumberID = "13" }, false,
		"13 is not a number of WhatsApp Business Account 55", "11 (+34 600 000 011)", "12 (+34 600 000 012)")
	refused("wrong WABA id", func(c *connections.WABACredentials) { c.WABAID = "56" }, false, "Object with ID '56' does not exist")

	// New credentials on a stored number are checked the same way.
	if _, _, err := s.Rekey(ctx, c, connections.Credentials{AppSecret: "not-the-apps"}, "u"); err == nil {
		t.Fatal("a wrong app secret was accepted on rekey")
	}
	if c.Secrets["app_secret"] != "as" {
		t.Fatal("the caller's connection was changed in place")
	}
	// A wrong phone number id is corrected like a new one is checked.
	if _, _, err := s.Rekey(ctx, c, connections.Credentials{PhoneNumberID: "13"}, "u"); err == nil ||
		!strings.Contains(err.Error(), "13 is not a number of WhatsApp Business Account 55") {
		t.Fatalf("a phone number id of no account's: %v", err)
	}
	moved, _, err := s.Rekey(ctx, c, connections.Credentials{PhoneNumberID: "12"}, "u")
	if err != nil || moved.ExternalID != "12" || moved.Settings["display_phone"] != "+34 600 000 012" || c.ExternalID != "11" {
		t.Fatalf("corrected: %+v %v", moved, err)
	}
	// A verify token alone needs no call: Graph is not asked (a revoked token would be refused).
	g.Register(graph.Account{PhoneNumberID: "11", WABAID: "55", DisplayPhone: "+34 600 000 011", Token: "good", AppSecret: "as", Revoked: true})
	rotated, _, err := s.Rekey(ctx, c, connections.Credentials{VerifyToken: "vt-2"}, "u")
	if err != nil || rotated.Secrets["verify_token"] != "vt-2" || c.Secrets["verify_token"] != "vt" {
		t.Fatalf("verify token: %+v %v", rotated.Secrets, err)
	}
}

func TestRekeyKeepsTheSameBot(t *testing.T) {
	ctx := context.Background()
	hooks := map[string]string{}
	srv := botAPI(t, "777:new", hooks)
	defer srv.Close()
	s := &Setup{TelegramBaseURL: srv.URL}
	bot := hub.Connection{ID: "c1", Kind: hub.KindTelegramBot, ExternalID: "777",
		Settings: map[string]string{"base_url": srv.URL}, Secrets: map[string]string{"bot_token": "777:old", "webhook_secret": "ws"}}
	c, _, err := s.Rekey(ctx, bot, connections.Credentials{BotToken: "777:new"}, "https://hub/hooks/telegram/c1")
	if err != nil || c.Secrets["bot_token"] != "777:new" || hooks["https://hub/hooks/telegram/c1"] != "ws" {
		t.Fatalf("rekey: %+v %v %v", c.Secrets, err, hooks)
	}
	if bot.Secrets["bot_token"] != "777:old" {
		t.Fatal("the caller's connection was changed in place")
	}
	other := bot
	other.ExternalID = "778"
	var se *connections.SetupError
	if _, _, err := s.Rekey(ctx, other, connections.Credentials{BotToken: "777:new"}, "u"); !errors.As(err, &se) || !strings.Contains(se.Reason, "@acme_bot") {
		t.Fatalf("another bot's token: %v", err)
	}
}
