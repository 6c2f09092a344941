package cli

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The data folder holds every message: at start it is made 0700 (an existing open one is
// tightened, and that is logged) and the SQLite database and its -wal/-shm files are 0600.
func TestDataFolderIsPrivate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.Mkdir(dir, 0o755))
	must(os.Chmod(dir, 0o755)) // whatever the umask
	db := filepath.Join(dir, "switchboard.db")
	must(os.WriteFile(db, nil, 0o644))
	must(os.Chmod(db, 0o644))

	var logs bytes.Buffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logs, nil)))
	defer slog.SetDefault(prev)
	if code := run(context.Background(), []string{"migrate", "--sandbox", "--data", dir}, noEnv, io.Discard, io.Discard); code != 0 {
		t.Fatalf("migrate exit %d", code)
	}
	mode := func(p string) os.FileMode {
		info, err := os.Stat(p)
		must(err)
		return info.Mode().Perm()
	}
	if m := mode(dir); m != 0o700 {
		t.Errorf("data folder is %v, want 0700", m)
	}
	if !strings.Contains(logs.String(), "data folder was open to other users") {
		t.Errorf("tightening the folder was not logged: %q", logs.String())
	}
	for _, f := range []string{db, db + "-wal", db + "-shm"} {
		if _, err := os.Stat(f); err != nil {
			continue // -wal/-shm exist only while the database is open
		}
		if m := mode(f); m != 0o600 {
			t.Errorf("%s is %v, want 0600", filepath.Base(f), m)
		}
	}

	// A fresh folder is made private from the start, silently.
	logs.Reset()
	fresh := filepath.Join(t.TempDir(), "fresh")
	if code := run(context.Background(), []string{"migrate", "--sandbox", "--data", fresh}, noEnv, io.Discard, io.Discard); code != 0 {
		t.Fatalf("migrate exit %d", code)
	}
	if m := mode(fresh); m != 0o700 || mode(filepath.Join(fresh, "switchboard.db")) != 0o600 {
		t.Errorf("fresh folder %v, database %v", m, mode(filepath.Join(fresh, "switchboard.db")))
	}
	if strings.Contains(logs.String(), "data folder was open") {
		t.Errorf("a fresh folder was reported as tightened")
	}
}

// While the hub runs, SQLite's -wal and -shm files are private too.
func TestOpenDatabaseFilesArePrivate(t *testing.T) {
	dir := t.TempDir()
	_, st, err := openStore(context.Background(), []string{"--sandbox", "--data", dir}, noEnv)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, f := range []string{"switchboard.db", "switchboard.db-wal", "switchboard.db-shm"} {
		info, err := os.Stat(filepath.Join(dir, f))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if m := info.Mode().Perm(); m != 0o600 {
			t.Errorf("%s is %v, want 0600", f, m)
		}
	}
}
