package amojo

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/switchboardhq/switchboard/internal/crm"
	"github.com/switchboardhq/switchboard/internal/crm/amocrm"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/media"
	"github.com/switchboardhq/switchboard/internal/messaging"
	"github.com/switchboardhq/switchboard/internal/store"
)

// Store is what the mirror keeps and reads in the hub's database.
type Store interface {
	AmojoAccount(ctx context.Context, workspaceID string) (store.AmojoAccount, error)
	AmojoAccounts(ctx context.Context) ([]store.AmojoAccount, error)
	AmojoAccountByScope(ctx context.Context, scopeID string) (store.AmojoAccount, error)
	SetAmojoEnabled(ctx context.Context, workspaceID string, on bool) (store.AmojoAccount, error)
	SetAmojoScope(ctx context.Context, workspaceID, accountAmojoID, scopeID string) error
	SetAmojoError(ctx context.Context, workspaceID, lastErr string) error
	AdvanceAmojo(ctx context.Context, workspaceID string, limit int, translate func(hub.Event) []store.AmojoJob) (int, error)
	EnqueueAmojo(ctx context.Context, j store.AmojoJob) error
	ClaimAmojoJob(ctx context.Context, workspaceID string, now time.Time, lease time.Duration) (store.AmojoJob, bool, error)
	FinishAmojoJob(ctx context.Context, id, state, lastErr string) error
	RescheduleAmojoJob(ctx context.Context, id string, at time.Time, lastErr string) error
	AmojoBacklog(ctx context.Context, workspaceID string) (int, error)
	AmojoChat(ctx context.Context, workspaceID, chatID string) (string, error)
	SaveAmojoChat(ctx context.Context, workspaceID, chatID, amojoChatID string) error
	AmojoMessage(ctx context.Context, workspaceID, messageID string) (string, string, error)
	SaveAmojoMessage(ctx context.Context, workspaceID, messageID, amojoMsgID string) error
	MessageByAmojoID(ctx context.Context, workspaceID, amojoMsgID string) (string, error)
	SetAmojoMessageStatus(ctx context.Context, workspaceID, messageID, status string) error
	AmojoReaction(ctx context.Context, workspaceID, messageID string) (string, error)
	SetAmojoReaction(ctx context.Context, workspaceID, messageID, emoji string) error
	SaveAmojoUsers(ctx context.Context, workspaceID string, ids map[int64]string) error
	AmojoUser(ctx context.Context, workspaceID string, crmUserID int64) (string, error)
	CRMUserByAmojo(ctx context.Context, workspaceID, amojoID string) (int64, error)
	AmojoSources(ctx context.Context, workspaceID string) ([]store.AmojoSource, error)
	SaveAmojoSource(ctx context.Context, workspaceID string, x store.AmojoSource) error
	SaveAmojoHook(ctx context.Context, workspaceID, body string) (string, error)
	ClaimAmojoHook(ctx context.Context, now time.Time, lease time.Duration) (store.AmojoHook, bool, error)
	FinishAmojoHook(ctx context.Context, id, state, lastErr string) error
	RescheduleAmojoHook(ctx context.Context, id string, at time.Time, lastErr string) error
	PruneAmojo(ctx context.Context, before time.Time) (int64, error)

	Workspace(ctx context.Context, id string) (hub.Workspace, error)
	Connection(ctx context.Context, workspaceID, id string) (hub.Connection, error)
	Connections(ctx context.Context, workspaceID string) ([]hub.Connection, error)
	Chat(ctx context.Context, workspaceID, id string) (hub.Chat, error)
	Contact(ctx context.Context, workspaceID, id string) (hub.Contact, error)
	LinkCRMContacts(ctx context.Context, workspaceID, contactID string, ids []int64) (hub.Contact, error)
	Message(ctx context.Context, workspaceID, id string) (hub.Message, error)
	MessageByClientID(ctx context.Context, workspaceID, chatID, clientID string) (hub.Message, error)
	Employee(ctx context.Context, workspaceID, id string) (hub.Employee, error)
	CreateUpload(ctx context.Context, u store.Upload) (store.Upload, error)
}

var _ Store = (*store.Store)(nil)

