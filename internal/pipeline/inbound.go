package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"time"

	"github.com/switchboardhq/switchboard/internal/channel"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/media"
	"github.com/switchboardhq/switchboard/internal/phone"
	"github.com/switchboardhq/switchboard/internal/sanitize"
	"github.com/switchboardhq/switchboard/internal/store"
)

// inboundStore is what the inbound worker needs.
type inboundStore interface {
	ConnectionByID(ctx context.Context, id string) (hub.Connection, error)
	CachedConnection(ctx context.Context, id string) (hub.Connection, error)
	Workspace(ctx context.Context, id string) (hub.Workspace, error)
	ClaimWebhooks(ctx context.Context, owner string, now time.Time, lease time.Duration, limit int) ([]store.RawWebhook, error)
	RenewWebhooks(ctx context.Context, owner string, ids []string, until time.Time) error
	FinishWebhook(ctx context.Context, id string, now time.Time, o store.WebhookOutcome) error
	PruneWebhooks(ctx context.Context, before time.Time) (int64, error)
	ParkStatus(ctx context.Context, connectionID, providerKey, status, code, reason string, at time.Time) error
	ApplyParkedStatuses(ctx context.Context) (int, error)
	PruneParkedStatuses(ctx context.Context, before time.Time) (int64, error)
	SaveInboundBatch(ctx context.Context, now time.Time, hooks []store.InboundWebhook) ([]store.InboundSaved, error)
	ApplyStatus(ctx context.Context, connectionID, providerKey, status, code, reason string) (hub.Message, bool, error)
	ApplyReaction(ctx context.Context, connectionID, providerKey, from, emoji string) (hub.Message, error)
	ApplyEdit(ctx context.Context, connectionID, providerKey, text string) (hub.Message, error)
	ApplyRemoval(ctx context.Context, connectionID, providerKey string) (hub.Message, error)
	SetPeer(ctx context.Context, p store.Peer) (hub.Chat, error)
	SetAttachmentStored(ctx context.Context, workspaceID, id, storageKey string, size int64, mime string) error
	SetAttachmentFailed(ctx context.Context, workspaceID, id, code string) error
	Message(ctx context.Context, workspaceID, id string) (hub.Message, error)
	AppendEvent(ctx context.Context, workspaceID, typ, chatID, contactID string, data any) (int64, error)
	Templates(ctx context.Context, workspaceID, connectionID string) ([]hub.Template, error)
	UpsertTemplate(ctx context.Context, t hub.Template) (hub.Template, error)
	SetGroupTitle(ctx context.Context, workspaceID, chatID, title string) (hub.Chat, error)
}

// linker links a private chat's customer to the CRM, in the background.
type linker interface {
	Enqueue(ws hub.Workspace, conn hub.Connection, c hub.Contact)
}

// mediaWriter stores fetched files.
type mediaWriter interface {
	PutStream(ctx context.Context, r io.Reader, declaredMIME string) (key, contentType string, size int64, err error)
}

// Inbound turns stored webhooks into messages, statuses and reactions. It is woken right after
// a webhook is stored and also polls. Webhooks are claimed with a lease, so several instances
// share the work and each webhook is processed by one of them; one that fails for a passing
// reason (the provider's media server, the database) is tried again with growing delays over
// RetryWindow, and one that can never succeed is given up at once, kept for an operator.
type Inbound struct {
	Store    inboundStore
	Media    mediaWriter
	Adapters *Adapters
	Wake     <-chan struct{}
	// Linker links a new customer to a CRM contact (F31a); nil when no CRM is configured.
	Linker linker
	Poll   time.Duration // fallback poll interval; default 2 s
	Claims
	// RetryWindow is how long after its arrival a webhook is still retried; default 24 h. A
	// file still not downloaded then is marked unavailable on its message.
	RetryWindow time.Duration
	// RetryBase and RetryMax shape the delays between attempts: RetryBase doubling up to
	// RetryMax, with jitter; default 5 s and 10 min.
	RetryBase, RetryMax time.Duration
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
			in.applyParked(ctx)
		case <-prune.C:
			in.prune(ctx)
		}
	}
}

