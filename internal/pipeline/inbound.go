package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/switchboardhq/switchboard/internal/channel"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/phone"
	"github.com/switchboardhq/switchboard/internal/sanitize"
	"github.com/switchboardhq/switchboard/internal/store"
)

// inboundStore is what the inbound worker needs.
type inboundStore interface {
	ConnectionByID(ctx context.Context, id string) (hub.Connection, error)
	Workspace(ctx context.Context, id string) (hub.Workspace, error)
	PendingWebhooks(ctx context.Context, limit, maxAttempts int) ([]store.RawWebhook, error)
	MarkWebhookProcessed(ctx context.Context, id string, processErr error) error
	PruneWebhooks(ctx context.Context, before time.Time) (int64, error)
	SaveInbound(ctx context.Context, in store.Inbound) (store.InboundResult, error)
	ApplyStatus(ctx context.Context, connectionID, providerKey, status, code, reason string) (hub.Message, bool, error)
	ApplyReaction(ctx context.Context, connectionID, providerKey, from, emoji string) (hub.Message, error)
	ApplyEdit(ctx context.Context, connectionID, providerKey, text string) (hub.Message, error)
	ApplyRemoval(ctx context.Context, connectionID, providerKey string) (hub.Message, error)
	SetPeer(ctx context.Context, p store.Peer) (hub.Chat, error)
	SetAttachmentStored(ctx context.Context, workspaceID, id, storageKey string, size int64, mime string) error
	Message(ctx context.Context, workspaceID, id string) (hub.Message, error)
	AppendEvent(ctx context.Context, workspaceID, typ, chatID, contactID string, data any) (int64, error)
	Templates(ctx context.Context, workspaceID, connectionID string) ([]hub.Template, error)
	UpsertTemplate(ctx context.Context, t hub.Template) (hub.Template, error)
}

// linker links a private chat's customer to the CRM, in the background.
type linker interface {
	Enqueue(ws hub.Workspace, conn hub.Connection, c hub.Contact)
}

// mediaWriter stores fetched files.
type mediaWriter interface {
	Put(data []byte, declaredMIME string) (key, contentType string, err error)
}

// Inbound turns stored webhooks into messages, statuses and reactions. It is woken right after
// a webhook is stored and also polls, so rows left by a crash or a failed attempt are retried.
type Inbound struct {
	Store    inboundStore
	Media    mediaWriter
	Adapters *Adapters
	Wake     <-chan struct{}
	// Linker links a new customer to a CRM contact (F31a); nil when no CRM is configured.
	Linker linker
	Poll   time.Duration // fallback poll interval; default 2 s
	// MaxAttempts per webhook before it is left for an operator; default 10.
	MaxAttempts int
}

// Run processes webhooks until ctx ends.
func (in *Inbound) Run(ctx context.Context) {
	poll := in.Poll
	if poll == 0 {
		poll = 2 * time.Second
	}
	t := time.NewTicker(poll)
	defer t.Stop()
	prune := time.NewTicker(time.Hour)
	defer prune.Stop()
	in.prune(ctx)
	for {
		for in.Drain(ctx) > 0 {
		}
		select {
		case <-ctx.Done():
			return
		case <-in.Wake:
		case <-t.C:
		case <-prune.C:
			in.prune(ctx)
		}
	}
}

// webhookRetention is how long processed webhook bodies are kept for looking at recent traffic.
const webhookRetention = 7 * 24 * time.Hour

func (in *Inbound) prune(ctx context.Context) {
	n, err := in.Store.PruneWebhooks(ctx, time.Now().Add(-webhookRetention))
	if err != nil && ctx.Err() == nil {
		slog.Error("inbound: prune webhooks", "err", err)
	} else if n > 0 {
		slog.Info("inbound: pruned processed webhooks", "count", n)
	}
}

// Drain processes one batch of pending webhooks and returns how many it handled.
func (in *Inbound) Drain(ctx context.Context) int {
	max := in.MaxAttempts
	if max == 0 {
		max = 10
	}
	rows, err := in.Store.PendingWebhooks(ctx, 50, max)
	if err != nil {
		if ctx.Err() == nil {
			slog.Error("inbound: list webhooks", "err", err)
		}
		return 0
	}
	done := 0
	for _, w := range rows {
		perr := in.process(ctx, w)
		if perr != nil {
			slog.Warn("inbound: webhook not processed yet", "id", w.ID, "attempt", w.Attempts+1, "err", perr)
		}
		if err := in.Store.MarkWebhookProcessed(ctx, w.ID, perr); err != nil {
			slog.Error("inbound: mark webhook", "id", w.ID, "err", err)
			return done
		}
		if perr == nil {
			done++
		}
	}
	return done
}

