package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/switchboardhq/switchboard/internal/widget"
)

// widgetCmd is `switchboard widget pack -o FILE.zip [--public-url URL] [--kind private|public]`:
// the amoCRM widget archive to upload to the CRM, with the hub's public URL (default
// SWITCHBOARD_PUBLIC_URL, else http://localhost:8080) baked in, for the kind of integration
// registered (private by default: no left menu, which amoCRM allows public ones only).
func widgetCmd(args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "pack" {
		return errors.New("widget: want `widget pack -o FILE.zip [--public-url URL] [--kind private|public]`")
	}
	fs := flag.NewFlagSet("widget pack", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	out := fs.String("o", "", "archive to write")
	def := getenv("SWITCHBOARD_PUBLIC_URL")
	if def == "" {
		def = "http://localhost:8080"
	}
	publicURL := fs.String("public-url", def, "the hub's public URL")
	kind := fs.String("kind", string(widget.Private), "the integration's kind: private or public")
	if err := fs.Parse(args[1:]); err != nil {
		return fmt.Errorf("widget pack: %v", err)
	}
	if *out == "" || fs.NArg() > 0 {
		return errors.New("widget pack: want -o FILE.zip")
	}
	tmp, err := os.CreateTemp(filepath.Dir(*out), ".widget-*.zip")
	if err != nil {
		return fmt.Errorf("widget pack: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := widget.Pack(tmp, *publicURL, widget.Kind(*kind)); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), *out); err != nil {
		return fmt.Errorf("widget pack: %w", err)
	}
	fmt.Fprintf(stdout, "switchboard: widget archive (%s integration) for %s written to %s\n", *kind, *publicURL, *out)
	return nil
}
