// Package apidoc loads the hub's OpenAPI document (docs/openapi.yaml) for the tests that keep it
// and the hub in step: the route table against the document's paths, and every answer the HTTP
// tests record against the document's schemas. Only tests import it.
package apidoc

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// Path is where the document lives, found from this file so a test of any package reads the same.
func Path() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "docs", "openapi.yaml")
}

var (
	once   sync.Once
	doc    *openapi3.T
	router routers.Router
	errDoc error
)

// Load reads and validates the document once per test binary.
func Load() (*openapi3.T, routers.Router, error) {
	once.Do(func() {
		l := openapi3.NewLoader()
		d, err := l.LoadFromFile(Path())
		if err != nil {
			errDoc = fmt.Errorf("load %s: %w", Path(), err)
			return
		}
		if err := d.Validate(context.Background()); err != nil {
			errDoc = fmt.Errorf("%s is not a valid OpenAPI document: %w", Path(), err)
			return
		}
		r, err := legacy.NewRouter(d)
		if err != nil {
			errDoc = fmt.Errorf("route %s: %w", Path(), err)
			return
		}
		doc, router = d, r
	})
	return doc, router, errDoc
}

// Operations lists the document's operations as route patterns ("GET /api/v1/chats/{id}"),
// the form net/http's ServeMux is given, sorted.
func Operations(d *openapi3.T) []string {
	var out []string
	for path, item := range d.Paths.Map() {
		for method := range item.Operations() {
			out = append(out, strings.ToUpper(method)+" "+path)
		}
	}
	sort.Strings(out)
	return out
}
