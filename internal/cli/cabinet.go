package cli

import (
	"github.com/switchboardhq/switchboard/internal/auth"
	"github.com/switchboardhq/switchboard/internal/cabinet"
	"github.com/switchboardhq/switchboard/internal/config"
	"github.com/switchboardhq/switchboard/internal/connections"
	"github.com/switchboardhq/switchboard/internal/connsetup"
	"github.com/switchboardhq/switchboard/internal/store"
)

// newCabinet configures the web cabinet's API. Parts not built yet stay nil, and the cabinet
// names them in its errors.
func newCabinet(cfg config.Config, st *store.Store) *cabinet.API {
	c := &cabinet.API{
		Store:       st,
		Signer:      auth.NewSignerFor(cfg.SecretKey, "cabinet"),
		Handoff:     auth.NewSignerFor(cfg.SecretKey, "cabinet handoff"),
		PublicURL:   cfg.PublicURL,
		Connections: &connections.Service{Store: st, Setup: &connsetup.Setup{}, PublicURL: cfg.PublicURL},
	}
	return c
}