// webhookRetention is how long processed webhook bodies are kept for looking at recent
// traffic, and how long a status waits for a message the hub never recorded.
const webhookRetention = 7 * 24 * time.Hour

func (in *Inbound) prune(ctx context.Context) {
	n, err := in.Store.PruneWebhooks(ctx, in.now().Add(-webhookRetention))
	if err != nil && ctx.Err() == nil {
		slog.Error("inbound: prune webhooks", "err", err)
	} else if n > 0 {
		slog.Info("inbound: pruned processed webhooks", "count", n)
	}
	n, err = in.Store.PruneParkedStatuses(ctx, in.now().Add(-webhookRetention))
	if err != nil && ctx.Err() == nil {
		slog.Error("inbound: prune parked statuses", "err", err)
	} else if n > 0 {
		slog.Info("inbound: forgot statuses of messages this hub never recorded", "count", n)
	}
}

// applyParked applies waiting statuses whose sends have been recorded since (MarkSent applies
// them itself; this catches one whose follow-up write failed).
func (in *Inbound) applyParked(ctx context.Context) {
	if _, err := in.Store.ApplyParkedStatuses(ctx); err != nil && ctx.Err() == nil {
		slog.Error("inbound: parked statuses", "err", err)
	}
}

// batchSize is how many due webhooks one Drain claims at most. A batch's messages are written
// with a few multi-row statements (store.SaveInboundBatch), so a bigger batch costs little more
// than a small one; it holds SQLite's one writer for a few milliseconds more, during which the
// webhook endpoint's commits wait.
const batchSize = 100

// Drain claims and processes one batch of due webhooks and returns how many it claimed. The
// customer messages of the whole batch are stored in one transaction, a savepoint per webhook
// (store.SaveInboundBatch); a webhook that carried nothing else is marked processed in that
// same transaction. The rest (files to fetch, statuses, reactions, templates) follows per
// webhook, which is then marked on its own.
func (in *Inbound) Drain(ctx context.Context) int {
	rows, err := in.Store.ClaimWebhooks(ctx, in.owner(), in.now(), in.lease(), batchSize)
	if err != nil {
		if ctx.Err() == nil {
			slog.Error("inbound: claim webhooks", "err", err)
		}
		return 0
	}
	if len(rows) == 0 {
		return 0
	}
	ids := make([]string, len(rows))
	for i, w := range rows {
		ids[i] = w.ID
	}
	stop := in.hold(ctx, "webhooks", func(ctx context.Context, until time.Time) error {
		return in.Store.RenewWebhooks(ctx, in.owner(), ids, until)
	})
	defer stop()
	ps := in.parseAll(ctx, rows)
	in.saveMessages(ctx, ps)
	for _, p := range ps {
		if p.finished {
			continue
		}
		if ctx.Err() != nil {
			// Stopping: what is left of the batch is claimed again once its lease runs out,
			// as after a crash; it is no failure of the webhook's to count or report.
			return len(rows)
		}
		w := p.w
		// The next attempt's time is fixed first: whether this attempt is the last decides
		// whether a file that cannot be fetched now is given up.
		next := in.now().Add(in.retryDelay(w.Attempts + 1))
		last := next.After(w.ReceivedAt.Add(in.retryWindow()))
		err := p.err
		if err == nil {
			err = in.rest(ctx, p, last)
		}
		o := in.outcome(err, next, last)
		if o.Err != nil {
			slog.Warn("inbound: webhook not processed", "id", w.ID, "attempt", w.Attempts+1, "retry_at", o.RetryAt, "err", o.Err)
		}
		if err := in.Store.FinishWebhook(ctx, w.ID, in.now(), o); err != nil {
			// Its lease runs out and it is claimed again; processing it twice changes nothing.
			slog.Error("inbound: record webhook outcome", "id", w.ID, "err", err)
			return len(rows)
		}
	}
	return len(rows)
}

