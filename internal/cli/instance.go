package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/switchboardhq/switchboard/internal/auth"
	"github.com/switchboardhq/switchboard/internal/config"
	"github.com/switchboardhq/switchboard/internal/crmlink"
	"github.com/switchboardhq/switchboard/internal/httpapi"
	"github.com/switchboardhq/switchboard/internal/messaging"
	"github.com/switchboardhq/switchboard/internal/sandbox/console"
	"github.com/switchboardhq/switchboard/internal/sandbox/start"
	"github.com/switchboardhq/switchboard/internal/store"
)

// Instance is one running hub: its store, its background work and its HTTP server on a
// listener. `serve` runs one until a signal; the browser tests (internal/e2e) start the very
// same thing in-process, so every wiring step belongs in Start, not in serve.
type Instance struct {
	Config config.Config
	Store  *store.Store
	srv    *http.Server
	errc   chan error
	// stops run in reverse order on Close, after the server has stopped.
	stops []func()
}

// Start opens and migrates the store, wires the channels, the events and the HTTP surface, and
// serves on ln (which it owns from then on). Close releases everything. Sandbox boot steps go
// here, in the order below, after the server listens (the stand-ins talk to the hub
// over HTTP).
func Start(ctx context.Context, cfg config.Config, ln net.Listener) (h *Instance, err error) {
	h = &Instance{Config: cfg, errc: make(chan error, 1)}
	self := h // error returns set h to nil; the cleanup and the server goroutine keep this one
	defer func() {
		if err != nil {
			if self.srv != nil {
				self.srv.Close()
			}
			ln.Close()
			self.stop()
		}
	}()
	if h.Store, err = openStoreConfig(ctx, &h.Config); err != nil {
		return nil, err
	}
	h.Config.PublicURL = listenerURL(h.Config.PublicURL, ln)
	cfg = h.Config
	h.stops = append(h.stops, func() { self.Store.Close() })
	st := h.Store

	ch, err := newChannels(cfg, st)
	if err != nil {
		return nil, err
	}
	fanout, stopEvents, err := startEvents(cfg, st)
	if err != nil {
		return nil, err
	}
	h.stops = append(h.stops, stopEvents)
	// Requests live on connCtx. It is not the caller's context, so Shutdown lets requests in
	// flight finish; it ends after Shutdown, closing the WebSockets, which Shutdown does not
	// track once they are hijacked.
	connCtx, closeConns := context.WithCancel(context.Background())
	h.stops = append(h.stops, closeConns)
	mounts := append(webMounts(cfg), ch.mount)
	var messengersSandbox *sandboxMessengers
	var providerConsole *console.Console
	cab := newCabinet(cfg, st)
	if cfg.Sandbox {
		messengersSandbox = newSandboxMessengers(st, func() string { return cfg.PublicURL }, ch)
		providerConsole = sandboxCabinet(cab, messengersSandbox)
		mounts = append(mounts, messengersSandbox.mount, providerConsole.Mount, start.Mount)
	}

	api := &httpapi.Server{DB: st, Store: st, Signer: auth.NewSigner(cfg.SecretKey), Registry: prometheus.NewRegistry(),
		Media: ch.Media, Messaging: &messaging.Service{Store: st, Wake: ch.WakeSender},
		Extra: mounts, Events: fanout, SocketContext: connCtx, OperatorToken: cfg.OperatorToken,
		Cabinet: cab, Limits: apiLimits(cfg.Limits)}
	if cfg.Sandbox {
		// The sandbox's pages frame the chat window (the CRM shell); nothing frames them but the hub.
		api.Pages = map[string]string{"/sandbox": httpapi.PagePolicy("frame-src 'self'; frame-ancestors 'self'")}
	}
	amo, err := newAmoCRM(cfg, st)
	if err != nil {
		return nil, err
	}
	amo.wire(cfg, st, api, cab)
	mirror, err := newMirror(cfg, st, amo, api, cab, ch.Media)
	if err != nil {
		return nil, err
	}
	var linker *crmlink.Linker
	if amo.adapter != nil {
		linker = crmlink.New(amo.adapter, st, 1000)
		ch.inbound.Linker = linker
	}
	if mirror != nil {
		linker.Skip = mirror.Enabled
		wakeOnEvents(st, fanout.Committed, mirror)
	}
	h.srv = httpapi.NewHTTPServer(api.Handler(), httpapi.DefaultTimeouts)
	h.srv.BaseContext = func(net.Listener) context.Context { return connCtx }

	workCtx, stopWork := context.WithCancel(context.Background())
	sendFrom := make(chan struct{}) // closed when the sender may begin (after the sandbox boot)
	waitWork := ch.start(workCtx, sendFrom)
	h.stops = append(h.stops, func() { stopWork(); waitWork() })
	if linker != nil {
		go linker.Run(workCtx)
	}
	go pruneEvents(workCtx, st)

	if amo.adapter != nil {
		go amo.adapter.RefreshUsersLoop(workCtx)
	}
	if mirror != nil {
		go mirror.Run(workCtx)
	}
	go func() { self.errc <- self.srv.Serve(ln) }()
	if cfg.Sandbox {
		// Sandbox boot, in this order: (1) the CRM's demo install, (2) the messenger
		// connections, (3) the demo dataset; under a lock, so instances starting together on
		// one database set the demo up once.
		if err := st.Exclusive(ctx, "sandbox-boot", func(ctx context.Context) error {
			ws, err := installSandboxDemo(ctx, cfg, st, amo)
			if err != nil {
				return err
			}
			if err := messengersSandbox.boot(ctx, st, ch, ws); err != nil {
				return fmt.Errorf("sandbox messengers: %w", err)
			}
			if err := restoreSandboxConnections(ctx, st, cfg, cab, providerConsole, ws); err != nil {
				return fmt.Errorf("sandbox connections added in the cabinet: %w", err)
			}
			if err := messengersSandbox.demo(ctx, st, ch, ws); err != nil {
				return fmt.Errorf("sandbox demo data: %w", err)
			}
			// (4) amoCRM's own chats, after the demo history, which is not mirrored.
			if err := enableSandboxMirror(ctx, st, mirror, ws.ID); err != nil {
				return fmt.Errorf("sandbox amoCRM chats: %w", err)
			}
			return nil
		}); err != nil {
			return nil, err
		}
	}
	close(sendFrom)
	return h, nil
}

// Wait blocks until the server fails or ctx ends.
func (h *Instance) Wait(ctx context.Context) error {
	select {
	case err := <-h.errc:
		return err
	case <-ctx.Done():
		return nil
	}
}

// Close stops serving (letting requests in flight finish for up to 10 s), then the background
// work, the events and the store.
func (h *Instance) Close() error {
	slog.Info("shutting down")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := h.srv.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		err = nil
	}
	h.stop()
	return err
}

func (h *Instance) stop() {
	for i := len(h.stops) - 1; i >= 0; i-- {
		h.stops[i]()
	}
	h.stops = nil
}

// apiLimits are the configured abuse limits of the API.
func apiLimits(l config.Limits) httpapi.Limits {
	return httpapi.NewLimits(l.AuthFailures, l.Session, l.Workspace, l.Sockets, l.Uploads)
}
