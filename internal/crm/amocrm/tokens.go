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

// refreshAhead renews an access token this long before it expires.
const refreshAhead = 5 * time.Minute

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
// instances a lease on the token row does — the instance whose claim succeeded calls the CRM,
// the others look again every poll until its new tokens appear, or until its lease runs out
// (it died mid-refresh) and one of them may claim in its place.
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
		if now := a.now(); t.RefreshOwner == "" || !now.Before(t.RefreshLeaseUntil) {
			won, err := a.store.ClaimCRMRefresh(ctx, ws.ID, a.owner, t.Version, now, now.Add(a.lease))
			if err != nil {
				return "", err
			}
			if won {
				return a.spendRefreshToken(ctx, ws, t)
			}
		}
		if err := a.wait(ctx, a.poll); err != nil {
			return "", err
		}
	}
}

// spendRefreshToken trades the claimed refresh token for new tokens and saves them, which ends
// the lease; a failed refresh ends it too, so another instance need not wait it out.
func (a *Adapter) spendRefreshToken(ctx context.Context, ws hub.Workspace, claimed store.CRMTokens) (string, error) {
	// The CRM revokes the refresh token as soon as the request reaches it, so the caller going
	// away must not drop the answer; the call still ends well within the lease.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), a.lease/2)
	defer cancel()
	nt, err := a.refreshTokens(ctx, ws.CRMBaseURL, claimed.RefreshToken)
	if err != nil {
		if rerr := a.store.ReleaseCRMRefresh(ctx, ws.ID, a.owner); rerr != nil {
			slog.Warn("amocrm: refresh lease not released; others wait for it to run out", "workspace", ws.ID, "err", rerr)
		}
	}
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

// wait pauses for d on the adapter's clock, or until ctx ends.
func (a *Adapter) wait(ctx context.Context, d time.Duration) error {
	t := a.clock.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.Chan():
		return nil
	}
}
