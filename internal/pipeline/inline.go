package pipeline

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/switchboardhq/switchboard/internal/channel"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

// The webhook endpoints process webhooks in their group commit's own transaction (issue 15):
// the group's raw rows and the messages of each webhook whose messages are all it asks for go
// into one transaction, so such a webhook costs one commit from its request to its event, and
// the worker has nothing left to do for it. Anything else — statuses, files to fetch,
// reactions, a group to name (a call to the messenger), a body that does not parse — is stored
// raw, as without this, for the worker; so are the messages of a group whose writes fail (the
// store rolls them back and keeps the raw rows). What the worker does after storing a
// webhook's messages, the CRM linker's look at each new customer, is done after the commit
// instead, for the webhooks processed there only: each webhook is processed once, by whichever
// of the two stored its messages.

// prepare parses a webhook of connection c for its group's commit, in its request's goroutine
// (the group's commit is serial; a request's parsing need not be). It returns nil when the
// webhook is the worker's.
func (in *Inbound) prepare(ctx context.Context, c hub.Connection, row *store.RawWebhook) (p *parsedWebhook) {
	defer func() {
		// A body that makes the parser panic is stored all the same; the panic is the worker's.
		if v := recover(); v != nil {
			slog.Error("inbound: webhook parse panicked; stored for the worker", "connection", c.ID, "panic", fmt.Sprint(v))
			p = nil
		}
	}()
	ws, err := in.workspaces.get(ctx, in.Store, c.WorkspaceID)
	if err != nil {
		return nil
	}
	ad, err := in.Adapters.For(c)
	if err != nil {
		return nil
	}
	if _, ok := ad.(channel.GroupTitler); ok {
		return nil
	}
	b, err := ad.Parse(row.Body)
	if err != nil {
		return nil
	}
	cleanBatch(&b)
	row.ID = store.NewID()
	p = &parsedWebhook{w: *row, ws: ws, conn: c, ad: ad, batch: b}
	if !p.onlyMessages() {
		return nil
	}
	return p
}

// storeGroup stores a group of webhook rows in one transaction with the messages of those
// prepare parsed, then has the CRM linker look at the new customers of those it processed. It
// returns how many rows were left for the worker.
func (in *Inbound) storeGroup(ctx context.Context, group []groupRow) (left int, err error) {
	rows := make([]store.RawWebhook, len(group))
	var hooks []store.InboundWebhook
	var of []*parsedWebhook
	for i, g := range group {
		rows[i] = g.row
		if g.parsed != nil {
			hooks, of = append(hooks, g.parsed.inbound(true)), append(of, g.parsed)
		}
	}
	saved, err := in.Store.SaveWebhooksProcessed(ctx, rows, hooks)
	if err != nil {
		return 0, err
	}
	left = len(rows)
	for i, p := range of {
		if saved[i].Err != nil {
			slog.Warn("inbound: webhooks stored for the worker, their messages not", "err", saved[i].Err)
			break // the group's messages failed together
		}
		p.saved = saved[i].Results
		in.link(p)
		left--
	}
	return left, nil
}

// workspaceTTL bounds how long the endpoint trusts a workspace it read (its id and country are
// what a message needs: the country reads the phone numbers a customer sends in a contact).
const workspaceTTL = 2 * time.Second

// workspaceCache keeps workspaces read for webhooks: a read per webhook would cost more than
// the webhook's share of its commit.
type workspaceCache struct {
	mu sync.Mutex
	m  map[string]cachedWorkspace
}

type cachedWorkspace struct {
	ws hub.Workspace
	at time.Time
}

func (c *workspaceCache) get(ctx context.Context, st inboundStore, id string) (hub.Workspace, error) {
	now := time.Now()
	c.mu.Lock()
	e, ok := c.m[id]
	c.mu.Unlock()
	if ok && now.Sub(e.at) < workspaceTTL && !now.Before(e.at) {
		return e.ws, nil
	}
	ws, err := st.Workspace(ctx, id)
	if err != nil {
		return ws, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]cachedWorkspace{}
	}
	c.m[id] = cachedWorkspace{ws, now}
	return ws, nil
}
