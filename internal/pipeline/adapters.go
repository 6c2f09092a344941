// Package pipeline moves messages between the channels and the store: the webhook endpoints
// that verify and store raw bodies, the worker that turns stored bodies into messages (fetching
// their media), and the sender that delivers queued messages with retries.
package pipeline

import (
	"fmt"
	"net/http"
	"time"

	"github.com/switchboardhq/switchboard/internal/channel"
	maxbot "github.com/switchboardhq/switchboard/internal/channel/max"
	"github.com/switchboardhq/switchboard/internal/channel/telegram"
	"github.com/switchboardhq/switchboard/internal/channel/waba"
	"github.com/switchboardhq/switchboard/internal/hub"
)

// Adapters builds the channel adapter of a connection.
type Adapters struct {
	HTTP *http.Client
	// Catalog names a WhatsApp cart item by workspace and SKU; nil leaves names empty.
	Catalog func(workspaceID, sku string) string
}

// For returns the adapter of c, or an error naming the kind no adapter exists for.
func (a *Adapters) For(c hub.Connection) (channel.Adapter, error) {
	client := a.HTTP
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	switch c.Kind {
	case hub.KindWABA:
		ad := waba.New(c, client)
		if a.Catalog != nil {
			ws := c.WorkspaceID
			ad.Catalog = func(sku string) string { return a.Catalog(ws, sku) }
		}
		return ad, nil
	case hub.KindTelegramBot:
		return telegram.New(c, client), nil
	case hub.KindMaxBot:
		return maxbot.New(c, client), nil
	}
	return nil, fmt.Errorf("pipeline: no channel adapter for connection kind %q", c.Kind)
}
