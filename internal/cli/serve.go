package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"

	"github.com/switchboardhq/switchboard/internal/config"
	"github.com/switchboardhq/switchboard/internal/secrets"
	"github.com/switchboardhq/switchboard/internal/store"
)

// openStore loads the configuration, opens the database and applies migrations.
func openStore(ctx context.Context, args []string, getenv func(string) string) (config.Config, *store.Store, error) {
	cfg, err := config.Load(args, getenv)
	if err != nil {
		return cfg, nil, err
	}
	st, err := openStoreConfig(ctx, &cfg)
	return cfg, st, err
}

// openStoreConfig opens the database of cfg and applies migrations; in sandbox mode it fills in
// a secret key kept in the data folder.
func openStoreConfig(ctx context.Context, cfg *config.Config) (*store.Store, error) {
	if err := secureDataFolder(cfg.DataDir); err != nil {
		return nil, err
	}
	var err error
	if cfg.Sandbox && cfg.SecretKey == "" {
		if cfg.SecretKey, err = secrets.LoadOrCreateKey(cfg.DataDir); err != nil {
			return nil, fmt.Errorf("secret key: %w", err)
		}
	}
	box, err := secrets.NewBox(cfg.SecretKey)
	if err != nil {
		return nil, fmt.Errorf("SWITCHBOARD_SECRET_KEY: %w", err)
	}
	st, err := store.Open(ctx, cfg.DatabaseURL, cfg.DataDir, box)
	if err != nil {
		return nil, err
	}
	if _, err := st.Migrate(ctx); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
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
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	if cfg.Sandbox && !cfg.LoopbackOnly() {
		slog.Warn("SANDBOX MODE IS LISTENING BEYOND LOOPBACK: anyone who can reach " + cfg.Addr +
			" can sign in as any demo user and write as any customer")
	}
	hub, err := Start(ctx, cfg, ln)
	if err != nil {
		return err
	}
	slog.Info("switchboard serving", "addr", "http://"+ln.Addr().String(), "public_url", hub.Config.PublicURL,
		"database", hub.Store.Dialect(), "sandbox", cfg.Sandbox, "version", Version)
	err = hub.Wait(ctx)
	return errors.Join(err, hub.Close())
}
