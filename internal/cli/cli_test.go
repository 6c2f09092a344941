package cli

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/switchboardhq/switchboard/internal/testwait"
)

func noEnv(string) string { return "" }

func TestCommandsFailInOneLine(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no command", nil, 2, "Usage"},
		{"unknown command", []string{"frob"}, 2, `unknown command "frob"`},
		{"bad option", []string{"serve", "--sandbox", "--addr", "x"}, 1, "--addr"},
		{"no secret key", []string{"serve"}, 1, "SWITCHBOARD_SECRET_KEY"},
		{"unreachable database", []string{"migrate", "--sandbox", "--data", t.TempDir(),
			"--database-url", "postgres://postgres@127.0.0.1:1/x?connect_timeout=2"}, 1, "database unreachable"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut strings.Builder
			code := run(context.Background(), tc.args, noEnv, &out, &errOut)
			if code != tc.code {
				t.Fatalf("exit code %d, want %d (stderr %q)", code, tc.code, errOut.String())
			}
			if !strings.Contains(errOut.String(), tc.want) {
				t.Fatalf("stderr %q does not name %q", errOut.String(), tc.want)
			}
			if tc.code == 1 && strings.Count(strings.TrimSpace(errOut.String()), "\n") != 0 {
				t.Fatalf("error is not one line: %q", errOut.String())
			}
		})
	}
}

// serve -h and migrate --help print the options on stdout and succeed.
func TestOptionsHelp(t *testing.T) {
	for _, args := range [][]string{{"serve", "-h"}, {"migrate", "--help"}} {
		var out, errOut strings.Builder
		if code := run(context.Background(), args, noEnv, &out, &errOut); code != 0 || errOut.Len() != 0 {
			t.Fatalf("%v: exit %d, stderr %q", args, code, errOut.String())
		}
		if !strings.Contains(out.String(), "-addr") || !strings.Contains(out.String(), "-database-url") {
			t.Fatalf("%v: usage %q names no options", args, out.String())
		}
	}
}

func TestVersionAndMigrate(t *testing.T) {
	var out strings.Builder
	if code := run(context.Background(), []string{"version"}, noEnv, &out, io.Discard); code != 0 || !strings.HasPrefix(out.String(), "switchboard ") {
		t.Fatalf("version: %d %q", code, out.String())
	}
	out.Reset()
	dir := t.TempDir()
	if code := run(context.Background(), []string{"migrate", "--sandbox", "--data", dir}, noEnv, &out, io.Discard); code != 0 {
		t.Fatalf("migrate exit %d", code)
	}
	if _, err := os.Stat(dir + "/switchboard.db"); err != nil {
		t.Fatalf("migrate made no database: %v", err)
	}
}

// serve answers /healthz and /readyz, and stops cleanly when its context ends.
func TestServeHealthAndShutdown(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--sandbox", "--addr", "127.0.0.1:0", "--data", t.TempDir()}, noEnv, io.Discard, pw)
		pw.Close()
	}()
	addr := regexp.MustCompile(`addr=(http://127\.0\.0\.1:\d+)`)
	sc := bufio.NewScanner(pr)
	base := ""
	for base == "" && sc.Scan() {
		if m := addr.FindStringSubmatch(sc.Text()); m != nil {
			base = m[1]
		}
	}
	go io.Copy(io.Discard, pr)
	if base == "" {
		t.Fatal("serve never logged its address")
	}
	for _, path := range []string{"/healthz", "/readyz"} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s = %d", path, resp.StatusCode)
		}
	}
	cancel()
	if code := testwait.Recv(t, done, "serve to stop after its context ended"); code != 0 {
		t.Fatalf("serve exited %d after shutdown", code)
	}
}

// widget pack writes the archive with the public URL from the flag, else the environment.
func TestWidgetPack(t *testing.T) {
	dir := t.TempDir()
	out := dir + "/w.zip"
	env := func(k string) string {
		if k == "SWITCHBOARD_PUBLIC_URL" {
			return "https://hub.example.org"
		}
		return ""
	}
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"widget", "pack", "-o", out}, env, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	zr, err := zip.OpenReader(out)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	f, err := zr.Open("script.js")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(f)
	if !strings.Contains(string(b), "https://hub.example.org") {
		t.Error("archive does not carry SWITCHBOARD_PUBLIC_URL")
	}
	if code := run(context.Background(), []string{"widget", "pack"}, noEnv, &stdout, &stderr); code != 1 {
		t.Errorf("widget pack without -o: exit %d", code)
	}
	if code := run(context.Background(), []string{"widget", "pack", "-o", out, "--public-url", "nope"}, noEnv, &stdout, &stderr); code != 1 {
		t.Errorf("bad public URL: exit %d", code)
	}
}