// parsedWebhook is a claimed webhook read and parsed, and what became of its messages.
type parsedWebhook struct {
	w     store.RawWebhook
	ws    hub.Workspace
	conn  hub.Connection
	ad    channel.Adapter
	batch channel.Batch
	saved []store.InboundResult
	// err is why reading, parsing or storing its messages failed.
	err error
	// finished: processed and marked so with its messages.
	finished bool
}

// onlyMessages reports whether storing the webhook's messages is all it asks for.
func (p *parsedWebhook) onlyMessages() bool {
	b := p.batch
	if len(b.Statuses)+len(b.Templates)+len(b.Reactions)+len(b.Edits)+len(b.Removals)+len(b.Peers) > 0 {
		return false
	}
	return !slices.ContainsFunc(b.Messages, func(m channel.Inbound) bool { return len(m.Message.Attachments) > 0 })
}

// parseAll reads each webhook's connection and workspace (once per connection in the batch)
// and parses its body. The connection is the one the webhook endpoint checked the webhook
// against (store.CachedConnection, read at most store.ConnectionTTL ago): one deleted on
// another instance meanwhile is found gone once that runs out, and its webhook tried again
// until then (its chat cannot be written).
func (in *Inbound) parseAll(ctx context.Context, rows []store.RawWebhook) []*parsedWebhook {
	type source struct {
		ws   hub.Workspace
		conn hub.Connection
		err  error
	}
	seen := map[string]source{}
	out := make([]*parsedWebhook, len(rows))
	for i, w := range rows {
		p := &parsedWebhook{w: w}
		out[i] = p
		src, ok := seen[w.ConnectionID]
		if !ok {
			src.conn, src.err = in.Store.CachedConnection(ctx, w.ConnectionID)
			if src.err == nil {
				src.ws, src.err = in.Store.Workspace(ctx, src.conn.WorkspaceID)
			}
			src.err = gone(src.err)
			seen[w.ConnectionID] = src
		}
		if p.ws, p.conn, p.err = src.ws, src.conn, src.err; p.err != nil {
			continue
		}
		if p.ad, p.err = in.Adapters.For(p.conn); p.err != nil {
			p.err = permanentError{p.err}
			continue
		}
		if p.batch, p.err = p.ad.Parse(w.Body); p.err != nil {
			p.err = permanentError{p.err}
			continue
		}
		cleanBatch(&p.batch)
	}
	return out
}

// saveMessages stores the customer messages of every parsed webhook in one transaction.
func (in *Inbound) saveMessages(ctx context.Context, ps []*parsedWebhook) {
	var hooks []store.InboundWebhook
	var of []*parsedWebhook
	for _, p := range ps {
		if p.err != nil {
			continue
		}
		h := store.InboundWebhook{WebhookID: p.w.ID, Finish: p.onlyMessages()}
		for _, m := range p.batch.Messages {
			h.Messages = append(h.Messages, inboundOf(p.ws, p.conn, m))
		}
		hooks, of = append(hooks, h), append(of, p)
	}
	if len(hooks) == 0 {
		return
	}
	saved, err := in.Store.SaveInboundBatch(ctx, in.now(), hooks)
	for i, p := range of {
		switch {
		case err != nil:
			p.err = err
		case saved[i].Err != nil:
			p.err = saved[i].Err
		default:
			p.saved, p.finished = saved[i].Results, hooks[i].Finish
			in.link(p)
			in.nameGroups(ctx, p)
		}
	}
}

// link has the CRM linker look at each new private chat's customer.
func (in *Inbound) link(p *parsedWebhook) {
	if in.Linker == nil {
		return
	}
	for i, r := range p.saved {
		if !r.Duplicate && p.batch.Messages[i].ChatKind != hub.ChatGroup {
			in.Linker.Enqueue(p.ws, p.conn, r.Contact)
		}
	}
}

// groupTitleTimeout bounds asking a messenger for a group's title: the messages are stored
// already, and the next message of the group asks again.
const groupTitleTimeout = 10 * time.Second

