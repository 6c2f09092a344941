package apidoc_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/switchboardhq/switchboard/internal/apidoc"
	"github.com/switchboardhq/switchboard/internal/apierr"
)

// Every code of the catalogue is in the document under its own status, and the document names
// no code the catalogue does not have, nor one under another status.
func TestErrorCodesMatchCatalogue(t *testing.T) {
	d, _, err := apidoc.Load()
	if err != nil {
		t.Fatal(err)
	}
	status := map[string]int{}
	for _, e := range apierr.All {
		status[e.Code] = e.Status
		s := d.Components.Schemas[fmt.Sprintf("Error%d", e.Status)]
		if s == nil {
			t.Errorf("%s: the document has no schema Error%d for its status", e.Code, e.Status)
			continue
		}
		if !slices.Contains(s.Value.Properties["error"].Value.Properties["code"].Value.Enum, any(e.Code)) {
			t.Errorf("%s (%d) is not among Error%d's codes", e.Code, e.Status, e.Status)
		}
	}
	for name, s := range d.Components.Schemas {
		var st int
		if _, err := fmt.Sscanf(name, "Error%d", &st); err != nil || !strings.HasPrefix(name, "Error") {
			continue
		}
		for _, c := range s.Value.Properties["error"].Value.Properties["code"].Value.Enum {
			if got, ok := status[c.(string)]; !ok || got != st {
				t.Errorf("%s lists %q, which the catalogue answers with %d", name, c, got)
			}
		}
	}
}

// Every operation names the error codes it may answer (x-error-codes): codes of the catalogue,
// each under a status the operation lists.
func TestEveryOperationNamesItsErrors(t *testing.T) {
	d, _, err := apidoc.Load()
	if err != nil {
		t.Fatal(err)
	}
	status := map[string]int{}
	for _, e := range apierr.All {
		status[e.Code] = e.Status
	}
	for _, op := range apidoc.Operations(d) {
		method, path, _ := strings.Cut(op, " ")
		o := d.Paths.Value(path).GetOperation(method)
		if _, ok := o.Extensions["x-error-codes"].([]any); !ok {
			t.Errorf("%s has no x-error-codes list", op)
			continue
		}
		for _, c := range apidoc.ErrorCodes(o) {
			st, ok := status[c]
			switch {
			case !ok:
				t.Errorf("%s: %q is not a code of the catalogue", op, c)
			case o.Responses.Status(st) == nil:
				t.Errorf("%s: %q is answered with %d, which the operation does not list", op, c, st)
			}
		}
	}
}
