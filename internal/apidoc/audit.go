package apidoc

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/switchboardhq/switchboard/internal/apierr"
)

// Audit lists what makes the document untrustworthy beyond OpenAPI's own rules: error schemas
// that do not list exactly the catalogue's codes of their status, an operation without its
// x-error-codes (or naming a code it cannot answer with a listed status), and front-end
// declarations (TSPath) that are not the document's. Validating runs it, so a document changed
// without the rest fails every API test, not only this package's.
func Audit(d *openapi3.T) []error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	status := map[string]int{}
	for _, e := range apierr.All {
		status[e.Code] = e.Status
		if !slices.Contains(codesOf(d, e.Status), e.Code) {
			bad("error %s (%d) is not among the codes of the document's Error%d", e.Code, e.Status, e.Status)
		}
	}
	for name := range d.Components.Schemas {
		var st int
		if _, err := fmt.Sscanf(name, "Error%d", &st); err != nil || name != fmt.Sprintf("Error%d", st) {
			continue
		}
		for _, c := range codesOf(d, st) {
			if got := status[c]; got != st {
				bad("%s lists %q, which the catalogue answers with %d", name, c, got)
			}
		}
	}
	for _, op := range Operations(d) {
		method, path, _ := strings.Cut(op, " ")
		o := d.Paths.Value(path).GetOperation(method)
		if _, ok := o.Extensions["x-error-codes"].([]any); !ok {
			bad("%s has no x-error-codes list", op)
			continue
		}
		for _, c := range ErrorCodes(o) {
			st, ok := status[c]
			switch {
			case !ok:
				bad("%s: %q is not a code of the catalogue", op, c)
			case o.Responses.Status(st) == nil:
				bad("%s: %q is answered with %d, which the operation does not list", op, c, st)
			}
		}
	}
	got, err := os.ReadFile(filepath.Join(filepath.Dir(Path()), "..", TSPath))
	if err != nil || string(got) != TypeScript(d) {
		bad("%s is not what docs/openapi.yaml gives: run `go test ./internal/apidoc -run TestTypeScript -update`", TSPath)
	}
	return errs
}

// codesOf lists the codes of the document's error schema for status.
func codesOf(d *openapi3.T, status int) []string {
	s := d.Components.Schemas[fmt.Sprintf("Error%d", status)]
	if s == nil {
		return nil
	}
	var out []string
	for _, c := range s.Value.Properties["error"].Value.Properties["code"].Value.Enum {
		out = append(out, fmt.Sprint(c))
	}
	return out
}
