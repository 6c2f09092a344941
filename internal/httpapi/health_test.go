package httpapi_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/switchboardhq/switchboard/internal/apidoc"
	"github.com/switchboardhq/switchboard/internal/httpapi"
	"github.com/switchboardhq/switchboard/internal/store/storetest"
)

// downDB is a database that does not answer.
type downDB struct{}

func (downDB) Ping(context.Context) error { return errors.New("connection refused") }

// /readyz says whether the database answers: ok, or 503 unavailable for a probe to act on.
func TestReadyzFollowsTheDatabase(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite(t))
	expect(t, "database up", e.do(http.MethodGet, "/readyz", "", nil), http.StatusOK, "")
	if got := e.do(http.MethodGet, "/readyz", "", nil).JSON(t)["database"]; got != "ok" {
		t.Fatalf("database: %v", got)
	}
	e.h = apidoc.Validating(t, (&httpapi.Server{DB: downDB{}, Store: e.st, Signer: e.signer}).Handler())
	expect(t, "database down", e.do(http.MethodGet, "/readyz", "", nil), http.StatusServiceUnavailable, "unavailable")
	expect(t, "the process is still up", e.do(http.MethodGet, "/healthz", "", nil), http.StatusOK, "")
}
