package demo

import (
	"os"
	"testing"

	"github.com/switchboardhq/switchboard/internal/store/storetest"
)

// TestMain drops the PostgreSQL template database this package's tests copied theirs from.
func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }
