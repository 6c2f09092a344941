package boot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/switchboardhq/switchboard/internal/crm/amocrm"
	"github.com/switchboardhq/switchboard/internal/hub"
	sandboxamo "github.com/switchboardhq/switchboard/internal/sandbox/amocrm"
	"github.com/switchboardhq/switchboard/internal/sandbox/demo"
	"github.com/switchboardhq/switchboard/internal/sandbox/messengers"
	"github.com/switchboardhq/switchboard/internal/store"
)

// Boot sets the demo up once the hub listens (the stand-ins talk to it over HTTP), in this
// order: (1) the sandbox CRM's demo install, (2) the demo workspace's messenger connections,
// (3) connections admins added in the cabinet, told to the stand-ins again, (4) the demo
// conversations, (5) amoCRM's own chats. Under a lock, so instances starting together on one
// database set the demo up once.
func (s *Sandbox) Boot(ctx context.Context) error {
	if s == nil {
		return nil
	}
	st := s.parts.Store
	return st.Exclusive(ctx, "sandbox-boot", func(ctx context.Context) error {
		ws, err := s.installDemo(ctx)
		if err != nil {
			return err
		}
		if err := s.connectMessengers(ctx, ws); err != nil {
			return fmt.Errorf("sandbox messengers: %w", err)
		}
		if err := s.restoreConnections(ctx, ws); err != nil {
			return fmt.Errorf("sandbox connections added in the cabinet: %w", err)
		}
		if err := demo.Seed(ctx, st, s.parts.Media, ws); err != nil {
			return fmt.Errorf("sandbox demo data: %w", err)
		}
		// The stand-ins are told about the conversations they did not carry (the demo
		// history is written straight into the database).
		if err := s.msgs.Remember(ctx, st, s.conns); err != nil {
			return fmt.Errorf("sandbox demo data: %w", err)
		}
		// After the demo history, which is not mirrored.
		if err := s.enableMirror(ctx, ws.ID); err != nil {
			return fmt.Errorf("sandbox amoCRM chats: %w", err)
		}
		return nil
	})
}

// installDemo is step 1: the sandbox CRM's `demo` account is installed through the real OAuth
// flow — the CRM issues a code as if its admin clicked "Allow", the hub's /amocrm/oauth
// callback exchanges it over HTTP — then synced, so the next steps find the CRM's users,
// contacts and deals cached. An installed demo whose tokens work is left as it is.
func (s *Sandbox) installDemo(ctx context.Context) (hub.Workspace, error) {
	st, adapter := s.parts.Store, s.parts.AmoCRM
	if adapter == nil {
		return hub.Workspace{}, fmt.Errorf("sandbox: the amoCRM integration is not configured")
	}
	if ws, err := st.WorkspaceByCRM(ctx, amocrm.CRMKind, sandboxamo.DemoAccountID); err == nil {
		// Installed before: keep it if its tokens still work (the sandbox CRM's own data file
		// may have been deleted while the database stayed, which makes them unknown to it).
		_, err := adapter.Account(ctx, ws)
		if err == nil {
			return ws, nil
		}
		slog.Warn("sandbox: the demo CRM account must be installed again", "err", err)
	}
	code, referer, err := s.crm.IssueCode("demo")
	if err != nil {
		return hub.Workspace{}, err
	}
	q := url.Values{"code": {code}, "referer": {referer}, "from_widget": {"1"}}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.cfg.AmoCRMRedirectURI()+"?"+q.Encode(), nil)
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
	if err := adapter.Sync(ctx, ws); err != nil {
		return ws, fmt.Errorf("sandbox: sync the demo CRM account: %w", err)
	}
	slog.Info("sandbox: demo CRM account installed", "workspace", ws.ID)
	return ws, nil
}

// connectMessengers is step 2: the sandbox connections in the demo workspace, their webhooks
// and templates. Idempotent.
func (s *Sandbox) connectMessengers(ctx context.Context, ws hub.Workspace) error {
	st := s.parts.Store
	conns, err := s.msgs.Setup(ctx, st, ws)
	if err != nil {
		return err
	}
	s.conns = conns
	s.sim.Use(ws, conns)
	if err := s.msgs.Connect(ctx, st, s.parts.Adapters, conns); err != nil {
		// The hub works without them; the simulator's messages would not arrive, so say so.
		slog.Error("sandbox: messenger webhooks or templates not set up", "err", err)
	}
	return nil
}

// restoreConnections is step 3: connections admins added in the cabinet (other workspaces than
// the demo) that talk to the stand-ins are pointed at the hub's current address (the port may
// have changed) unless another instance that is up serves them, told to the stand-ins again
// with their webhooks on the hub serving them (a second instance leaves them with the first),
// and offered in the simulator.
func (s *Sandbox) restoreConnections(ctx context.Context, demo hub.Workspace) error {
	st, svc, pub := s.parts.Store, s.parts.Cabinet.Connections, s.cfg.PublicURL
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
			if c, ok, err := pointAtSandbox(ctx, st, pub, c); err != nil {
				return err
			} else if ok {
				ours = append(ours, c)
			}
		}
		s.cons.Restore(ours)
		for _, c := range ours {
			hook := messengers.HubOf(c) + strings.TrimPrefix(svc.WebhookURL(c), svc.PublicURL)
			if err := svc.Setup.RegisterWebhook(ctx, c, hook); err != nil {
				slog.Error("sandbox: bot webhook not restored", "connection", c.ID, "err", err)
			}
			svc.Added(c)
		}
	}
	return nil
}

// pointAtSandbox reports whether c talks to a sandbox stand-in and, if so, returns it with its
// base URL on the hub's current address (saved when it moved), unless another instance that is
// up serves it (messengers.ServedElsewhere).
func pointAtSandbox(ctx context.Context, st *store.Store, publicURL string, c hub.Connection) (hub.Connection, bool, error) {
	base := c.Settings["base_url"]
	for _, path := range []string{graphPath, telegramPath, maxPath} {
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

// enableMirror is step 5: the demo workspace's mirror into amoCRM's own chats is switched on at
// its first start, so the sandbox shows them working; a later switch-off in the cabinet is kept.
func (s *Sandbox) enableMirror(ctx context.Context, workspaceID string) error {
	m, st := s.parts.Mirror, s.parts.Store
	if m == nil {
		return nil
	}
	if _, err := st.AmojoAccount(ctx, workspaceID); !errors.Is(err, store.ErrNotFound) {
		return err
	}
	ws, err := st.Workspace(ctx, workspaceID)
	if err != nil {
		return err
	}
	_, err = m.SetEnabled(ctx, ws, true)
	return err
}
