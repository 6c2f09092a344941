package store

import (
	"context"
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
func (s *Store) SaveInboundBatch(ctx context.Context, now time.Time, hooks []InboundWebhook) ([]InboundSaved, error) {
	var out []InboundSaved
	err := s.tx(ctx, func(q querier) error {
		out = make([]InboundSaved, len(hooks))
		t := q.(*txQuerier)
		for i, h := range hooks {
			heads := maps.Clone(t.heads)
			if _, err := q.ExecContext(ctx, `SAVEPOINT inbound_webhook`); err != nil {
				return fmt.Errorf("store: savepoint: %w", err)
			}
			out[i] = saveWebhookMessages(ctx, q, now, h)
			if out[i].Err != nil {
				// Forget the events of the rolled-back messages: they were never logged.
				t.heads = heads
				if _, err := q.ExecContext(ctx, `ROLLBACK TO SAVEPOINT inbound_webhook`); err != nil {
					return fmt.Errorf("store: rollback to savepoint: %w", err)
				}
			}
			if _, err := q.ExecContext(ctx, `RELEASE SAVEPOINT inbound_webhook`); err != nil {
				return fmt.Errorf("store: release savepoint: %w", err)
			}
		}
		return nil
	})
	return out, err
}

func saveWebhookMessages(ctx context.Context, q querier, now time.Time, h InboundWebhook) InboundSaved {
	var r InboundSaved
	for _, in := range h.Messages {
		res, err := saveInbound(ctx, q, in)
		if err != nil {
			return InboundSaved{Err: err}
		}
		r.Results = append(r.Results, res)
	}
	if h.Finish {
		if err := execOneOn(ctx, q, "finish webhook", webhookProcessed, h.WebhookID, now.UnixMilli()); err != nil {
			return InboundSaved{Err: err}
		}
	}
	return r
}
