package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/sandbox/customers"
	"github.com/switchboardhq/switchboard/internal/sandbox/messengers"
	"github.com/switchboardhq/switchboard/internal/store"
)

// demoAccountID is the sandbox CRM's demo account; its workspace is where the sandbox
// connections live.
const demoAccountID = 31415926

// sandboxMessengers is the sandbox's messenger side: the WhatsApp and Telegram stand-ins and
// the customer simulator.
type sandboxMessengers struct {
	sb  *messengers.Sandbox
	sim *customers.Simulator
}

func newSandboxMessengers(publicURL func() string, ch *channels) *sandboxMessengers {
	sb := messengers.New(publicURL)
	ch.Adapters.Catalog = messengers.Catalog
	return &sandboxMessengers{sb: sb, sim: customers.New(sb)}
}

func (m *sandboxMessengers) mount(mux *http.ServeMux) {
	m.sb.Mount(mux)
	m.sim.Mount(mux)
}

// boot is sandbox step 2 (after the CRM stand-in installed the demo account): the sandbox
// connections in the demo workspace, their webhooks and templates. Idempotent.
func (m *sandboxMessengers) boot(ctx context.Context, st *store.Store, ch *channels, ws hub.Workspace) error {
	conns, err := m.sb.Setup(ctx, st, ws)
	if err != nil {
		return err
	}
	m.sim.Use(ws, conns)
	if err := m.sb.Connect(ctx, st, ch.Adapters, conns); err != nil {
		// The hub works without them; the simulator's messages would not arrive, so say so.
		slog.Error("sandbox: messenger webhooks or templates not set up", "err", err)
	}
	return nil
}

// demoWorkspace finds the demo workspace the CRM stand-in's install made (step 1). Until that
// step is wired, it creates the workspace of the demo account the way the install does
// (CreateWorkspace is idempotent by CRM account, so the install later finds this one).
func demoWorkspace(ctx context.Context, st *store.Store) (hub.Workspace, error) {
	ws, err := st.WorkspaceByCRM(ctx, "amocrm", demoAccountID)
	if !errors.Is(err, store.ErrNotFound) {
		return ws, err
	}
	slog.Warn("sandbox: the demo CRM account is not installed yet; creating its workspace for the messenger connections")
	ws, err = st.CreateWorkspace(ctx, hub.Workspace{Name: "Demo", CRMKind: "amocrm", CRMAccountID: demoAccountID,
		Country: "RU", Subscription: hub.Subscription{Active: true, Paid: true, TemplatesPaid: true}})
	if err != nil {
		return ws, fmt.Errorf("sandbox: demo workspace: %w", err)
	}
	return ws, nil
}

// listenerURL replaces a public URL's port 0 (serve --addr 127.0.0.1:0, as tests do) with the
// port the listener actually got, so webhooks and stand-ins reach the hub.
func listenerURL(public string, ln net.Listener) string {
	u, err := url.Parse(public)
	if err != nil || u.Port() != "0" {
		return public
	}
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	u.Host = net.JoinHostPort(u.Hostname(), port)
	slog.Debug("public URL follows the listener", "url", u.String())
	return u.String()
}
