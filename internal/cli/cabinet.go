package cli

import (
	"context"
	"log/slog"
	"strings"

	"github.com/switchboardhq/switchboard/internal/auth"
	"github.com/switchboardhq/switchboard/internal/cabinet"
	"github.com/switchboardhq/switchboard/internal/config"
	"github.com/switchboardhq/switchboard/internal/connections"
	"github.com/switchboardhq/switchboard/internal/connsetup"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/sandbox/console"
	"github.com/switchboardhq/switchboard/internal/sandbox/messengers"
	"github.com/switchboardhq/switchboard/internal/store"
)

// Sandbox addresses of the messenger stand-ins (ARCHITECTURE.md §4), stored on connections the
// cabinet adds in sandbox mode so they talk to the stand-ins through the real adapters.
const (
	sandboxGraphPath    = "/sandbox/graph/v21.0"
	sandboxTelegramPath = "/sandbox/telegram"
	sandboxMaxPath      = "/sandbox/max"
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
	if cfg.Sandbox {
		c.Connections.WABABaseURL = cfg.PublicURL + sandboxGraphPath
		c.Connections.Setup = &connsetup.Setup{TelegramBaseURL: cfg.PublicURL + sandboxTelegramPath,
			MaxBaseURL: cfg.PublicURL + sandboxMaxPath}
	}
	return c
}

// sandboxCabinet joins the cabinet to the sandbox: the provider console where an admin makes
// numbers and bots for a new workspace, and the customer simulator, which learns of every
// connection the cabinet adds. It returns the console's mount.
func sandboxCabinet(cab *cabinet.API, m *sandboxMessengers) *console.Console {
	cons := console.New(m.sb.Graph, m.sb.BotAPI, m.sb.MaxAPI)
	cab.Connections.Added = m.sim.Add
	cab.ProviderConsole = "/sandbox/console/"
	return cons
}

// restoreSandboxConnections is a sandbox boot step after the demo's: connections admins added
// in the cabinet (other workspaces than the demo) that talk to the stand-ins are pointed at the
// hub's current address (the port may have changed), told to the stand-ins again (they forget
// everything on restart, bots' webhooks included) and offered in the simulator.
func restoreSandboxConnections(ctx context.Context, st *store.Store, cfg config.Config, cab *cabinet.API,
	cons *console.Console, demo hub.Workspace) error {
	all, err := st.Workspaces(ctx)
	if err != nil {
		return err
	}
	for _, ws := range all {
		if ws.ID == demo.ID {
			continue
		}
		conns, err := st.Connections(ctx, ws.ID)
		if err != nil {
			return err
		}
		var ours []hub.Connection
		for _, c := range conns {
			if c, ok, err := pointAtSandbox(ctx, st, cfg.PublicURL, c); err != nil {
				return err
			} else if ok {
				ours = append(ours, c)
			}
		}
		cons.Restore(cfg.PublicURL, ours)
		for _, c := range ours {
			if err := cab.Connections.Setup.RegisterWebhook(ctx, c, cfg.PublicURL+hookPath(c)); err != nil {
				slog.Error("sandbox: bot webhook not restored", "connection", c.ID, "err", err)
			}
			cab.Connections.Added(c)
		}
	}
	return nil
}

// hookPath is where a bot's updates come in (a WABA number's webhook is Meta's to call).
func hookPath(c hub.Connection) string {
	if c.Kind == hub.KindMaxBot {
		return "/hooks/max/" + c.ID
	}
	return "/hooks/telegram/" + c.ID
}

// pointAtSandbox reports whether c talks to a sandbox stand-in and, if so, returns it with its
// base URL on the hub's current address (saved when it moved), unless another instance that is
// up serves it (messengers.ServedElsewhere).
func pointAtSandbox(ctx context.Context, st *store.Store, publicURL string, c hub.Connection) (hub.Connection, bool, error) {
	base := c.Settings["base_url"]
	for _, path := range []string{sandboxGraphPath, sandboxTelegramPath, sandboxMaxPath} {
		if !strings.HasSuffix(base, path) {
			continue
		}
		if base != publicURL+path && !messengers.ServedElsewhere(ctx, base) {
			c.Settings["base_url"] = publicURL + path
			if err := st.UpdateConnection(ctx, c); err != nil {
				return c, false, err
			}
		}
		return c, true, nil
	}
	return c, false, nil
}