// CRM is the amoCRM REST side the mirror needs (the amoCRM adapter).
type CRM interface {
	AccountAmojoID(ctx context.Context, ws hub.Workspace) (string, error)
	UserAmojoIDs(ctx context.Context, ws hub.Workspace) (map[int64]string, error)
	ChatContact(ctx context.Context, ws hub.Workspace, chatID string) (int64, error)
	LinkChat(ctx context.Context, ws hub.Workspace, chatID string, contactID int64) error
	FindContacts(ctx context.Context, ws hub.Workspace, c hub.Contact) ([]int64, error)
	ContactDeals(ctx context.Context, ws hub.Workspace, contactID int64) ([]int64, error)
	SaveSource(ctx context.Context, ws hub.Workspace, s amocrm.Source) (int64, error)
	SourceByExternalID(ctx context.Context, ws hub.Workspace, externalID string) (amocrm.Source, bool, error)
	Pipelines(ctx context.Context, ws hub.Workspace) ([]amocrm.Pipeline, error)
	EmployeeFor(ctx context.Context, ws hub.Workspace, crmUserID int64) (hub.Employee, error)
}

var _ CRM = (*amocrm.Adapter)(nil)

// Sender is the hub's own send path (messaging.Service): a manager's reply typed in amoCRM
// goes through it like one from the chat window.
type Sender interface {
	Send(ctx context.Context, who messaging.Actor, chatID string, out messaging.Outgoing) (hub.Message, bool, error)
	React(ctx context.Context, who messaging.Actor, chatID, messageID, emoji string) (hub.Message, error)
	Typing(ctx context.Context, who messaging.Actor, chatID string) error
}

// Media is the hub's media store: files amoCRM fetches by signed links, and files of managers'
// replies fetched from amoCRM.
type Media interface {
	Open(ctx context.Context, key string) (media.Object, error)
	PutStream(ctx context.Context, r io.Reader, declaredMIME string) (key, contentType string, size int64, err error)
}

// Mirror mirrors the hub's conversations into amoCRM's own chats for every workspace that
// switched it on: inbound and window-sent messages and delivery statuses go out through a
// durable outbox fed from the event log, in order per workspace, retried with backoff (an
// amojo outage delays them, loses nothing, and never holds up the customer's conversation);
// managers' replies come in as signed hooks, stored before they are answered and sent through
// the hub's send path.
type Mirror struct {
	Client    *Client
	Store     Store
	CRM       CRM
	Messaging Sender
	Media     Media
	// PublicURL is the hub's address, for media links and the hook URL.
	PublicURL string
	// MediaKey signs media links (a key of its own, derived from the hub's secret key).
	MediaKey []byte
	// Title is how the channel is named in amoCRM.
	Title string
	// Now is the clock of retries and leases (tests set it); nil: time.Now.
	Now func() time.Time
	// Backoff is the wait before try n+1 after n failures; nil: 2 s doubling to 5 minutes.
	Backoff func(attempts int) time.Duration
	// Poll is how often the outbox is looked at without a wake-up; 0: a second.
	Poll time.Duration

	wake     chan struct{}
	initOnce sync.Once
	mu       sync.Mutex
	// nextConnect is, per workspace, when connecting may be tried again.
	nextConnect map[string]time.Time
	// nextPrune is when finished jobs and hooks are next dropped.
	nextPrune time.Time
}

func (m *Mirror) init() {
	m.initOnce.Do(func() {
		m.wake = make(chan struct{}, 1)
		m.nextConnect = map[string]time.Time{}
	})
}

func (m *Mirror) now() time.Time {
	if m.Now != nil {
		return m.Now()
	}
	return time.Now()
}

func (m *Mirror) backoff(attempts int) time.Duration {
	if m.Backoff != nil {
		return m.Backoff(attempts)
	}
	d := 2 * time.Second
	for i := 1; i < attempts && d < 5*time.Minute; i++ {
		d *= 2
	}
	return min(d, 5*time.Minute)
}

// Wake tells the runner there is work (an event, a hook); a wake-up already pending is enough.
func (m *Mirror) Wake() {
	m.init()
	select {
	case m.wake <- struct{}{}:
	default:
	}
}

// Enabled reports whether the workspace's mirror is on. With it on, amoCRM makes the CRM
// contact of a new customer (with its incoming lead), so the hub makes none itself (F31a).
func (m *Mirror) Enabled(ctx context.Context, workspaceID string) bool {
	a, err := m.Store.AmojoAccount(ctx, workspaceID)
	return err == nil && a.Enabled
}

// Status is the mirror's state as the cabinet shows it.
type Status = crm.ChatsStatus

// StatusOf reads the workspace's mirror.
func (m *Mirror) StatusOf(ctx context.Context, workspaceID string) (Status, error) {
	a, err := m.Store.AmojoAccount(ctx, workspaceID)
	if errors.Is(err, store.ErrNotFound) {
		return Status{}, nil
	} else if err != nil {
		return Status{}, err
	}
	n, err := m.Store.AmojoBacklog(ctx, workspaceID)
	return Status{Enabled: a.Enabled, Connected: a.ScopeID != "", LastError: a.LastError, Backlog: n}, err
}

