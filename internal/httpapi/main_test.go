package httpapi_test

import (
	"io"
	"log/slog"
	"os"
	"testing"

	"github.com/switchboardhq/switchboard/internal/apidoc"
	"github.com/switchboardhq/switchboard/internal/store/storetest"
)

// TestMain also drops the PostgreSQL template database the tests copied theirs from.
func TestMain(m *testing.M) {
	// One line per request is noise in tests; failures print what they need.
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	// Every answer is checked against docs/openapi.yaml (apidoc.Validating); every operation of
	// this package's part of it must have been reached.
	os.Exit(apidoc.RequireChecked(storetest.Main(m), "/api/v1/", "/api/operator/", "/healthz", "/readyz", "/metrics"))
}
