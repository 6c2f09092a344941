package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/switchboardhq/switchboard/internal/auth"
	"github.com/switchboardhq/switchboard/internal/config"
	"github.com/switchboardhq/switchboard/internal/httpapi"
	"github.com/switchboardhq/switchboard/internal/secrets"
	"github.com/switchboardhq/switchboard/internal/store"
)

// openStore loads the configuration, opens the database and applies migrations.
func openStore(ctx context.Context, args []string, getenv func(string) string) (config.Config, *store.Store, error) {
	cfg, err := config.Load(args, getenv)
	if err != nil {
		return cfg, nil, err
	}
	if cfg.Sandbox && cfg.SecretKey == "" {
		if cfg.SecretKey, err = secrets.LoadOrCreateKey(cfg.DataDir); err != nil {
			return cfg, nil, fmt.Errorf("secret key: %w", err)
		}
	}
	box, err := secrets.NewBox(cfg.SecretKey)
	if err != nil {
		return cfg, nil, fmt.Errorf("SWITCHBOARD_SECRET_KEY: %w", err)
	}
	st, err := store.Open(ctx, cfg.DatabaseURL, cfg.DataDir, box)
	if err != nil {
		return cfg, nil, err
	}
	if _, err := st.Migrate(ctx); err != nil {
		st.Close()
		return cfg, nil, err
	}
	return cfg, st, nil
}

func migrate(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	_, st, err := openStore(ctx, args, getenv)
	if err != nil {
		return err
	}
	defer st.Close()
	fmt.Fprintf(stdout, "switchboard: %s database is up to date\n", st.Dialect())
	return nil
}

func serve(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) error {
	cfg, err := config.Load(args, getenv)
	if err != nil {
		return err
	}
	slog.SetDefault(newLogger(cfg.LogFormat, stderr))
	cfg, st, err := openStore(ctx, args, getenv)
	if err != nil {
		return err
	}
	defer st.Close()

	ch, err := newChannels(cfg, st)
	if err != nil {
		return err
	}
	fanout, stopEvents, err := startEvents(cfg, st)
	if err != nil {
		return err
	}
	defer stopEvents()
	// Requests live on connCtx. It is not the signal's context, so Shutdown lets requests in
	// flight finish; it ends after Shutdown (by the defer), closing the WebSockets, which
	// Shutdown does not track once they are hijacked.
	connCtx, closeConns := context.WithCancel(context.Background())
	defer closeConns()

	api := &httpapi.Server{DB: st, Store: st, Signer: auth.NewSigner(cfg.SecretKey), Registry: prometheus.NewRegistry(),
		Extra: append(webMounts(cfg), ch.mount), Events: fanout, OperatorToken: cfg.OperatorToken}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	if cfg.Sandbox && !cfg.LoopbackOnly() {
		slog.Warn("SANDBOX MODE IS LISTENING BEYOND LOOPBACK: anyone who can reach " + cfg.Addr +
			" can sign in as any demo user and write as any customer")
	}
	srv := &http.Server{Handler: api.Handler(), ReadHeaderTimeout: 10 * time.Second,
		BaseContext: func(net.Listener) context.Context { return connCtx }}
	slog.Info("switchboard serving", "addr", "http://"+ln.Addr().String(), "public_url", cfg.PublicURL,
		"database", st.Dialect(), "sandbox", cfg.Sandbox, "version", Version)

	workCtx, stopWork := context.WithCancel(ctx)
	defer stopWork()
	ch.start(workCtx)
	go pruneEvents(workCtx, st)

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	slog.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return nil
}
