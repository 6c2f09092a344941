package channel

import (
	"net/http"
	"strings"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
)

// Endpoint is where an adapter talks to its provider: the base URL set on the connection under
// setting (a deployment leaves it empty for the real API, def; the sandbox points it at its
// stand-in), without a trailing slash, and client — or one with a 30-second timeout when nil.
func Endpoint(c hub.Connection, setting, def string, client *http.Client) (string, *http.Client) {
	base := c.Settings[setting]
	if base == "" {
		base = def
	}
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	return strings.TrimRight(base, "/"), client
}
