package cli

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/switchboardhq/switchboard/internal/auth"
	"github.com/switchboardhq/switchboard/internal/config"
	"github.com/switchboardhq/switchboard/internal/crmlink"
	"github.com/switchboardhq/switchboard/internal/httpapi"
	"github.com/switchboardhq/switchboard/internal/messaging"
	"github.com/switchboardhq/switchboard/internal/pipeline"
	"github.com/switchboardhq/switchboard/internal/sandbox/boot"
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
// serves on ln (which it owns from then on). Close releases everything. With --sandbox, the
// sandbox's hook (internal/sandbox/boot) wires itself in and boots the demo once the server
// listens (the stand-ins talk to the hub over HTTP).
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
	h.stops = append(h.stops, func() { self.Store.Close() })
	st := h.Store
	var sandbox *boot.Sandbox // the one hook of --sandbox; nil does nothing
	if h.Config.Sandbox {
		if sandbox, err = boot.New(&h.Config, st); err != nil {
			return nil, err
		}
	}
	cfg = h.Config

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
	cab := newCabinet(cfg, st)

	api := &httpapi.Server{DB: st, Store: st, Signer: auth.NewSigner(cfg.SecretKey), Registry: prometheus.NewRegistry(),
		Media: ch.Media, Messaging: &messaging.Service{Store: st, Wake: ch.WakeSender,
			Signals: pipeline.Signals{Store: st, Adapters: ch.Adapters}},
		Extra: mounts, Events: fanout, SocketContext: connCtx, OperatorToken: cfg.OperatorToken,
		Cabinet: cab, Limits: apiLimits(cfg.Limits)}
	fanout.PrepareWith(api.PrepareEvents)
	amo, err := newAmoCRM(cfg, st, sandbox.CRMBaseURL())
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
	if err := sandbox.Wire(boot.Parts{Store: st, API: api, Cabinet: cab, Adapters: ch.Adapters, Media: ch.Media,
		AmoCRM: amo.adapter, Mirror: mirror}); err != nil {
		return nil, err
	}
	h.srv = httpapi.NewHTTPServer(atPublicAddress(cfg, api.Handler()), httpapi.DefaultTimeouts)
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
	if err := sandbox.Boot(ctx); err != nil {
		return nil, err
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
