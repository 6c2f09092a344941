// Package cli holds the switchboard command's subcommands.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/switchboardhq/switchboard/internal/config"
)

// Version is set at build time with -ldflags "-X …/cli.Version=…".
var Version = "dev"

const usage = `switchboard — messaging hub for CRM chat windows

Usage:
  switchboard serve [--addr 127.0.0.1:8080] [--data ./data] [--database-url postgres://…] [--sandbox] [--public-url URL]
  switchboard migrate [same database options as serve]
  switchboard widget pack -o FILE.zip [--public-url URL]
  switchboard gen [--workspace ID] [--contacts 100000] [--chats 200000] [--messages 2000000] [--seed 1] [--data …|--database-url …]
  switchboard bench ingest|fanout|sockets [--duration 20s] [--database-url postgres://…] (docs/performance.md)
  switchboard version

Every option is also an environment variable (SWITCHBOARD_ADDR, SWITCHBOARD_DATA, …); see docs/configuration.md.
`

// Run executes the subcommand in args and returns the process exit code. Failures print one
// line naming the problem, never a stack trace.
func Run(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return run(ctx, args, getenv, stdout, stderr)
}

// run is Run with the context that ends the serve command (a signal, or a test).
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "serve":
		err = serve(ctx, args[1:], getenv, stderr)
	case "migrate":
		err = migrate(ctx, args[1:], getenv, stdout)
	case "widget":
		err = widgetCmd(args[1:], getenv, stdout)
	case "gen":
		err = gen(ctx, args[1:], getenv, stdout)
	case "bench":
		err = bench(ctx, args[1:], getenv, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "switchboard", Version)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
	default:
		fmt.Fprintf(stderr, "switchboard: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	var help *config.Help
	if errors.As(err, &help) {
		fmt.Fprint(stdout, help.Usage)
		return 0
	}
	if err != nil {
		// One line: drivers put details on further lines, which a log reader would miss.
		fmt.Fprintln(stderr, "switchboard:", strings.Join(strings.Fields(err.Error()), " "))
		return 1
	}
	return 0
}

func newLogger(format string, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: slog.LevelInfo}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
