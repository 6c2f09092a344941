package amocrm

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/switchboardhq/switchboard/internal/hub"
)

// hookEvents are the CRM events that can change who may see what.
var hookEvents = []string{"add_lead", "update_lead", "responsible_lead", "delete_lead",
	"add_contact", "update_contact", "responsible_contact", "delete_contact"}

// Install completes an OAuth install: it exchanges the authorization code at the account named
// by referer, reads the account, creates (or finds) its workspace, stores the tokens and
// subscribes to the CRM's webhooks. It returns the workspace and the CRM user who installed
// (the account's current user). Installing an account again reuses its workspace and replaces
// the tokens; only a new workspace gets the trial subscription. The caller runs Sync afterwards.
func (a *Adapter) Install(ctx context.Context, code, referer string) (ws hub.Workspace, installer int64, err error) {
	if err := a.cfg.Validate(); err != nil {
		return hub.Workspace{}, 0, err
	}
	if code == "" {
		return hub.Workspace{}, 0, fmt.Errorf("amocrm: install without an authorization code")
	}
	base, err := a.cfg.BaseURL(referer)
	if err != nil {
		return hub.Workspace{}, 0, err
	}
	tokens, err := a.exchangeCode(ctx, base, code)
	if err != nil {
		return hub.Workspace{}, 0, fmt.Errorf("amocrm: exchange authorization code: %w", err)
	}
	res, err := a.send(ctx, base, tokens.AccessToken, http.MethodGet, "/api/v4/account", nil)
	if err != nil {
		return hub.Workspace{}, 0, err
	}
	var acc Account
	if err := decode(res, &acc); err != nil {
		return hub.Workspace{}, 0, fmt.Errorf("amocrm: read account: %w", err)
	}
	ws, err = a.store.CreateWorkspace(ctx, hub.Workspace{Name: acc.Name, CRMKind: CRMKind, CRMAccountID: acc.ID,
		CRMBaseURL: base, Country: strings.ToUpper(acc.Country), Subscription: hub.Trial(a.now(), a.cfg.TrialDays)})
	if err != nil {
		return hub.Workspace{}, 0, err
	}
	if ws.CRMBaseURL != base || ws.Name != acc.Name {
		ws.CRMBaseURL, ws.Name = base, acc.Name // the account moved domain or was renamed
		if err := a.store.UpdateWorkspace(ctx, ws); err != nil {
			return hub.Workspace{}, 0, err
		}
	}
	if _, err := a.store.SaveCRMTokens(ctx, ws.ID, tokens, 0); err != nil {
		return hub.Workspace{}, 0, err
	}
	if err := a.subscribeHooks(ctx, ws); err != nil {
		// The hub still works without webhooks (rights refresh on open and every few minutes).
		slog.Warn("amocrm: webhooks not subscribed", "workspace", ws.ID, "err", err)
	}
	if a.Installed != nil {
		a.Installed(ctx, ws)
	}
	return ws, acc.CurrentUserID, nil
}

func (a *Adapter) subscribeHooks(ctx context.Context, ws hub.Workspace) error {
	if a.cfg.HookBaseURL == "" {
		return fmt.Errorf("no public URL for webhooks")
	}
	body := map[string]any{"destination": a.HookURL(ws.CRMAccountID), "settings": hookEvents}
	return a.call(ctx, ws, http.MethodPost, "/api/v4/webhooks", body, nil)
}

// HookURL is where the CRM sends an account's webhooks. The secret in it is derived from the
// client secret and the account id, so the hub can check it without storing it.
func (a *Adapter) HookURL(accountID int64) string {
	return strings.TrimSuffix(a.cfg.HookBaseURL, "/") + "/amocrm/hooks/" + a.hookSecret(accountID)
}

func (a *Adapter) hookSecret(accountID int64) string {
	return a.mac("hook:" + strconv.FormatInt(accountID, 10))[:32]
}

func (a *Adapter) mac(s string) string {
	m := hmac.New(sha256.New, []byte(a.cfg.ClientSecret))
	m.Write([]byte(s))
	return hex.EncodeToString(m.Sum(nil))
}
