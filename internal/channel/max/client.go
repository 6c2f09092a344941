// Package max is the MAX (VK's messenger) Bot API adapter: a small client of the methods the
// hub uses — send with the three-step media upload, the webhook subscription, long polling,
// GET /me — and the reader of the bot's updates. The base URL is configurable: the platform
// host has moved once already (platform-api.max.ru → platform-api2.max.ru), and the sandbox
// points it at its stand-in.
package max

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/switchboardhq/switchboard/internal/channel"
	"github.com/switchboardhq/switchboard/internal/hub"
)

// DefaultBaseURL is the Bot API host the official client uses now (the older
// platform-api.max.ru is marked deprecated there).
const DefaultBaseURL = "https://platform-api2.max.ru"

// Settings, secrets and the webhook header of a MAX bot connection.
const (
	SettingBaseURL  = "base_url"
	SettingUsername = "username"
	// SettingDelivery is how updates reach the hub: DeliveryWebhook (default) or DeliveryPolling.
	SettingDelivery = "delivery"
	SecretBotToken  = "bot_token"
	SecretWebhook   = "webhook_secret"
	SecretHeader    = "X-Max-Bot-Api-Secret"
)

// Update delivery modes.
const (
	DeliveryWebhook = "webhook"
	DeliveryPolling = "polling"
)

// UpdateTypes are the updates the hub subscribes to.
var UpdateTypes = []string{"message_created", "message_edited", "message_removed", "bot_started", "bot_stopped"}

// maxFile bounds an inbound download, like the media store's cap.
const maxFile = 100 << 20

// Adapter is one bot.
type Adapter struct {
	BaseURL string
	Token   string
	HTTP    *http.Client
	// Wait pauses before the attempt-th retry of a message whose attachment the platform is
	// still processing ("attachment.not.ready"); nil waits a growing real delay. Tests pass a
	// function that returns at once.
	Wait func(ctx context.Context, attempt int) error
}

var _ channel.Adapter = (*Adapter)(nil)

// New builds the adapter of a MAX bot connection.
func New(c hub.Connection, client *http.Client) *Adapter {
	base, client := channel.Endpoint(c, SettingBaseURL, DefaultBaseURL, client)
	return &Adapter{BaseURL: base, Token: c.Secrets[SecretBotToken], HTTP: client}
}

// Capabilities of a bot: groups it administers; no templates, no window; a chat can be opened by
// user id only with someone who started the bot. MAX sends bots no delivered/read updates, so
// a sent message stays "sent".
func (a *Adapter) Capabilities() channel.Capabilities {
	return channel.Capabilities{Groups: true, CreateByID: true}
}