func (in *Inbound) process(ctx context.Context, w store.RawWebhook) error {
	conn, err := in.Store.ConnectionByID(ctx, w.ConnectionID)
	if err != nil {
		return err
	}
	ws, err := in.Store.Workspace(ctx, conn.WorkspaceID)
	if err != nil {
		return err
	}
	ad, err := in.Adapters.For(conn)
	if err != nil {
		return err
	}
	b, err := ad.Parse(w.Body)
	if err != nil {
		return err
	}
	cleanBatch(&b)
	var errs []error
	for _, m := range b.Messages {
		errs = append(errs, in.message(ctx, ws, conn, ad, m))
	}
	for _, s := range b.Statuses {
		errs = append(errs, in.status(ctx, conn, s))
	}
	if len(b.Templates) > 0 {
		errs = append(errs, in.templates(ctx, conn, b.Templates))
	}
	// A reaction, edit or removal of a message the hub never had (older than the connection)
	// has nothing to change.
	known := func(_ hub.Message, err error) error {
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		return err
	}
	for _, r := range b.Reactions {
		errs = append(errs, known(in.Store.ApplyReaction(ctx, conn.ID, r.ProviderKey, r.From, r.Emoji)))
	}
	for _, e := range b.Edits {
		errs = append(errs, known(in.Store.ApplyEdit(ctx, conn.ID, e.ProviderKey, e.Text)))
	}
	for _, key := range b.Removals {
		errs = append(errs, known(in.Store.ApplyRemoval(ctx, conn.ID, key)))
	}
	for _, p := range b.Peers {
		_, err := in.Store.SetPeer(ctx, store.Peer{WorkspaceID: ws.ID, ConnectionID: conn.ID,
			ExternalChatID: p.ExternalChatID, From: p.From, Stopped: p.Stopped, At: p.At})
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// cleanBatch makes everything a webhook carried storable and harmless to show: no U+0000 nor
// invalid UTF-8 in any text (PostgreSQL refuses both, and a message refused is a message lost),
// and file names without path or format characters.
func cleanBatch(b *channel.Batch) {
	sanitize.Strings(b)
	for i := range b.Messages {
		for j, a := range b.Messages[i].Message.Attachments {
			b.Messages[i].Message.Attachments[j].Name = sanitize.FileName(a.Name)
		}
	}
}

func (in *Inbound) message(ctx context.Context, ws hub.Workspace, conn hub.Connection, ad channel.Adapter, m channel.Inbound) error {
	for i, c := range m.Message.Payload.Contacts {
		for j, p := range c.Phones {
			if e, err := phone.E164(p, ws.Country); err == nil {
				m.Message.Payload.Contacts[i].Phones[j] = e
			}
		}
	}
	res, err := in.Store.SaveInbound(ctx, store.Inbound{WorkspaceID: ws.ID, ConnectionID: conn.ID,
		ChatKind: m.ChatKind, ExternalChatID: m.ExternalChatID, ChatTitle: m.ChatTitle, From: m.From,
		ReplyToKey: m.ReplyToKey, Message: m.Message})
	if err != nil {
		return err
	}
	if in.Linker != nil && !res.Duplicate && m.ChatKind != hub.ChatGroup {
		in.Linker.Enqueue(ws, conn, res.Contact)
	}
	return in.fetchMedia(ctx, ad, res)
}

// fetchMedia downloads the message's files not stored yet (also on a redelivery, which is how a
// failed download is retried) and announces the message again once they are.
func (in *Inbound) fetchMedia(ctx context.Context, ad channel.Adapter, res store.InboundResult) error {
	fetched := false
	for _, a := range res.Message.Attachments {
		if a.StorageKey != "" || a.ProviderMediaID == "" {
			continue
		}
		f, err := ad.Fetch(ctx, a.ProviderMediaID)
		if err != nil {
			return fmt.Errorf("fetch media %s: %w", a.ProviderMediaID, err)
		}
		mime := f.MIME
		if mime == "" {
			mime = a.MIME
		}
		key, ct, err := in.Media.Put(f.Data, mime)
		if err != nil {
			return err
		}
		if err := in.Store.SetAttachmentStored(ctx, res.Message.WorkspaceID, a.ID, key, int64(len(f.Data)), ct); err != nil {
			return err
		}
		fetched = true
	}
	if !fetched || res.Message.Hidden {
		return nil
	}
	m, err := in.Store.Message(ctx, res.Message.WorkspaceID, res.Message.ID)
	if err != nil {
		return err
	}
	_, err = in.Store.AppendEvent(ctx, m.WorkspaceID, hub.EventMessageUpdated, m.ChatID, "", m)
	return err
}

// status applies a delivery report. A report for a message not known yet (the send's answer
// still being recorded) fails this attempt, so the row is tried again shortly.
func (in *Inbound) status(ctx context.Context, conn hub.Connection, s channel.Status) error {
	code, reason := "", ""
	if s.Err != nil {
		code, reason = s.Err.Code, s.Err.Reason("en")
	}
	_, _, err := in.Store.ApplyStatus(ctx, conn.ID, s.ProviderKey, s.Status, code, reason)
	return err
}

// templates applies review outcomes to the hub's copies; a template the hub does not have yet
// (created in Meta's console) is fetched by syncing the connection's list.
func (in *Inbound) templates(ctx context.Context, conn hub.Connection, updates []channel.TemplateStatus) error {
	have, err := in.Store.Templates(ctx, conn.WorkspaceID, conn.ID)
	if err != nil {
		return err
	}
	for _, u := range updates {
		i := slices.IndexFunc(have, func(t hub.Template) bool {
			return t.Kind == "waba" && t.Name == u.Name && t.Language == u.Language
		})
		if i < 0 {
			_, err := in.Adapters.SyncTemplates(ctx, in.Store, conn)
			return err
		}
		t := have[i]
		t.Status = u.Status
		if _, err := in.Store.UpsertTemplate(ctx, t); err != nil {
			return err
		}
	}
	return nil
}
