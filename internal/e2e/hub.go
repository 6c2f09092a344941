// Package e2e drives the real hub in a real browser: each test starts the hub in-process (the
// same code as `switchboard serve --sandbox`, on 127.0.0.1:0 with a temporary data folder) and
// Debian's headless Chromium through chromedp, and saves screenshots of what a person would see.
package e2e

import (
	"context"
	"net"
	"os"
	"sync"
	"testing"

	"github.com/switchboardhq/switchboard/internal/cli"
	"github.com/switchboardhq/switchboard/internal/config"
	"github.com/switchboardhq/switchboard/internal/testwait"
)

// SandboxInstance is a hub started as `serve --sandbox` for a test, with its address and data folder.
type SandboxInstance struct {
	URL     string // http://127.0.0.1:port, also the hub's public URL
	DataDir string
	*cli.Instance
}

// StartHub starts `serve --sandbox` in-process on a free loopback port with a fresh SQLite data
// folder (or the PostgreSQL of SWITCHBOARD_E2E_DATABASE_URL) and stops it when the test ends.
func StartHub(t testing.TB) *SandboxInstance {
	t.Helper()
	return StartHubAt(t, t.TempDir())
}

// StartHubAt is StartHub on the data folder dir, so a test can start a hub again on the data
// an earlier one left (a restart; the port changes).
func StartHubAt(t testing.TB, dir string) *SandboxInstance {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return startOn(t, ln, dir)
}

// Restart stops the hub, runs whileDown, and starts the hub again on the same address and data,
// as a deploy or a crash and restart would: open WebSockets drop, sessions and data stay.
func (h *SandboxInstance) Restart(t testing.TB, whileDown func()) *SandboxInstance {
	t.Helper()
	addr := h.Config.Addr
	if err := h.Instance.Close(); err != nil {
		t.Logf("closing hub: %v", err)
	}
	whileDown()
	var ln net.Listener
	var err error
	// The old listener's port frees at once on Linux; be patient anyway.
	testwait.Until(t, "the hub's address "+addr+" to be free again", func() bool {
		ln, err = net.Listen("tcp", addr)
		return err == nil
	})
	return startOn(t, ln, h.DataDir)
}

func startOn(t testing.TB, ln net.Listener, dir string) *SandboxInstance {
	t.Helper()
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
	var once sync.Once
	t.Cleanup(func() {
		once.Do(func() {
			if err := h.Close(); err != nil {
				t.Logf("closing hub: %v", err)
			}
		})
	})
	return &SandboxInstance{URL: h.Config.PublicURL, DataDir: dir, Instance: h}
}
