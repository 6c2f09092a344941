package connsetup

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/switchboardhq/switchboard/internal/httpapi"
	"github.com/switchboardhq/switchboard/internal/hub"
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
	var se *httpapi.SetupError
	if !errors.As(err, &se) || !se.Auth || se.Reason != "Unauthorized" {
		t.Fatalf("wrong token: %#v", err)
	}
}

func TestRefusalsNeverQuoteSecrets(t *testing.T) {
	srv := botAPI(t, "x", nil)
	srv.Close() // nobody answers: the error quotes the request URL, token included
	s := &Setup{TelegramBaseURL: srv.URL}
	_, err := s.PrepareTelegram(context.Background(), hub.Connection{}, "777:very-secret-token")
	var se *httpapi.SetupError
	if !errors.As(err, &se) || strings.Contains(se.Reason, "very-secret-token") || se.Auth {
		t.Fatalf("refusal = %#v", err)
	}
}

func TestWABANumber(t *testing.T) {
	graph := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.Header.Get("Authorization") != "Bearer good" {
			w.WriteHeader(401)
			w.Write([]byte(`{"error":{"message":"Invalid OAuth access token.","code":190}}`))
			return
		}
		if r.URL.Path != "/55/message_templates" {
			w.WriteHeader(404)
			return
		}
		w.Write([]byte(`{"data":[{"name":"hello","language":"en","status":"APPROVED","category":"UTILITY",
			"components":[{"type":"BODY","text":"Hi {{1}}"}]}],"paging":{}}`))
	}))
	defer graph.Close()
	s := &Setup{}
	in := httpapi.WABACredentials{PhoneNumberID: "11", WABAID: "55", AccessToken: "good", AppSecret: "as", VerifyToken: "vt", BaseURL: graph.URL}
	c, ts, err := s.PrepareWABA(context.Background(), hub.Connection{ID: "c1"}, in)
	if err != nil {
		t.Fatal(err)
	}
	if c.ExternalID != "11" || c.Settings["waba_id"] != "55" || c.Settings["base_url"] != graph.URL ||
		c.Secrets["app_secret"] != "as" || c.Secrets["verify_token"] != "vt" {
		t.Fatalf("number = %+v", c)
	}
	if len(ts) != 1 || ts[0].Status != "APPROVED" || ts[0].Params != 1 {
		t.Fatalf("templates = %+v", ts)
	}
	if err := s.RegisterWebhook(context.Background(), c, "u"); err != nil {
		t.Fatalf("WABA webhooks are set in Meta's console: %v", err)
	}
	in.AccessToken = "revoked"
	_, _, err = s.PrepareWABA(context.Background(), hub.Connection{}, in)
	var se *httpapi.SetupError
	if !errors.As(err, &se) || !se.Auth || !strings.Contains(se.Reason, "Invalid OAuth") {
		t.Fatalf("revoked token: %#v", err)
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
	c, _, err := s.Rekey(ctx, bot, httpapi.Credentials{BotToken: "777:new"}, "https://hub/hooks/telegram/c1")
	if err != nil || c.Secrets["bot_token"] != "777:new" || hooks["https://hub/hooks/telegram/c1"] != "ws" {
		t.Fatalf("rekey: %+v %v %v", c.Secrets, err, hooks)
	}
	if bot.Secrets["bot_token"] != "777:old" {
		t.Fatal("the caller's connection was changed in place")
	}
	other := bot
	other.ExternalID = "778"
	var se *httpapi.SetupError
	if _, _, err := s.Rekey(ctx, other, httpapi.Credentials{BotToken: "777:new"}, "u"); !errors.As(err, &se) || !strings.Contains(se.Reason, "@acme_bot") {
		t.Fatalf("another bot's token: %v", err)
	}
}
