package cli

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/url"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/sandbox/customers"
	"github.com/switchboardhq/switchboard/internal/sandbox/demo"
	"github.com/switchboardhq/switchboard/internal/sandbox/messengers"
	"github.com/switchboardhq/switchboard/internal/store"
)

// sandboxMessengers is the sandbox's messenger side: the WhatsApp and Telegram stand-ins and
// the customer simulator.
type sandboxMessengers struct {
	sb    *messengers.Sandbox
	sim   *customers.Simulator
	conns []hub.Connection // the sandbox's own connections, once boot made them
}

func newSandboxMessengers(st *store.Store, publicURL func() string, ch *channels) *sandboxMessengers {
	sb := messengers.New(st, publicURL)
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
	m.conns = conns
	m.sim.Use(ws, conns)
	if err := m.sb.Connect(ctx, st, ch.Adapters, conns); err != nil {
		// The hub works without them; the simulator's messages would not arrive, so say so.
		slog.Error("sandbox: messenger webhooks or templates not set up", "err", err)
	}
	return nil
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

// demo is sandbox step 3: the demo conversations (only what is missing), then the stand-ins
// are told about the conversations the hub has that they never saw (the demo history is
// written into the hub's database, not sent through them).
func (m *sandboxMessengers) demo(ctx context.Context, st *store.Store, ch *channels, ws hub.Workspace) error {
	if err := demo.Seed(ctx, st, ch.Media, ws); err != nil {
		return err
	}
	return m.sb.Remember(ctx, st, m.conns)
}
