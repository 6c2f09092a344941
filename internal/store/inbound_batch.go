package store

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"time"
)

// InboundWebhook is the customer messages one stored webhook carried, for SaveInboundBatch.
type InboundWebhook struct {
	WebhookID string
	Messages  []Inbound
	// Finish marks the webhook processed in the same transaction as its messages, when the
	// messages are all it asks for (no file to fetch, no status or reaction to apply after).
	Finish bool
}

// InboundSaved is what SaveInboundBatch did with one webhook: a result per message, or the
// error that rolled back every message of that webhook (and only those).
type InboundSaved struct {
	Results []InboundResult
	Err     error
}

// SaveInboundBatch stores the messages of several webhooks in one transaction, each webhook
// under its own savepoint: a message that fails rolls back its webhook's messages and the
// others are still committed. It is what SaveInbound does for each message (deduplication by
// provider key included, within the batch too), with one commit for all of them. The results
// are only valid once it returns nil; an error (the commit failing) means nothing was stored.
//
// A webhook rarely fails, so the batch is first stored without savepoints (two statements per
// webhook fewer); only when one fails is that transaction rolled back and the batch stored
// again, a savepoint per webhook.
func (s *Store) SaveInboundBatch(ctx context.Context, now time.Time, hooks []InboundWebhook) ([]InboundSaved, error) {
	out, err := s.saveInboundBatch(ctx, now, hooks, false)
	if errors.Is(err, errWebhookFailed) {
		out, err = s.saveInboundBatch(ctx, now, hooks, true)
	}
	return out, err
}

// errWebhookFailed rolls back a batch stored without savepoints in which a webhook failed.
var errWebhookFailed = errors.New("store: a webhook of the batch failed")

func (s *Store) saveInboundBatch(ctx context.Context, now time.Time, hooks []InboundWebhook, savepoints bool) ([]InboundSaved, error) {
	var out []InboundSaved
	err := s.tx(ctx, func(q querier) error {
		out = make([]InboundSaved, len(hooks))
		var finished []string
		t := q.(*txQuerier)
		if !savepoints {
			var err error
			if out, err = saveInboundBulk(ctx, t, hooks); err != nil {
				return fmt.Errorf("%w: %w", errWebhookFailed, err)
			}
			for _, h := range hooks {
				if h.Finish {
					finished = append(finished, h.WebhookID)
				}
			}
			return finishWebhooks(ctx, q, now, finished)
		}
		for i, h := range hooks {
			if err := t.savepoint(ctx, func() error {
				out[i] = saveWebhookMessages(ctx, q, h)
				return out[i].Err
			}); err != nil {
				return err
			}
			if out[i].Err == nil && h.Finish {
				finished = append(finished, h.WebhookID)
			}
		}
		return finishWebhooks(ctx, q, now, finished)
	})
	return out, err
}

// savepoint runs fn under a savepoint, rolled back when fn fails. Its error is fn's alone to
// report; savepoint returns only a failure to set, roll back or release the savepoint.
func (t *txQuerier) savepoint(ctx context.Context, fn func() error) error {
	heads, logged := maps.Clone(t.heads), len(t.logged)
	if _, err := t.ExecContext(ctx, `SAVEPOINT inbound_webhook`); err != nil {
		return fmt.Errorf("store: savepoint: %w", err)
	}
	if fn() != nil {
		// Forget the events of the rolled-back writes: they were never logged.
		t.heads, t.logged = heads, t.logged[:logged]
		if _, err := t.ExecContext(ctx, `ROLLBACK TO SAVEPOINT inbound_webhook`); err != nil {
			return fmt.Errorf("store: rollback to savepoint: %w", err)
		}
	}
	if _, err := t.ExecContext(ctx, `RELEASE SAVEPOINT inbound_webhook`); err != nil {
		return fmt.Errorf("store: release savepoint: %w", err)
	}
	return nil
}

// finishWebhooks marks the webhooks ids processed at now, in one statement.
func finishWebhooks(ctx context.Context, q querier, now time.Time, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	in, args := inList(now.UnixMilli(), ids)
	res, err := q.ExecContext(ctx, `UPDATE inbound_webhooks SET processed_at = $1, attempts = attempts + 1,
		owner = '', lease_until = 0 WHERE id IN (`+in+`)`, args...)
	if err != nil {
		return fmt.Errorf("store: finish webhooks: %w", err)
	}
	if n, _ := res.RowsAffected(); n != int64(len(ids)) {
		return fmt.Errorf("store: finish webhooks: %d of %d rows found", n, len(ids))
	}
	return nil
}

func saveWebhookMessages(ctx context.Context, q querier, h InboundWebhook) InboundSaved {
	var r InboundSaved
	for _, in := range h.Messages {
		res, err := saveInbound(ctx, q, in)
		if err != nil {
			return InboundSaved{Err: err}
		}
		r.Results = append(r.Results, res)
	}
	return r
}
