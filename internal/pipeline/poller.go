package pipeline

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"sync"
	"time"

	maxbot "github.com/switchboardhq/switchboard/internal/channel/max"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

// pollStore is what the long-poll worker needs.
type pollStore interface {
	ConnectionsOfKind(ctx context.Context, kind string) ([]hub.Connection, error)
	SaveWebhooks(ctx context.Context, ws []store.RawWebhook) error
	ClaimLease(ctx context.Context, name, owner string, now, until time.Time) (bool, error)
	ReleaseLease(ctx context.Context, name, owner string) error
}

// Poller receives the updates of MAX bots whose admin chose long polling (GET /updates), the
// fallback where MAX's webhooks cannot reach the hub. Each update is stored exactly as its
// webhook delivery would be, and only then acknowledged — by passing the next marker on the
// following poll — so nothing is lost; an update fetched again after a crash is a replay the
// inbound worker dedupes by its message id. With several instances one polls each bot at a time:
// it holds the bot's lease (renewed while it polls); another takes over when the lease runs out.
type Poller struct {
	Store pollStore
	HTTP  *http.Client
	// Claims names this instance and sets the lease length and clock.
	Claims Claims
	// Wake is signalled (without blocking) after stored updates.
	Wake chan<- struct{}
	// Refresh is how often the set of polling bots is re-read; default 10 s.
	Refresh time.Duration
	// Timeout is how long one poll waits for updates (MAX allows up to 90 s); default 30 s.
	Timeout time.Duration
	// Retry is the pause after a failed poll; default 5 s.
	Retry time.Duration
}

// Run polls every polling bot until ctx ends; bots switched to a webhook (or given a new token
// or address) are stopped and restarted as their settings say.
func (p *Poller) Run(ctx context.Context) {
	refresh := p.Refresh
	if refresh == 0 {
		refresh = 10 * time.Second
	}
	type running struct {
		key    string
		cancel context.CancelFunc
	}
	bots := map[string]running{}
	var wg sync.WaitGroup
	defer wg.Wait()
	t := time.NewTicker(refresh)
	defer t.Stop()
	for {
		conns, err := p.Store.ConnectionsOfKind(ctx, hub.KindMaxBot)
		if err != nil && ctx.Err() == nil {
			slog.Error("max poller: list bots", "err", err)
		}
		want := map[string]hub.Connection{}
		for _, c := range conns {
			if c.Settings[maxbot.SettingDelivery] == maxbot.DeliveryPolling {
				want[c.ID] = c
			}
		}
		for id, r := range bots {
			if c, ok := want[id]; !ok || pollKey(c) != r.key {
				r.cancel()
				delete(bots, id)
			}
		}
		if err == nil {
			for id, c := range want {
				if _, ok := bots[id]; ok {
					continue
				}
				cctx, cancel := context.WithCancel(ctx)
				bots[id] = running{pollKey(c), cancel}
				wg.Add(1)
				go func() {
					defer wg.Done()
					p.poll(cctx, c)
				}()
			}
		}
		select {
		case <-ctx.Done():
			for _, r := range bots {
				r.cancel()
			}
			return
		case <-t.C:
		}
	}
}

// pollKey changes when what a bot is polled with changes.
func pollKey(c hub.Connection) string {
	return c.Settings[maxbot.SettingBaseURL] + "\x00" + c.Secrets[maxbot.SecretBotToken]
}

// poll runs one bot's long poll until ctx ends, while this instance holds the bot's lease; it
// tries for the lease every third of its length while another instance holds it.
func (p *Poller) poll(ctx context.Context, c hub.Connection) {
	name, owner := "max-poll:"+c.ID, p.Claims.owner()
	for ctx.Err() == nil {
		held, err := p.Store.ClaimLease(ctx, name, owner, p.Claims.now(), p.Claims.now().Add(p.Claims.lease()))
		if err != nil && ctx.Err() == nil {
			slog.Warn("max poller: claim the bot", "connection", c.ID, "err", err)
		}
		if !held {
			sleep(ctx, p.Claims.lease()/3)
			continue
		}
		hctx, lost := context.WithCancel(ctx)
		stop := p.Claims.hold(hctx, name, func(ctx context.Context, until time.Time) error {
			held, err := p.Store.ClaimLease(ctx, name, owner, p.Claims.now(), until)
			if err == nil && !held {
				lost() // another instance polls the bot now
				return store.ErrLeaseLost
			}
			return err
		})
		p.receive(hctx, c)
		stop()
		lost()
		if ctx.Err() != nil {
			// Stopping: hand the bot over at once rather than when the lease runs out.
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			if err := p.Store.ReleaseLease(rctx, name, owner); err != nil {
				slog.Warn("max poller: release the bot", "connection", c.ID, "err", err)
			}
			cancel()
		}
	}
}

// receive long-polls one bot until ctx ends.
func (p *Poller) receive(ctx context.Context, c hub.Connection) {
	timeout, retry := p.Timeout, p.Retry
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	if retry == 0 {
		retry = 5 * time.Second
	}
	client := p.HTTP
	if client == nil {
		// A poll waits up to timeout for MAX to answer.
		client = &http.Client{Timeout: timeout + 30*time.Second}
	}
	bot := maxbot.New(c, client)
	var marker *int64 // nil: every update not acknowledged yet
	for ctx.Err() == nil {
		updates, next, err := bot.Updates(ctx, marker, timeout)
		if err == nil {
			err = p.store(ctx, c, updates)
		}
		if err != nil {
			if ctx.Err() == nil {
				slog.Warn("max poller: poll failed", "connection", c.ID, "err", err)
				sleep(ctx, retry)
			}
			continue // the same marker again: what was not stored comes back
		}
		marker = &next
	}
}

// store keeps one poll's updates in one transaction: all of them or none, so a failed poll is
// fetched again whole (with the same marker) and a busy bot costs a commit per poll, not per update.
func (p *Poller) store(ctx context.Context, c hub.Connection, updates []json.RawMessage) error {
	if len(updates) == 0 {
		return nil
	}
	rows := make([]store.RawWebhook, len(updates))
	for i, u := range updates {
		rows[i] = store.RawWebhook{WorkspaceID: c.WorkspaceID, ConnectionID: c.ID, Source: "max", Body: u}
	}
	if err := p.Store.SaveWebhooks(ctx, rows); err != nil {
		return err
	}
	select {
	case p.Wake <- struct{}{}:
	default:
	}
	return nil
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
