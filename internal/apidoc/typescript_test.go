package apidoc_test

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/switchboardhq/switchboard/internal/apidoc"
)

var update = flag.Bool("update", false, "rewrite "+apidoc.TSPath+" from docs/openapi.yaml")

// The front end's generated declarations are those of the document as it is now.
func TestTypeScriptIsCurrent(t *testing.T) {
	d, _, err := apidoc.Load()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(filepath.Dir(apidoc.Path()), "..", apidoc.TSPath)
	want := apidoc.TypeScript(d)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Fatalf("%s is not what docs/openapi.yaml gives: run `go test ./internal/apidoc -run TestTypeScript -update`", apidoc.TSPath)
	}
}
