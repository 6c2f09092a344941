package httpapi_test

import (
	"io"
	"log/slog"
	"os"
	"testing"

	"github.com/switchboardhq/switchboard/internal/store/storetest"
)

// TestMain also drops the PostgreSQL template database the tests copied theirs from.
func TestMain(m *testing.M) {
	// One line per request is noise in tests; failures print what they need.
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	os.Exit(storetest.Main(m))
}
