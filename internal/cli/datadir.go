package cli

import (
	"fmt"
	"io/fs"
	"log/slog"
	"os"
)

// secureDataFolder makes the data folder, which holds every message (SQLite), the media and the
// sandbox's secret key, readable by the hub's user only: it is created 0700, and one found
// open to others is tightened to 0700, which is logged so an operator knows it happened.
func secureDataFolder(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("data folder: %w", err)
	}
	info, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("data folder: %w", err)
	}
	if perm := info.Mode().Perm(); perm&0o077 != 0 {
		if err := os.Chmod(dir, 0o700); err != nil {
			return fmt.Errorf("data folder: %w", err)
		}
		slog.Warn("data folder was open to other users; now only the hub's user can read it", "path", dir,
			"was", fs.FileMode(perm).String(), "now", fs.FileMode(0o700).String())
	}
	return nil
}
