package amocrm

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

const (
	// refreshAhead renews an access token this long before it expires.
	refreshAhead = 5 * time.Minute
	// claimWait is how long an instance waits for another one's refresh before taking over
	// (the other may have died between claiming and saving).
	claimWait = 20 * time.Second
)

// accessToken returns a usable access token for the workspace. stale is a token the CRM just
// refused (401), which must not be returned again; "" when none.
func (a *Adapter) accessToken(ctx context.Context, ws hub.Workspace, stale string) (string, error) {
	t, err := a.loadTokens(ctx, ws.ID)
	if err != nil {
		return "", err
	}
	if a.fresh(t, stale) {
		return t.AccessToken, nil
	}
	return a.refresh(ctx, ws, stale)
}

func (a *Adapter) loadTokens(ctx context.Context, workspaceID string) (store.CRMTokens, error) {
	t, err := a.store.LoadCRMTokens(ctx, workspaceID)
	if errors.Is(err, store.ErrNotFound) {
		return t, ErrNotInstalled
	}
	return t, err
}

func (a *Adapter) fresh(t store.CRMTokens, stale string) bool {
	return t.AccessToken != stale && a.now().Add(refreshAhead).Before(t.ExpiresAt)
}

// refresh renews the workspace's tokens. amoCRM refresh tokens are single use, so exactly one
// refresher may spend one: an in-process mutex orders this instance's goroutines, and across
// instances the token row's version is the lock — a refresher first claims it by re-saving
// the same tokens at version+1 (compare-and-swap), and only the instance whose claim succeeded
// calls the CRM. The others wait for the new tokens to appear.
func (a *Adapter) refresh(ctx context.Context, ws hub.Workspace, stale string) (string, error) {
	mu := a.accountLock(ws.ID)
	mu.Lock()
	defer mu.Unlock()
	for {
		t, err := a.loadTokens(ctx, ws.ID)
		if err != nil {
			return "", err
		}
		if a.fresh(t, stale) {
			return t.AccessToken, nil // refreshed by someone else while we waited
		}
		won, err := a.store.SaveCRMTokens(ctx, ws.ID, t, t.Version)
		if err != nil {
			return "", err
		}
		if won {
			return a.spendRefreshToken(ctx, ws, t)
		}
		// Another instance holds the claim: wait for its tokens, or take over if it went quiet.
		if nt, ok, err := a.awaitOther(ctx, ws.ID, t.AccessToken); err != nil || (ok && a.fresh(nt, stale)) {
			return nt.AccessToken, err
		}
	}
}

func (a *Adapter) spendRefreshToken(ctx context.Context, ws hub.Workspace, claimed store.CRMTokens) (string, error) {
	nt, err := a.refreshTokens(ctx, ws.CRMBaseURL, claimed.RefreshToken)
	if IsStatus(err, http.StatusUnauthorized) || IsStatus(err, http.StatusBadRequest) {
		slog.Error("amocrm: refresh token refused; the account must be reconnected", "workspace", ws.ID, "err", err)
		return "", fmt.Errorf("%w (%v)", ErrRevoked, err)
	}
	if err != nil {
		return "", err
	}
	// The new refresh token is the only valid one now: store it whatever happened meanwhile.
	if _, err := a.store.SaveCRMTokens(ctx, ws.ID, nt, 0); err != nil {
		return "", fmt.Errorf("amocrm: new tokens not saved (reconnect may be needed): %w", err)
	}
	return nt.AccessToken, nil
}

// awaitOther polls until the access token differs from old (ok) or claimWait passes (!ok).
func (a *Adapter) awaitOther(ctx context.Context, workspaceID, old string) (store.CRMTokens, bool, error) {
	deadline := time.Now().Add(claimWait)
	for time.Now().Before(deadline) {
		select {
		case <-ctx.Done():
			return store.CRMTokens{}, false, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		t, err := a.loadTokens(ctx, workspaceID)
		if err != nil || t.AccessToken != old {
			return t, err == nil, err
		}
	}
	return store.CRMTokens{}, false, nil
}
