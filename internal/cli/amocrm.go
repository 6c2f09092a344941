package cli

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"path/filepath"
	"time"

	"github.com/switchboardhq/switchboard/internal/cabinet"
	"github.com/switchboardhq/switchboard/internal/config"
	"github.com/switchboardhq/switchboard/internal/crm/amocrm"
	"github.com/switchboardhq/switchboard/internal/crmsync"
	"github.com/switchboardhq/switchboard/internal/httpapi"
	"github.com/switchboardhq/switchboard/internal/hub"
	sandboxamo "github.com/switchboardhq/switchboard/internal/sandbox/amocrm"
	"github.com/switchboardhq/switchboard/internal/store"
	"github.com/switchboardhq/switchboard/internal/widget"
)

// amoCRM is the amoCRM integration of one serve: the adapter (nil when not configured) and,
// in sandbox mode, the sandbox CRM.
type amoCRM struct {
	adapter *amocrm.Adapter
	sandbox *sandboxamo.Server
}

// newAmoCRM builds the adapter from the configuration. In sandbox mode the integration's
// client id and secret default to ones derived from the secret key, which the sandbox CRM
// shares, and the sandbox CRM's address is accepted as an install's referer.
func newAmoCRM(cfg config.Config, st *store.Store) (amoCRM, error) {
	id, secret := cfg.AmoCRMClientID, cfg.AmoCRMClientSecret
	if cfg.Sandbox && id == "" && secret == "" {
		id, secret = sandboxamo.Credentials(cfg.SecretKey)
	}
	ac := amocrm.Config{ClientID: id, ClientSecret: secret, RedirectURI: cfg.AmoCRMRedirectURI(), HookBaseURL: cfg.PublicURL,
		TrialDays: cfg.TrialDays}
	var p amoCRM
	if cfg.Sandbox {
		ac.StandInBaseURL = cfg.PublicURL + sandboxamo.Prefix
		sb, err := sandboxamo.New(sandboxamo.Options{PublicURL: cfg.PublicURL, ClientID: id, ClientSecret: secret,
			RedirectURI: ac.RedirectURI, Store: st, ImportPath: filepath.Join(cfg.DataDir, "sandbox-amocrm.json")})
		if err != nil {
			return p, err
		}
		p.sandbox = sb
	}
	if err := ac.Validate(); err != nil {
		slog.Warn("amoCRM integration not configured: set SWITCHBOARD_AMOCRM_CLIENT_ID and SWITCHBOARD_AMOCRM_CLIENT_SECRET",
			"err", err)
		return p, nil
	}
	p.adapter = amocrm.New(ac, st, nil)
	return p, nil
}

// wire gives the HTTP surface and the cabinet the adapter (its install, sessions, chat-side
// refreshes and the sync runner), and mounts the sandbox CRM's pages (sandbox mode). A sync
// still running at shutdown is abandoned (the next one starts over).
func (p amoCRM) wire(cfg config.Config, st *store.Store, api *httpapi.Server, cab *cabinet.API) {
	if p.sandbox != nil {
		api.Extra = append(api.Extra, p.sandbox.Mount)
	}
	api.Extra = append(api.Extra, func(mux *http.ServeMux) { amocrm.Mount(mux, p.adapter, cab) })
	if p.adapter == nil {
		return
	}
	api.Sessions, api.CRM, api.Messaging.CRM, api.PublicURL = p.adapter, p.adapter, p.adapter, cfg.PublicURL
	runner := crmsync.New(p.adapter, st, fullSyncTimeout)
	cab.Sync, cab.ClientID, cab.AuthorizeURL = runner, p.adapter.Config().ClientID, cfg.AmoCRMAuthorizeURL
	cab.Widget = widget.Pack
	if p.sandbox != nil {
		cab.AuthorizeURL = p.sandbox.BaseURL() + "/oauth"
	}
}

// fullSyncTimeout bounds one full CRM sync (large accounts at 6 requests per second).
const fullSyncTimeout = time.Hour

// installSandboxDemo is sandbox boot step 1: the sandbox CRM's `demo` account is installed
// through the real OAuth flow — the CRM issues a code as if its admin clicked "Allow", the hub's
// /amocrm/oauth callback exchanges it over HTTP — then synced, so the next steps find the CRM's
// users, contacts and deals cached. An installed demo whose tokens work is left as it is.
func installSandboxDemo(ctx context.Context, cfg config.Config, st *store.Store, p amoCRM) (hub.Workspace, error) {
	if p.adapter == nil || p.sandbox == nil {
		return hub.Workspace{}, fmt.Errorf("sandbox: the amoCRM integration is not configured")
	}
	if ws, err := st.WorkspaceByCRM(ctx, amocrm.CRMKind, sandboxamo.DemoAccountID); err == nil {
		// Installed before: keep it if its tokens still work (the sandbox CRM's own data file
		// may have been deleted while the database stayed, which makes them unknown to it).
		_, err := p.adapter.Account(ctx, ws)
		if err == nil {
			return ws, nil
		}
		slog.Warn("sandbox: the demo CRM account must be installed again", "err", err)
	}
	code, referer, err := p.sandbox.IssueCode("demo")
	if err != nil {
		return hub.Workspace{}, err
	}
	q := url.Values{"code": {code}, "referer": {referer}, "from_widget": {"1"}}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, cfg.AmoCRMRedirectURI()+"?"+q.Encode(), nil)
	if err != nil {
		return hub.Workspace{}, err
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return hub.Workspace{}, fmt.Errorf("sandbox: install the demo CRM account: %w", err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return hub.Workspace{}, fmt.Errorf("sandbox: install the demo CRM account: the callback answered %s", res.Status)
	}
	ws, err := st.WorkspaceByCRM(ctx, amocrm.CRMKind, sandboxamo.DemoAccountID)
	if err != nil {
		return ws, fmt.Errorf("sandbox: demo workspace after install: %w", err)
	}
	if err := st.SetSubscription(ctx, ws.ID, hub.Subscription{Active: true, Paid: true, TemplatesPaid: true}); err != nil {
		return ws, err
	}
	if err := p.adapter.Sync(ctx, ws); err != nil {
		return ws, fmt.Errorf("sandbox: sync the demo CRM account: %w", err)
	}
	slog.Info("sandbox: demo CRM account installed", "workspace", ws.ID)
	return ws, nil
}
