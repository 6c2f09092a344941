// Package waba is the WhatsApp Cloud API (WhatsApp Business Platform) adapter: a thin client
// of the Graph API endpoints the hub uses, and the reader of its signed webhooks. The base URL
// is configurable so a deployment talks to Meta and the sandbox to its stand-in.
package waba

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/switchboardhq/switchboard/internal/channel"
	"github.com/switchboardhq/switchboard/internal/hub"
)

// DefaultBaseURL is Meta's Graph API at the version the adapter speaks.
const DefaultBaseURL = "https://graph.facebook.com/v21.0"

// Settings and secrets a WABA connection keeps (hub.Connection.Settings / Secrets).
const (
	SettingBaseURL      = "base_url"
	SettingWABAID       = "waba_id"
	SettingDisplayPhone = "display_phone"
	SecretAccessToken   = "access_token"
	SecretAppSecret     = "app_secret"
	SecretVerifyToken   = "verify_token"
)

// maxMedia bounds a downloaded file (the largest WhatsApp kind, documents, is 100 MB).
const maxMedia = 100 << 20

// Adapter is one WhatsApp business phone number.
type Adapter struct {
	BaseURL       string
	Token         string
	PhoneNumberID string
	WABAID        string
	HTTP          *http.Client
	// Catalog names a cart item by its SKU (the webhook carries none); nil leaves names empty.
	Catalog func(sku string) string
}

var _ channel.Adapter = (*Adapter)(nil)

// New builds the adapter of a WABA connection.
func New(c hub.Connection, client *http.Client) *Adapter {
	base, client := channel.Endpoint(c, SettingBaseURL, DefaultBaseURL, client)
	return &Adapter{BaseURL: base, Token: c.Secrets[SecretAccessToken],
		PhoneNumberID: c.ExternalID, WABAID: c.Settings[SettingWABAID], HTTP: client}
}

// Capabilities of the Cloud API: templates, the 24-hour window, delivery receipts; a chat can
// be opened by phone number (the first message must then be a template), never checked first.
func (a *Adapter) Capabilities() channel.Capabilities {
	return channel.Capabilities{Templates: true, Window: 24 * time.Hour, CreateByPhone: true, Receipts: true}
}

// call sends a request to the Graph API and decodes a 2xx JSON answer into out; any other
// answer becomes a classified *channel.Error.
func (a *Adapter) call(ctx context.Context, method, url, contentType string, body io.Reader, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, url, body)
	if err != nil {
		return channel.Permanent(channel.CodeRejected, "", err.Error())
	}
	req.Header.Set("Authorization", "Bearer "+a.Token)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := a.HTTP.Do(req)
	if err != nil {
		return channel.Classify(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return channel.Transient("read", err.Error(), 0)
	}
	if resp.StatusCode/100 != 2 {
		return graphError(resp.StatusCode, b, retryAfter(resp.Header))
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(b, out); err != nil {
		return channel.Permanent(channel.CodeRejected, "", "unreadable answer: "+err.Error())
	}
	return nil
}

func (a *Adapter) postJSON(ctx context.Context, path string, in, out any) error {
	b, err := json.Marshal(in)
	if err != nil {
		return err
	}
	return a.call(ctx, http.MethodPost, a.BaseURL+path, "application/json", bytes.NewReader(b), out)
}

func retryAfter(h http.Header) time.Duration {
	if s, err := strconv.Atoi(h.Get("Retry-After")); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	return 0
}

// Fetch downloads an inbound file: the media id resolves to a short-lived URL, which is read
// with the same bearer token.
func (a *Adapter) Fetch(ctx context.Context, mediaID string) (channel.Download, error) {
	var meta struct {
		URL      string `json:"url"`
		MIME     string `json:"mime_type"`
		FileSize int64  `json:"file_size"`
	}
	if err := a.call(ctx, http.MethodGet, a.BaseURL+"/"+mediaID, "", nil, &meta); err != nil {
		return channel.Download{}, err
	}
	if meta.FileSize > maxMedia {
		return channel.Download{}, channel.OverLimit(maxMedia)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, meta.URL, nil)
	if err != nil {
		return channel.Download{}, channel.Permanent(channel.CodeRejected, "", err.Error())
	}
	req.Header.Set("Authorization", "Bearer "+a.Token)
	resp, err := a.HTTP.Do(req)
	if err != nil {
		return channel.Download{}, channel.Classify(err)
	}
	if resp.StatusCode != http.StatusOK {
		defer resp.Body.Close()
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return channel.Download{}, graphError(resp.StatusCode, b, retryAfter(resp.Header))
	}
	return channel.Download{MIME: meta.MIME, Body: channel.Stream(resp.Body, maxMedia)}, nil
}
