package cli

import (
	"context"
	"log/slog"
	"net/http"
	"sync"

	"github.com/switchboardhq/switchboard/internal/config"
	"github.com/switchboardhq/switchboard/internal/media"
	"github.com/switchboardhq/switchboard/internal/pipeline"
	"github.com/switchboardhq/switchboard/internal/ratelimit"
	"github.com/switchboardhq/switchboard/internal/store"
)

// channels is the messaging pipeline of a running hub: webhook endpoints, the MAX long-poll
// worker, the inbound worker and the sender, sharing one media store and one set of adapters.
type channels struct {
	hooks    *pipeline.Hooks
	inbound  *pipeline.Inbound
	sender   *pipeline.Sender
	poller   *pipeline.Poller
	Adapters *pipeline.Adapters
	Media    media.Store
	// WakeSender is signalled when a message is queued, so it goes out without waiting for a poll.
	WakeSender chan struct{}
}

func newChannels(cfg config.Config, st *store.Store) (*channels, error) {
	files, err := media.OpenURL(cfg.MediaURL, cfg.DataDir)
	if err != nil {
		return nil, err
	}
	ad := &pipeline.Adapters{}
	wakeIn, wakeOut := make(chan struct{}, 1), make(chan struct{}, 1)
	claims := pipeline.Claims{Owner: pipeline.Owner(), Lease: cfg.Lease}
	return &channels{
		hooks: &pipeline.Hooks{Store: st, Wake: wakeIn, Limit: ratelimit.NewBuckets(cfg.Limits.Webhooks)},
		inbound: &pipeline.Inbound{Store: st, Media: files, Adapters: ad, Wake: wakeIn, Claims: claims,
			RetryWindow: cfg.RetryWindow},
		sender:     &pipeline.Sender{Store: st, Media: files, Adapters: ad, Wake: wakeOut, Claims: claims},
		poller:     &pipeline.Poller{Store: st, Wake: wakeIn, Claims: claims},
		Adapters:   ad,
		Media:      files,
		WakeSender: wakeOut,
	}, nil
}

func (c *channels) mount(mux *http.ServeMux) { c.hooks.Mount(mux) }

// start runs the workers until ctx ends; wait returns when they have stopped (the sender
// lets a provider call in flight finish and records its outcome first). The sender begins when
// sendFrom closes: in the sandbox, once the boot has registered the hub's connections with the
// stand-ins, so no message queued before a restart meets a stand-in not ready for it.
func (c *channels) start(ctx context.Context, sendFrom <-chan struct{}) (wait func()) {
	var wg sync.WaitGroup
	wg.Add(3)
	go func() {
		defer wg.Done()
		c.poller.Run(ctx)
	}()
	go func() {
		defer wg.Done()
		c.inbound.Run(ctx)
	}()
	go func() {
		defer wg.Done()
		select {
		case <-sendFrom:
		case <-ctx.Done():
			return
		}
		if err := c.sender.Run(ctx); err != nil {
			slog.Error("sender stopped", "err", err)
		}
	}()
	return wg.Wait
}
