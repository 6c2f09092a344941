package connsetup

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	maxbot "github.com/switchboardhq/switchboard/internal/channel/max"
	"github.com/switchboardhq/switchboard/internal/connections"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/sandbox/maxapi"
	"github.com/switchboardhq/switchboard/internal/sandbox/standin"
)

// A MAX bot against the MAX stand-in: GET /me names it, its webhook is subscribed with the
// generated secret (or removed on long polling), a wrong token is refused in MAX's words, and a
// new token must be the same bot's.
func TestMaxBot(t *testing.T) {
	ctx := context.Background()
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	defer srv.Close()
	api := maxapi.New(standin.NewMemory(), func() string { return srv.URL })
	api.Mount(mux)
	api.Register(maxapi.Bot{ID: 8000000777, Username: "acme_max_bot", Name: "Acme", Token: "good-token"})
	api.Register(maxapi.Bot{ID: 8000000778, Username: "other_bot", Name: "Other", Token: "other-token"})
	s := &Setup{MaxBaseURL: srv.URL + maxapi.Prefix}

	c, err := s.PrepareMax(ctx, hub.Connection{ID: "c1"}, "good-token", maxbot.DeliveryWebhook)
	if err != nil {
		t.Fatal(err)
	}
	if c.ExternalID != "8000000777" || c.Name != "MAX · Acme" || c.Kind != hub.KindMaxBot || c.Settings["username"] != "acme_max_bot" ||
		len(c.Secrets[maxbot.SecretWebhook]) < 32 || strings.Trim(c.Secrets[maxbot.SecretWebhook], "0123456789abcdef") != "" {
		t.Fatalf("bot = %+v", c)
	}
	hook := srv.URL + "/hooks/max/c1"
	if err := s.RegisterWebhook(ctx, c, hook); err != nil {
		t.Fatal(err)
	}
	got := subscriptions(t, s, c)
	if len(got) != 1 || got[0] != hook {
		t.Fatalf("subscriptions: %v", got)
	}
	c.Settings[maxbot.SettingDelivery] = maxbot.DeliveryPolling
	if err := s.RegisterWebhook(ctx, c, hook); err != nil {
		t.Fatal(err)
	}
	if got := subscriptions(t, s, c); len(got) != 0 {
		t.Fatalf("long polling keeps a webhook: %v", got)
	}

	_, err = s.PrepareMax(ctx, hub.Connection{}, "wrong-token", maxbot.DeliveryWebhook)
	var se *connections.SetupError
	if !errors.As(err, &se) || !se.Auth || !strings.Contains(se.Reason, "Invalid access_token") {
		t.Fatalf("wrong token: %#v", err)
	}
	if _, _, err := s.Rekey(ctx, c, connections.Credentials{BotToken: "other-token"}, hook); !errors.As(err, &se) ||
		!strings.Contains(se.Reason, "Other") {
		t.Fatalf("another bot's token: %#v", err)
	}
	if c, _, err = s.Rekey(ctx, c, connections.Credentials{BotToken: "good-token"}, hook); err != nil || c.Secrets[maxbot.SecretBotToken] != "good-token" {
		t.Fatalf("same bot's token: %v", err)
	}
}

// subscriptions lists a bot's webhook URLs (GET /subscriptions).
func subscriptions(t *testing.T, s *Setup, c hub.Connection) []string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, s.MaxBaseURL+"/subscriptions", nil)
	req.Header.Set("Authorization", c.Secrets[maxbot.SecretBotToken])
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body struct{ Subscriptions []struct{ URL string } }
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, s := range body.Subscriptions {
		out = append(out, s.URL)
	}
	return out
}
