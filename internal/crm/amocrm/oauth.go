package amocrm

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/switchboardhq/switchboard/internal/store"
)

type tokenResponse struct {
	TokenType    string `json:"token_type"`
	ExpiresIn    int64  `json:"expires_in"`
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
}

// exchangeCode trades an install's authorization code for the account's tokens.
func (a *Adapter) exchangeCode(ctx context.Context, baseURL, code string) (store.CRMTokens, error) {
	return a.tokenRequest(ctx, baseURL, map[string]string{"grant_type": "authorization_code", "code": code})
}

// refreshTokens spends a refresh token (single use: the CRM revokes it at once) for new tokens.
func (a *Adapter) refreshTokens(ctx context.Context, baseURL, refreshToken string) (store.CRMTokens, error) {
	return a.tokenRequest(ctx, baseURL, map[string]string{"grant_type": "refresh_token", "refresh_token": refreshToken})
}

func (a *Adapter) tokenRequest(ctx context.Context, baseURL string, grant map[string]string) (store.CRMTokens, error) {
	grant["client_id"], grant["client_secret"], grant["redirect_uri"] = a.cfg.ClientID, a.cfg.ClientSecret, a.cfg.RedirectURI
	body, _ := json.Marshal(grant)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSuffix(baseURL, "/")+"/oauth2/access_token",
		bytes.NewReader(body))
	if err != nil {
		return store.CRMTokens{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := a.http.Do(req)
	if err != nil {
		return store.CRMTokens{}, fmt.Errorf("amocrm: token request: %w", err)
	}
	defer res.Body.Close()
	if res.StatusCode/100 != 2 {
		return store.CRMTokens{}, readAPIError(res)
	}
	var t tokenResponse
	if err := json.NewDecoder(res.Body).Decode(&t); err != nil {
		return store.CRMTokens{}, fmt.Errorf("amocrm: token response: %w", err)
	}
	if t.AccessToken == "" || t.RefreshToken == "" || t.ExpiresIn <= 0 {
		return store.CRMTokens{}, fmt.Errorf("amocrm: token response without tokens")
	}
	return store.CRMTokens{AccessToken: t.AccessToken, RefreshToken: t.RefreshToken,
		ExpiresAt: a.now().Add(time.Duration(t.ExpiresIn) * time.Second)}, nil
}
