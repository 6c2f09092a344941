package cli

import (
	"github.com/switchboardhq/switchboard/internal/auth"
	"github.com/switchboardhq/switchboard/internal/config"
	"github.com/switchboardhq/switchboard/internal/connsetup"
	"github.com/switchboardhq/switchboard/internal/httpapi"
)

// Sandbox addresses of the messenger stand-ins (ARCHITECTURE.md §4), stored on connections the
// cabinet adds in sandbox mode so they talk to the stand-ins through the real adapters.
const (
	sandboxGraphPath    = "/sandbox/graph/v21.0"
	sandboxTelegramPath = "/sandbox/telegram"
)

// newCabinet configures the web cabinet's API. Parts not built yet stay nil, and the cabinet
// names them in its errors.
func newCabinet(cfg config.Config) *httpapi.Cabinet {
	c := &httpapi.Cabinet{
		Signer:    auth.NewSignerFor(cfg.SecretKey, "cabinet"),
		Handoff:   auth.NewSignerFor(cfg.SecretKey, "cabinet handoff"),
		PublicURL: cfg.PublicURL,
		Channels:  &connsetup.Setup{},
	}
	if cfg.Sandbox {
		c.WABABaseURL = cfg.PublicURL + sandboxGraphPath
		c.Channels = &connsetup.Setup{TelegramBaseURL: cfg.PublicURL + sandboxTelegramPath}
	}
	return c
}
