package amocrm

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
)

// maxRateRetries bounds how often one call waits out a 429.
const maxRateRetries = 3

type backgroundKey struct{}

// Background marks the CRM calls made with ctx as background work (a sync, a webhook's re-read,
// the chats mirror): under the account's rate limit they go after any call someone is waiting
// for (a card opening, a chat being created), however long they have queued.
func Background(ctx context.Context) context.Context {
	return context.WithValue(ctx, backgroundKey{}, true)
}

// call sends one API request for the workspace and decodes the JSON answer into out (nil:
// discard it). It waits for the account's rate limiter, refreshes the token once on 401, and
// waits out 429 (Retry-After, else a second). A 204 leaves out untouched.
func (a *Adapter) call(ctx context.Context, ws hub.Workspace, method, path string, body, out any) error {
	stale := ""
	for attempt := 0; ; attempt++ {
		token, err := a.accessToken(ctx, ws, stale)
		if err != nil {
			return err
		}
		if err := a.limiter(ws.ID).wait(ctx, ctx.Value(backgroundKey{}) != nil); err != nil {
			return err
		}
		res, err := a.send(ctx, ws.CRMBaseURL, token, method, path, body)
		if err != nil {
			return err
		}
		switch {
		case res.StatusCode == http.StatusUnauthorized && stale == "":
			res.Body.Close()
			stale = token
			continue
		case res.StatusCode == http.StatusTooManyRequests && attempt < maxRateRetries:
			res.Body.Close()
			if err := sleep(ctx, retryAfter(res.Header.Get("Retry-After"))); err != nil {
				return err
			}
			continue
		}
		return decode(res, out)
	}
}

// send makes one HTTP request with a bearer token.
func (a *Adapter) send(ctx context.Context, baseURL, token, method, path string, body any) (*http.Response, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimSuffix(baseURL, "/")+path, rd)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/hal+json, application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := a.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("amocrm: %s %s: %w", method, path, err)
	}
	return res, nil
}

func decode(res *http.Response, out any) error {
	defer res.Body.Close()
	if res.StatusCode/100 != 2 {
		return readAPIError(res)
	}
	if out == nil || res.StatusCode == http.StatusNoContent {
		return nil
	}
	if err := json.NewDecoder(res.Body).Decode(out); err != nil && err != io.EOF {
		return fmt.Errorf("amocrm: response: %w", err)
	}
	return nil
}

func retryAfter(h string) time.Duration {
	if s, err := strconv.Atoi(strings.TrimSpace(h)); err == nil && s > 0 && s <= 60 {
		return time.Duration(s) * time.Second
	}
	return time.Second
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
