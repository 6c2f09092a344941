// Package telegram is the Telegram Bot API adapter: a thin client of the methods the hub uses
// and the reader of the bot's webhook updates. The base URL is configurable so a deployment
// talks to api.telegram.org and the sandbox to its stand-in.
package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"time"

	"github.com/switchboardhq/switchboard/internal/channel"
	"github.com/switchboardhq/switchboard/internal/hub"
)

// DefaultBaseURL is the Bot API server.
const DefaultBaseURL = "https://api.telegram.org"

// Settings, secrets and the webhook header of a Telegram bot connection.
const (
	SettingBaseURL  = "base_url"
	SettingUsername = "username"
	SecretBotToken  = "bot_token"
	SecretWebhook   = "webhook_secret"
	SecretHeader    = "X-Telegram-Bot-Api-Secret-Token"
)

// maxFile is the cloud Bot API's download limit.
const maxFile = 20 << 20

// Adapter is one bot.
type Adapter struct {
	BaseURL string
	Token   string
	HTTP    *http.Client
}

var _ channel.Adapter = (*Adapter)(nil)

// New builds the adapter of a Telegram bot connection.
func New(c hub.Connection, client *http.Client) *Adapter {
	base, client := channel.Endpoint(c, SettingBaseURL, DefaultBaseURL, client)
	return &Adapter{BaseURL: base, Token: c.Secrets[SecretBotToken], HTTP: client}
}

// Capabilities of a bot: groups it is in; no templates, no window, no receipts; a chat can be
// opened by user id only with someone who has written to the bot.
func (a *Adapter) Capabilities() channel.Capabilities {
	return channel.Capabilities{Groups: true, CreateByID: true}
}

type apiResponse struct {
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
	Parameters  struct {
		RetryAfter int `json:"retry_after"`
	} `json:"parameters"`
}

// call invokes a method with a JSON body and decodes its result into out.
func (a *Adapter) call(ctx context.Context, method string, params, out any) error {
	b, err := json.Marshal(params)
	if err != nil {
		return err
	}
	return a.do(ctx, method, "application/json", bytes.NewReader(b), out)
}

// callFile invokes a method with one file as a multipart part named field.
func (a *Adapter) callFile(ctx context.Context, method string, fields map[string]string, field string, f channel.File, out any) error {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		_ = w.WriteField(k, v)
	}
	name := f.Name
	if name == "" {
		name = field
	}
	part, err := w.CreateFormFile(field, name)
	if err != nil {
		return err
	}
	if _, err := part.Write(f.Data); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return a.do(ctx, method, w.FormDataContentType(), &buf, out)
}

func (a *Adapter) do(ctx context.Context, method, contentType string, body io.Reader, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.BaseURL+"/bot"+a.Token+"/"+method, body)
	if err != nil {
		return channel.Permanent(channel.CodeRejected, "", err.Error())
	}
	req.Header.Set("Content-Type", contentType)
	resp, err := a.HTTP.Do(req)
	if err != nil {
		return channel.Classify(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return channel.Transient("read", err.Error(), 0)
	}
	var r apiResponse
	if json.Unmarshal(raw, &r) != nil {
		return channel.HTTPStatus(resp.StatusCode, strings.TrimSpace(string(raw)), 0)
	}
	if !r.OK {
		return apiError(r)
	}
	if out != nil {
		if err := json.Unmarshal(r.Result, out); err != nil {
			return channel.Permanent(channel.CodeRejected, "", "unreadable result: "+err.Error())
		}
	}
	return nil
}

// apiError maps the Bot API's error_code and description to the hub's codes.
func apiError(r apiResponse) *channel.Error {
	p := fmt.Sprint(r.ErrorCode)
	d := strings.ToLower(r.Description)
	switch {
	case r.ErrorCode == 429:
		return channel.Transient(p, r.Description, time.Duration(r.Parameters.RetryAfter)*time.Second)
	case r.ErrorCode >= 500:
		return channel.Transient(p, r.Description, 0)
	case r.ErrorCode == 401 || r.ErrorCode == 404:
		return channel.Permanent(channel.CodeAuthFailed, p, r.Description)
	case r.ErrorCode == 403 && strings.Contains(d, "blocked"):
		return channel.Permanent(channel.CodeBlockedByUser, p, r.Description)
	case r.ErrorCode == 400 && strings.Contains(d, "chat not found"):
		return channel.Permanent(channel.CodeChatNotFound, p, r.Description)
	}
	return channel.Permanent(channel.CodeRejected, p, r.Description)
}

// SetWebhook points the bot's updates at url, with the secret Telegram echoes in every call.
func (a *Adapter) SetWebhook(ctx context.Context, url, secret string) error {
	return a.call(ctx, "setWebhook", map[string]any{"url": url, "secret_token": secret,
		"allowed_updates": []string{"message", "message_reaction"}}, nil)
}

// Templates: a bot has none.
func (a *Adapter) Templates(ctx context.Context) ([]hub.Template, error) { return nil, nil }

// Upload: the Bot API takes files inside the send call, so there is no separate upload.
func (a *Adapter) Upload(ctx context.Context, f channel.File) (string, error) {
	return "", channel.Permanent(channel.CodeNotSupported, "", "the Bot API uploads files with the message")
}

// Fetch downloads an inbound file: getFile gives its path, which is read from the file URL.
func (a *Adapter) Fetch(ctx context.Context, fileID string) (channel.Download, error) {
	var f struct {
		FilePath string `json:"file_path"`
		FileSize int64  `json:"file_size"`
	}
	if err := a.call(ctx, "getFile", map[string]string{"file_id": fileID}, &f); err != nil {
		return channel.Download{}, err
	}
	if f.FileSize > maxFile || f.FilePath == "" {
		// The Bot API gives no path for a file over its download limit.
		return channel.Download{}, channel.OverLimit(maxFile)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, a.BaseURL+"/file/bot"+a.Token+"/"+f.FilePath, nil)
	if err != nil {
		return channel.Download{}, channel.Permanent(channel.CodeRejected, "", err.Error())
	}
	resp, err := a.HTTP.Do(req)
	if err != nil {
		return channel.Download{}, channel.Classify(err)
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return channel.Download{}, channel.HTTPStatus(resp.StatusCode, "file download", 0)
	}
	name := f.FilePath[strings.LastIndexByte(f.FilePath, '/')+1:]
	return channel.Download{Name: name, MIME: resp.Header.Get("Content-Type"), Body: channel.Stream(resp.Body, maxFile)}, nil
}