// nameGroups asks the messenger for the title of each group chat the webhook's messages opened
// without one (MAX sends only the chat's id). A failure leaves the chat untitled until its next
// message: the chat list shows the group by its id meanwhile.
func (in *Inbound) nameGroups(ctx context.Context, p *parsedWebhook) {
	titler, ok := p.ad.(channel.GroupTitler)
	if !ok {
		return
	}
	asked := map[string]bool{}
	for _, r := range p.saved {
		if r.Duplicate || r.Chat.Kind != hub.ChatGroup || r.Chat.Title != "" || asked[r.Chat.ID] {
			continue
		}
		asked[r.Chat.ID] = true
		callCtx, cancel := context.WithTimeout(ctx, groupTitleTimeout)
		title, err := titler.GroupTitle(callCtx, r.Chat.ExternalChatID)
		cancel()
		if err == nil && title != "" {
			_, err = in.Store.SetGroupTitle(ctx, r.Chat.WorkspaceID, r.Chat.ID, sanitize.Text(title))
		}
		if err != nil {
			slog.Warn("inbound: group title", "chat", r.Chat.ID, "err", err)
		}
	}
}

// permanentError marks a failure that no retry can cure (a body that does not parse, a
// connection that no longer exists): the webhook is given up at once.
type permanentError struct{ error }

func (e permanentError) Unwrap() error { return e.error }

// outcome decides what becomes of a webhook after an attempt that ended with err: processed,
// tried again at next, or given up (a permanent error, or the last attempt of the window).
func (in *Inbound) outcome(err error, next time.Time, last bool) store.WebhookOutcome {
	var perm permanentError
	switch {
	case err == nil:
		return store.WebhookOutcome{}
	case errors.As(err, &perm):
		return store.WebhookOutcome{Err: err}
	case last:
		return store.WebhookOutcome{Err: fmt.Errorf("retried for %s: %w", in.retryWindow(), err)}
	}
	return store.WebhookOutcome{Err: err, RetryAt: next}
}

func (in *Inbound) retryDelay(attempt int) time.Duration {
	base, max := in.RetryBase, in.RetryMax
	if base == 0 {
		base = 5 * time.Second
	}
	if max == 0 {
		max = 10 * time.Minute
	}
	return backoff(base, max, attempt)
}

func (in *Inbound) retryWindow() time.Duration {
	if in.RetryWindow > 0 {
		return in.RetryWindow
	}
	return 24 * time.Hour
}