// apiError is the body MAX answers a refused call with.
type apiError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// call sends one request: params in the query, body (if any) as JSON, the token in the
// Authorization header as MAX wants it (no "Bearer"), and decodes the answer into out.
func (a *Adapter) call(ctx context.Context, method, path string, params url.Values, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	u := a.BaseURL + path
	if len(params) > 0 {
		u += "?" + params.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return channel.Permanent(channel.CodeRejected, "", err.Error())
	}
	req.Header.Set("Authorization", a.Token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := a.HTTP.Do(req)
	if err != nil {
		return channel.Classify(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return channel.Transient("read", err.Error(), 0)
	}
	if resp.StatusCode != http.StatusOK {
		return classify(resp, raw)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			return channel.Permanent(channel.CodeRejected, "", "unreadable answer: "+err.Error())
		}
	}
	return nil
}

// codeNotReady is the refusal of a message whose uploaded file is still being processed.
const codeNotReady = "attachment.not.ready"

// classify maps a refused call to the hub's codes by MAX's HTTP status and error code.
func classify(resp *http.Response, raw []byte) *channel.Error {
	var e apiError
	if json.Unmarshal(raw, &e) != nil || e.Code == "" && e.Message == "" {
		after, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
		return channel.HTTPStatus(resp.StatusCode, strings.TrimSpace(string(raw)), time.Duration(after)*time.Second)
	}
	p := strconv.Itoa(resp.StatusCode)
	detail := strings.TrimSpace(e.Code + ": " + e.Message)
	words := strings.ToLower(e.Code + " " + e.Message)
	switch {
	case e.Code == codeNotReady:
		return &channel.Error{Transient: true, Code: channel.CodeUnavailable, Provider: codeNotReady, Detail: detail}
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		after, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
		return channel.Transient(p, detail, time.Duration(after)*time.Second)
	case resp.StatusCode == http.StatusUnauthorized || e.Code == "verify.token":
		return channel.Permanent(channel.CodeAuthFailed, p, detail)
	case resp.StatusCode == http.StatusForbidden && (strings.Contains(words, "suspend") ||
		strings.Contains(words, "stopped") || strings.Contains(words, "block")):
		// MAX: "This exception happens when user suspended bot" — the customer stopped it.
		return channel.Permanent(channel.CodeBlockedByUser, p, detail)
	case resp.StatusCode == http.StatusNotFound || strings.Contains(words, "chat.not.found"):
		return channel.Permanent(channel.CodeChatNotFound, p, detail)
	}
	return channel.Permanent(channel.CodeRejected, p, detail)
}

// Me is the bot a token belongs to (GET /me).
type Me struct {
	UserID   int64  `json:"user_id"`
	Name     string `json:"name"`
	First    string `json:"first_name"`
	Username string `json:"username"`
	IsBot    bool   `json:"is_bot"`
}

// GetMe asks MAX whose token this is; a wrong token is a CodeAuthFailed error.
func (a *Adapter) GetMe(ctx context.Context) (Me, error) {
	var m Me
	if err := a.call(ctx, http.MethodGet, "/me", nil, nil, &m); err != nil {
		return m, err
	}
	if m.Name == "" {
		m.Name = m.First
	}
	return m, nil
}

// GroupTitle reads a group chat's title (GET /chats/{chatId}): MAX's message updates carry the
// chat's id only.
func (a *Adapter) GroupTitle(ctx context.Context, externalChatID string) (string, error) {
	var c struct {
		Title string `json:"title"`
	}
	if _, err := strconv.ParseInt(externalChatID, 10, 64); err != nil {
		return "", channel.Permanent(channel.CodeRejected, "", "not a MAX chat id: "+externalChatID)
	}
	err := a.call(ctx, http.MethodGet, "/chats/"+externalChatID, nil, nil, &c)
	return c.Title, err
}

type simpleResult struct {
	Success bool   `json:"success"`
	Message string `json:"message"`
}

func (a *Adapter) simple(ctx context.Context, method, path string, params url.Values, body any) error {
	var r simpleResult
	if err := a.call(ctx, method, path, params, body, &r); err != nil {
		return err
	}
	if !r.Success {
		return channel.Permanent(channel.CodeRejected, "", "MAX refused: "+r.Message)
	}
	return nil
}

// Subscribe points the bot's updates at url (POST /subscriptions); MAX then sends secret in
// the X-Max-Bot-Api-Secret header of every delivery.
func (a *Adapter) Subscribe(ctx context.Context, hookURL, secret string) error {
	return a.simple(ctx, http.MethodPost, "/subscriptions", nil,
		map[string]any{"url": hookURL, "update_types": UpdateTypes, "secret": secret})
}

// Unsubscribe removes the webhook at hookURL, which switches the bot to long polling.
func (a *Adapter) Unsubscribe(ctx context.Context, hookURL string) error {
	return a.simple(ctx, http.MethodDelete, "/subscriptions", url.Values{"url": {hookURL}}, nil)
}

// Updates is one long poll (GET /updates): the raw updates after marker (nil: everything not
// committed yet) and the marker that commits them. Each update is exactly what a webhook
// delivery carries, so the hub stores and parses them the same way.
func (a *Adapter) Updates(ctx context.Context, marker *int64, timeout time.Duration) ([]json.RawMessage, int64, error) {
	q := url.Values{"limit": {"100"}, "timeout": {strconv.Itoa(int(timeout.Seconds()))},
		"types": {strings.Join(UpdateTypes, ",")}}
	if marker != nil {
		q.Set("marker", strconv.FormatInt(*marker, 10))
	}
	var r struct {
		Updates []json.RawMessage `json:"updates"`
		Marker  *int64            `json:"marker"`
	}
	if err := a.call(ctx, http.MethodGet, "/updates", q, nil, &r); err != nil {
		return nil, 0, err
	}
	next := int64(0)
	if r.Marker != nil {
		next = *r.Marker
	} else if marker != nil {
		next = *marker
	}
	return r.Updates, next, nil
}

// Templates: a bot has none.
func (a *Adapter) Templates(ctx context.Context) ([]hub.Template, error) { return nil, nil }

// React: the Bot API has no reactions for bots.
func (a *Adapter) React(ctx context.Context, to, providerKey, emoji string) error {
	return channel.Permanent(channel.CodeNotSupported, "", "MAX bots cannot set reactions")
}

// Typing shows the bot typing in a group chat (POST /chats/{chatId}/actions). A private chat
// is known to the hub by the customer's user id, and the action needs the dialog's chat id.
func (a *Adapter) Typing(ctx context.Context, to, lastInbound string) error {
	if id, err := strconv.ParseInt(to, 10, 64); err != nil || id >= 0 {
		return channel.Permanent(channel.CodeNotSupported, "", "MAX shows a bot typing only in group chats here")
	}
	return a.simple(ctx, http.MethodPost, "/chats/"+to+"/actions", nil, map[string]string{"action": "typing_on"})
}

// Fetch downloads an inbound file. The media id is the attachment's URL; the token goes along
// only to the Bot API's own host, never to a file server elsewhere.
func (a *Adapter) Fetch(ctx context.Context, mediaID string) (channel.Download, error) {
	if token, ok := strings.CutPrefix(mediaID, videoPrefix); ok {
		link, err := a.videoURL(ctx, token)
		if err != nil {
			return channel.Download{}, err
		}
		mediaID = link
	}
	u, err := url.Parse(mediaID)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return channel.Download{}, channel.Permanent(channel.CodeRejected, "", "not a MAX file URL")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, mediaID, nil)
	if err != nil {
		return channel.Download{}, channel.Permanent(channel.CodeRejected, "", err.Error())
	}
	if base, err := url.Parse(a.BaseURL); err == nil && base.Host == u.Host {
		req.Header.Set("Authorization", a.Token)
	}
	resp, err := a.HTTP.Do(req)
	if err != nil {
		return channel.Download{}, channel.Classify(err)
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return channel.Download{}, channel.HTTPStatus(resp.StatusCode, "file download", 0)
	}
	return channel.Download{MIME: resp.Header.Get("Content-Type"), Body: channel.Stream(resp.Body, maxFile)}, nil
}

// videoPrefix marks a video's media id that is its token, not a URL.
const videoPrefix = "video:"

// videoURL asks for a video's file links (GET /videos/{token}) and takes the best mp4.
func (a *Adapter) videoURL(ctx context.Context, token string) (string, error) {
	var d struct {
		URLs map[string]*string `json:"urls"`
	}
	if err := a.call(ctx, http.MethodGet, "/videos/"+url.PathEscape(token), nil, nil, &d); err != nil {
		return "", err
	}
	for _, k := range []string{"mp4_1080", "mp4_720", "mp4_480", "mp4_360", "mp4_240", "mp4_144"} {
		if u := d.URLs[k]; u != nil && *u != "" {
			return *u, nil
		}
	}
	return "", channel.Permanent(channel.CodeRejected, "", "MAX has no mp4 link for this video yet")
}
