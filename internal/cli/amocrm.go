package cli

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/switchboardhq/switchboard/internal/cabinet"
	"github.com/switchboardhq/switchboard/internal/config"
	"github.com/switchboardhq/switchboard/internal/crm/amocrm"
	"github.com/switchboardhq/switchboard/internal/crmsync"
	"github.com/switchboardhq/switchboard/internal/httpapi"
	"github.com/switchboardhq/switchboard/internal/store"
	"github.com/switchboardhq/switchboard/internal/widget"
)

// amoCRM is the amoCRM integration of one serve: the adapter, nil when not configured.
type amoCRM struct {
	adapter *amocrm.Adapter
}

// newAmoCRM builds the adapter from the configuration; standIn, when set, is a CRM standing in
// for amoCRM (the sandbox's), whose address an install may name as its referer.
func newAmoCRM(cfg config.Config, st *store.Store, standIn string) (amoCRM, error) {
	ac := amocrm.Config{ClientID: cfg.AmoCRMClientID, ClientSecret: cfg.AmoCRMClientSecret, RedirectURI: cfg.AmoCRMRedirectURI(),
		HookBaseURL: cfg.PublicURL, TrialDays: cfg.TrialDays, StandInBaseURL: standIn}
	var p amoCRM
	if err := ac.Validate(); err != nil {
		slog.Warn("amoCRM integration not configured: set SWITCHBOARD_AMOCRM_CLIENT_ID and SWITCHBOARD_AMOCRM_CLIENT_SECRET",
			"err", err)
		return p, nil
	}
	p.adapter = amocrm.New(ac, st, nil)
	return p, nil
}

// wire gives the HTTP surface and the cabinet the adapter (its install, sessions, chat-side
// refreshes and the sync runner). A sync still running at shutdown is abandoned (the next one
// starts over).
func (p amoCRM) wire(cfg config.Config, st *store.Store, api *httpapi.Server, cab *cabinet.API) {
	api.Extra = append(api.Extra, func(mux *http.ServeMux) { amocrm.Mount(mux, p.adapter, cab) })
	if p.adapter == nil {
		return
	}
	api.Sessions, api.CRM, api.Messaging.CRM, api.PublicURL = p.adapter, p.adapter, p.adapter, cfg.PublicURL
	runner := crmsync.New(p.adapter, st, fullSyncTimeout)
	cab.Sync, cab.ClientID, cab.AuthorizeURL = runner, p.adapter.Config().ClientID, cfg.AmoCRMAuthorizeURL
	cab.Widget = widget.Pack
}

// fullSyncTimeout bounds one full CRM sync (large accounts at 6 requests per second).
const fullSyncTimeout = time.Hour
