// Package e2e drives the real hub in a real browser: each test starts the hub in-process (the
// same code as `switchboard serve --sandbox`, on 127.0.0.1:0 with a temporary data folder) and
// Debian's headless Chromium through chromedp, and saves screenshots of what a person would see.
package e2e

import (
	"context"
	"net"
	"os"
	"testing"

	"github.com/switchboardhq/switchboard/internal/cli"
	"github.com/switchboardhq/switchboard/internal/config"
)

// Hub is a running sandbox hub.
type Hub struct {
	URL     string // http://127.0.0.1:port, also the hub's public URL
	DataDir string
	*cli.Hub
}

// StartHub starts `serve --sandbox` in-process on a free loopback port with a fresh SQLite data
// folder (or the PostgreSQL of SWITCHBOARD_E2E_DATABASE_URL) and stops it when the test ends.
func StartHub(t testing.TB) *Hub {
	t.Helper()
	return StartHubAt(t, t.TempDir())
}

// StartHubAt is StartHub on the data folder dir, so a test can start a hub again on the data
// an earlier one left (a restart; the port changes).
func StartHubAt(t testing.TB, dir string) *Hub {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"--sandbox", "--addr", ln.Addr().String(), "--data", dir}
	if u := os.Getenv("SWITCHBOARD_E2E_DATABASE_URL"); u != "" {
		args = append(args, "--database-url", u)
	}
	cfg, err := config.Load(args, func(string) string { return "" })
	if err != nil {
		ln.Close()
		t.Fatal(err)
	}
	h, err := cli.Start(context.Background(), cfg, ln)
	if err != nil {
		t.Fatalf("start hub: %v", err)
	}
	t.Cleanup(func() {
		if err := h.Close(); err != nil {
			t.Logf("closing hub: %v", err)
		}
	})
	return &Hub{URL: h.Config.PublicURL, DataDir: dir, Hub: h}
}