// SetEnabled switches the workspace's mirror on (connecting the channel to the account at once;
// a failure is recorded and retried by Run) or off (disconnecting it).
func (m *Mirror) SetEnabled(ctx context.Context, ws hub.Workspace, on bool) (Status, error) {
	a, err := m.Store.SetAmojoEnabled(ctx, ws.ID, on)
	if err != nil {
		return Status{}, err
	}
	if on {
		if err := m.connect(ctx, ws); err != nil {
			slog.Warn("amojo: connect failed; will retry", "workspace", ws.ID, "err", err)
		}
	} else if a.AccountAmojoID != "" {
		if err := m.Client.Disconnect(ctx, a.AccountAmojoID); err != nil {
			slog.Warn("amojo: disconnect failed", "workspace", ws.ID, "err", err)
		}
		if err := m.Store.SetAmojoScope(ctx, ws.ID, a.AccountAmojoID, ""); err != nil {
			return Status{}, err
		}
	}
	m.Wake()
	return m.StatusOf(ctx, ws.ID)
}

// connect connects the channel to the account (again after a reinstall: amoCRM disconnects it
// when the integration is disabled), caches the users' amojo ids, and makes each connection's
// source.
func (m *Mirror) connect(ctx context.Context, ws hub.Workspace) error {
	fail := func(err error) error {
		if e := m.Store.SetAmojoError(ctx, ws.ID, err.Error()); e != nil {
			return e
		}
		return err
	}
	accountID, err := m.CRM.AccountAmojoID(ctx, ws)
	if err != nil {
		return fail(err)
	}
	scope, err := m.Client.Connect(ctx, accountID, m.Title)
	if err != nil {
		return fail(err)
	}
	users, err := m.CRM.UserAmojoIDs(ctx, ws)
	if err != nil {
		return fail(err)
	}
	if err := m.Store.SaveAmojoUsers(ctx, ws.ID, users); err != nil {
		return err
	}
	if err := m.Store.SetAmojoScope(ctx, ws.ID, accountID, scope); err != nil {
		return err
	}
	conns, err := m.Store.Connections(ctx, ws.ID)
	if err != nil {
		return err
	}
	for _, c := range conns {
		if _, err := m.source(ctx, ws, c); err != nil {
			slog.Warn("amojo: source not made; retried with the connection's next message", "connection", c.ID, "err", err)
		}
	}
	return nil
}

// Installed reconnects a workspace whose mirror is on after the integration was installed
// (again).
func (m *Mirror) Installed(ctx context.Context, ws hub.Workspace) {
	if !m.Enabled(ctx, ws.ID) {
		return
	}
	if err := m.connect(ctx, ws); err != nil {
		slog.Warn("amojo: reconnect after install failed; will retry", "workspace", ws.ID, "err", err)
	}
	m.Wake()
}

// Uninstalled forgets the scope of a workspace whose integration was removed (amoCRM
// disconnects the channel then); the switch stays, so a reinstall reconnects.
func (m *Mirror) Uninstalled(ctx context.Context, ws hub.Workspace) {
	a, err := m.Store.AmojoAccount(ctx, ws.ID)
	if err != nil || a.AccountAmojoID == "" {
		return
	}
	if err := m.Client.Disconnect(ctx, a.AccountAmojoID); err != nil {
		slog.Info("amojo: disconnect after uninstall", "workspace", ws.ID, "err", err)
	}
	if err := m.Store.SetAmojoScope(ctx, ws.ID, a.AccountAmojoID, ""); err != nil {
		slog.Warn("amojo: forget scope", "workspace", ws.ID, "err", err)
	}
}

// Mount adds the hook route and the media links amoCRM fetches.
func (m *Mirror) Mount(mux *http.ServeMux) {
	mux.HandleFunc("POST "+HookPath+"{scope_id}", m.hook)
	mux.HandleFunc("GET "+mediaPath+"{workspace}/{message}/{attachment}", m.serveMedia)
}

// HookPath is where amoCRM sends the channel's hooks; registered with amoCRM as
// <public URL>/amojo/hooks/:scope_id.
const HookPath = "/amojo/hooks/"

// HookURL is the hook address to register with amoCRM, with its :scope_id marker.
func (m *Mirror) HookURL() string { return m.PublicURL + HookPath + ":scope_id" }