// rest does what a webhook asks beyond storing its messages: their files, then statuses,
// templates, reactions, edits, removals and peers.
func (in *Inbound) rest(ctx context.Context, p *parsedWebhook, last bool) error {
	conn, ws, b := p.conn, p.ws, p.batch
	var errs []error
	for _, res := range p.saved {
		errs = append(errs, in.fetchMedia(ctx, p.ad, res, last))
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

// gone makes a missing connection or workspace permanent; other lookup failures (the database)
// pass.
func gone(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return permanentError{err}
	}
	return err
}

// inboundOf is a parsed message as the store takes it, the phone numbers of shared contacts
// in E.164 where the workspace's country makes them readable.
func inboundOf(ws hub.Workspace, conn hub.Connection, m channel.Inbound) store.Inbound {
	for i, c := range m.Message.Payload.Contacts {
		for j, p := range c.Phones {
			if e, err := phone.E164(p, ws.Country); err == nil {
				m.Message.Payload.Contacts[i].Phones[j] = e
			}
		}
	}
	return store.Inbound{WorkspaceID: ws.ID, ConnectionID: conn.ID,
		ChatKind: m.ChatKind, ExternalChatID: m.ExternalChatID, ChatTitle: m.ChatTitle, From: m.From,
		ReplyToKey: m.ReplyToKey, Message: m.Message}
}

// fetchMedia downloads the message's files not stored yet (also on a redelivery or a retry of
// the webhook, which is how a failed download is tried again) and announces the message again
// once they are stored or given up. A file the provider refuses for good, or still cannot give
// on the last attempt, is marked unavailable with the reason, which the employee sees.
func (in *Inbound) fetchMedia(ctx context.Context, ad channel.Adapter, res store.InboundResult, last bool) error {
	changed := false
	var retry error
	for _, a := range res.Message.Attachments {
		if a.StorageKey != "" || a.ProviderMediaID == "" || a.ErrorCode != "" {
			continue
		}
		err := in.fetchOne(ctx, ad, res.Message.WorkspaceID, a)
		code := mediaFailure(err)
		switch {
		case err == nil:
			changed = true
			continue
		case code == "" && !last:
			retry = errors.Join(retry, err)
			continue
		case code == "":
			code = CodeMediaUnavailable
		}
		slog.Warn("inbound: file given up", "attachment", a.ID, "code", code, "err", err)
		if err := in.Store.SetAttachmentFailed(ctx, res.Message.WorkspaceID, a.ID, code); err != nil {
			retry = errors.Join(retry, err)
			continue
		}
		changed = true
	}
	if changed && !res.Message.Hidden {
		m, err := in.Store.Message(ctx, res.Message.WorkspaceID, res.Message.ID)
		if err != nil {
			return errors.Join(retry, err)
		}
		if _, err = in.Store.AppendEvent(ctx, m.WorkspaceID, hub.EventMessageUpdated, m.ChatID, "", m); err != nil {
			return errors.Join(retry, err)
		}
	}
	return retry
}

// Attachment failure codes (error.* in the catalogue).
const (
	CodeMediaUnavailable = "media_unavailable" // the provider kept failing until the retry window ended
	CodeMediaRejected    = "media_rejected"    // the provider refused the download for good
	CodeMediaTooLarge    = "media_too_large"
)

// mediaFailure is the code of a download failure no retry can cure, or "" for one worth trying
// again (the provider busy or unreachable, the media store or database failing).
func mediaFailure(err error) string {
	var ce *channel.Error
	switch {
	case err == nil:
		return ""
	case errors.Is(err, media.ErrTooLarge) || channel.TooLarge(err):
		return CodeMediaTooLarge
	case errors.As(err, &ce) && !ce.Transient:
		return CodeMediaRejected
	}
	return ""
}

// fileTimeout bounds fetching one file and storing it. The provider's side gives up sooner (a
// download within its client's 30 s); the bound is for the media store's side: an S3 server
// that never answers would otherwise hold the inbound worker, and every webhook after this
// one, for as long as minio-go retries (ten attempts of up to a minute each), with nothing
// logged. Past it the webhook is reported not processed and tried again later.
const fileTimeout = 2 * time.Minute

// fetchOne streams a file from the provider into the media store: never whole in memory, at
// most the adapter's and the store's limit, and nothing kept when the download breaks off.
func (in *Inbound) fetchOne(ctx context.Context, ad channel.Adapter, workspaceID string, a hub.Attachment) error {
	fileCtx, cancel := context.WithTimeout(ctx, fileTimeout)
	defer cancel()
	d, err := ad.Fetch(fileCtx, a.ProviderMediaID)
	if err != nil {
		return fmt.Errorf("fetch media %s: %w", a.ProviderMediaID, err)
	}
	defer d.Body.Close()
	mime := d.MIME
	if mime == "" {
		mime = a.MIME
	}
	key, ct, size, err := in.Media.PutStream(fileCtx, d.Body, mime)
	if err != nil {
		return fmt.Errorf("fetch media %s: %w", a.ProviderMediaID, err)
	}
	return in.Store.SetAttachmentStored(ctx, workspaceID, a.ID, key, size, ct)
}

// status applies a delivery report. A report for a message the hub has not recorded yet (the
// send's answer still on its way) is parked and applied when the send is recorded.
func (in *Inbound) status(ctx context.Context, conn hub.Connection, s channel.Status) error {
	code, reason := "", ""
	if s.Err != nil {
		code, reason = s.Err.Code, s.Err.Reason("en")
	}
	_, _, err := in.Store.ApplyStatus(ctx, conn.ID, s.ProviderKey, s.Status, code, reason)
	if errors.Is(err, store.ErrNotFound) {
		return in.Store.ParkStatus(ctx, conn.ID, s.ProviderKey, s.Status, code, reason, in.now())
	}
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
