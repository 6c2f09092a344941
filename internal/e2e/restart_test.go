package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"testing"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/testwait"
)

// TestCabinetConnectionsSurviveARestart: a number and a bot added in the cabinet (through the
// same HTTP calls the pages make) still receive customers' messages after the hub restarts on
// another port, though the stand-ins forget everything: the boot points them at the new address
// and registers them again, webhooks included.
func TestCabinetConnectionsSurviveARestart(t *testing.T) {
	dir := t.TempDir()
	h := StartHubAt(t, dir)
	c := installFresh(t, h)
	var bot struct{ Token string }
	post(t, c, h.URL+"/sandbox/console/telegram", nil, http.StatusCreated, &bot)
	var number struct {
		PhoneNumberID string `json:"phone_number_id"`
		WABAID        string `json:"waba_id"`
		AccessToken   string `json:"access_token"`
		AppSecret     string `json:"app_secret"`
	}
	post(t, c, h.URL+"/sandbox/console/waba", nil, http.StatusCreated, &number)
	var created struct {
		Connection struct{ ID string }
		Setup      struct {
			WebhookURL  string `json:"webhook_url"`
			VerifyToken string `json:"verify_token"`
		}
	}
	post(t, c, h.URL+"/api/cabinet/v1/connections", map[string]string{"kind": "waba", "phone_number_id": number.PhoneNumberID,
		"waba_id": number.WABAID, "access_token": number.AccessToken, "app_secret": number.AppSecret}, http.StatusCreated, &created)
	wabaID := created.Connection.ID
	post(t, c, h.URL+"/sandbox/console/waba/"+number.PhoneNumberID+"/webhook", map[string]string{
		"callback_url": created.Setup.WebhookURL, "verify_token": created.Setup.VerifyToken}, http.StatusOK, nil)
	post(t, c, h.URL+"/api/cabinet/v1/connections", map[string]string{"kind": "telegram_bot", "bot_token": bot.Token},
		http.StatusCreated, &created)
	botID := created.Connection.ID
	if err := h.Close(); err != nil {
		t.Fatal(err)
	}

	h2 := StartHubAt(t, dir)
	if h2.URL == h.URL {
		t.Fatalf("the restart kept the port %s; the test means to move it", h.URL)
	}
	post(t, c, h2.URL+"/sandbox/customers/send", map[string]any{"connection_id": wabaID,
		"from": map[string]string{"phone": "+34 699 111 222", "name": "Elena"}, "type": "text", "text": "¿Seguís abiertos?"}, http.StatusAccepted, nil)
	post(t, c, h2.URL+"/sandbox/customers/send", map[string]any{"connection_id": botID,
		"from": map[string]any{"telegram_user_id": 4242, "name": "Jorge"}, "type": "text", "text": "Hola"}, http.StatusAccepted, nil)
	waitForChat(t, h2, wabaID, "34699111222")
	waitForChat(t, h2, botID, "4242")
}

// waitForChat waits until the hub has stored a private chat with a message on the connection
// with the customer's external chat id (wa_id, Telegram chat id).
func waitForChat(t *testing.T, h *SandboxInstance, connectionID, externalChatID string) {
	t.Helper()
	testwait.Until(t, fmt.Sprintf("a message on %s from %s", connectionID, externalChatID), func() bool {
		chat, err := h.Store.ChatByExternal(t.Context(), connectionID, externalChatID)
		return err == nil && chat.LastMessage != nil && chat.Kind == hub.ChatPrivate
	})
}

var hiddenInput = regexp.MustCompile(`name="(client_id|state)" value="([^"]*)"`)

// installFresh installs the sandbox CRM's fresh account from the cabinet as a browser would:
// "Connect amoCRM", the consent page's form, the callback; it returns the signed-in client.
func installFresh(t *testing.T, h *SandboxInstance) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	res, err := c.Get(h.URL + "/api/cabinet/v1/install")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	form := url.Values{"account": {"fresh"}}
	for _, m := range hiddenInput.FindAllStringSubmatch(string(page), -1) {
		form.Set(m[1], m[2])
	}
	res, err = c.PostForm(res.Request.URL.String(), form)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.Request.URL.Path != "/cabinet/" {
		t.Fatalf("the install ended at %s (%d)", res.Request.URL, res.StatusCode)
	}
	return c
}

// post sends body as JSON and decodes the answer into out (nil to ignore it).
func post(t *testing.T, c *http.Client, u string, body any, status int, out any) {
	t.Helper()
	raw, _ := json.Marshal(body)
	req, err := http.NewRequest(http.MethodPost, u, bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if to, err := url.Parse(u); err == nil {
		req.Header.Set("Origin", to.Scheme+"://"+to.Host) // as the cabinet's page sends it
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	answer, _ := io.ReadAll(res.Body)
	if res.StatusCode != status {
		t.Fatalf("POST %s: %d, want %d: %s", u, res.StatusCode, status, answer)
	}
	if out != nil {
		if err := json.Unmarshal(answer, out); err != nil {
			t.Fatal(fmt.Errorf("POST %s: %w", u, err))
		}
	}
}
