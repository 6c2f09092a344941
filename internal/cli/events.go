package cli

import (
	"context"
	"log/slog"
	"time"

	"github.com/switchboardhq/switchboard/internal/config"
	"github.com/switchboardhq/switchboard/internal/events"
	"github.com/switchboardhq/switchboard/internal/store"
)

// eventRetention is how long the event log keeps an event for replay; a window offline longer
// than that gets a resync.
const eventRetention = 72 * time.Hour

// startEvents builds the realtime fan-out over st and, with --nats-url, shares news with the
// other instances. The returned stop closes the NATS connection.
func startEvents(cfg config.Config, st *store.Store) (*events.Fanout, func(), error) {
	h := events.New(st, events.Options{})
	stop := func() {}
	if cfg.NATSURL != "" {
		n, err := events.ConnectNATS(cfg.NATSURL, h.Notify)
		if err != nil {
			return nil, nil, err
		}
		h.ShareThrough(n)
		stop = func() { n.Close() }
		slog.Info("events shared through NATS", "url", cfg.NATSURL)
	}
	st.SetEventNotifier(h.Committed)
	return h, stop, nil
}

// pruneEvents trims the event log once an hour until ctx ends. Every instance may run it:
// deleting old rows twice is harmless.
func pruneEvents(ctx context.Context, st *store.Store) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		n, err := st.PruneEvents(ctx, time.Now().Add(-eventRetention))
		if err != nil && ctx.Err() == nil {
			slog.Error("prune events", "err", err)
		} else if n > 0 {
			slog.Info("pruned events", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
