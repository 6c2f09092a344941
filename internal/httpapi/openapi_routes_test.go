package httpapi_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/switchboardhq/switchboard/internal/apidoc"
	"github.com/switchboardhq/switchboard/internal/cabinet"
	"github.com/switchboardhq/switchboard/internal/httpapi"
)

// docs/openapi.yaml describes exactly the API's route table: every route under /api/ the server
// mounts (the cabinet's included) is a documented operation, and every documented operation is
// mounted.
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	d, _, err := apidoc.Load()
	if err != nil {
		t.Fatal(err)
	}
	srv := &httpapi.Server{Cabinet: &cabinet.API{}}
	srv.Handler()
	var mounted []string
	for _, p := range srv.Routes() {
		// "/api/" and "/hooks/" alone are the catch-alls that answer not_found; every other
		// route of the table has a method.
		if _, _, ok := strings.Cut(p, " "); ok {
			mounted = append(mounted, p)
		}
	}
	if len(mounted) < 40 {
		t.Fatalf("only %d API routes found in the route table: %v", len(mounted), mounted)
	}
	documented := apidoc.Operations(d)
	for _, r := range mounted {
		if !slices.Contains(documented, r) {
			t.Errorf("%s is served but not in docs/openapi.yaml", r)
		}
	}
	for _, op := range documented {
		if !slices.Contains(mounted, op) {
			t.Errorf("docs/openapi.yaml documents %s, which the hub does not serve", op)
		}
	}
}
