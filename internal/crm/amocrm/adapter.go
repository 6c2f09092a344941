package amocrm

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

// Store is what the adapter keeps in the hub's database.
type Store interface {
	LoadCRMTokens(ctx context.Context, workspaceID string) (store.CRMTokens, error)
	SaveCRMTokens(ctx context.Context, workspaceID string, t store.CRMTokens, expectVersion int64) (bool, error)
	ClaimCRMRefresh(ctx context.Context, workspaceID, owner string, version int64, now, until time.Time) (bool, error)
	ReleaseCRMRefresh(ctx context.Context, workspaceID, owner string) error
	DeleteCRMTokens(ctx context.Context, workspaceID string) error
	CreateWorkspace(ctx context.Context, w hub.Workspace) (hub.Workspace, error)
	UpdateWorkspace(ctx context.Context, w hub.Workspace) error
	WorkspaceByCRM(ctx context.Context, kind string, accountID int64) (hub.Workspace, error)
	Workspaces(ctx context.Context) ([]hub.Workspace, error)
	SaveCRMUser(ctx context.Context, workspaceID string, u store.CRMUser) error
	CRMUser(ctx context.Context, workspaceID string, id int64) (store.CRMUser, error)
	SaveCRMContact(ctx context.Context, workspaceID string, e store.CRMEntity) error
	SaveCRMLead(ctx context.Context, workspaceID string, e store.CRMEntity, contactIDs []int64) error
	UseTokenID(ctx context.Context, jti string, expires time.Time) (bool, error)
	ProvisionEmployee(ctx context.Context, e hub.Employee) (hub.Employee, bool, error)
	Employees(ctx context.Context, workspaceID string) ([]hub.Employee, error)
}

var _ Store = (*store.Store)(nil)

// CRMKind is the workspaces.crm_kind of amoCRM accounts.
const CRMKind = "amocrm"

// Adapter talks to amoCRM for every workspace. Safe for concurrent use.
type Adapter struct {
	// Installed and Uninstalled, when set, are told when an account installs the integration
	// (again) and when the CRM reports it removed (the chats mirror reconnects and disconnects).
	Installed, Uninstalled func(ctx context.Context, ws hub.Workspace)

	cfg   Config
	store Store
	http  *http.Client
	clock clockwork.Clock
	// owner names this instance in refresh leases; lease is how long it may hold one, poll how
	// often it looks for another instance's new tokens while that one holds it.
	owner       string
	lease, poll time.Duration

	mu       sync.Mutex
	locks    map[string]*sync.Mutex // per workspace: token refresh
	limiters map[string]*window     // per workspace: request rate
}

// Option changes an adapter's defaults; tests use them.
type Option func(*Adapter)

// WithRefreshLease sets how long one instance may hold the right to spend the refresh token
// (default a minute; its call to the CRM is cut off at half of it) and how often the others
// look for its new tokens meanwhile (default 200 ms).
func WithRefreshLease(lease, poll time.Duration) Option {
	return func(a *Adapter) { a.lease, a.poll = lease, poll }
}

// New returns an adapter; client nil means a client with a 30 s timeout.
func New(cfg Config, st Store, client *http.Client, opts ...Option) *Adapter {
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	clock := cfg.Clock
	if clock == nil {
		clock = clockwork.NewRealClock()
	}
	id := make([]byte, 8)
	rand.Read(id)
	a := &Adapter{cfg: cfg, store: st, http: client, clock: clock,
		owner: hex.EncodeToString(id), lease: time.Minute, poll: 200 * time.Millisecond,
		locks: map[string]*sync.Mutex{}, limiters: map[string]*window{}}
	for _, o := range opts {
		o(a)
	}
	return a
}

func (a *Adapter) now() time.Time { return a.clock.Now() }

// Config returns the integration's settings.
func (a *Adapter) Config() Config { return a.cfg }

func (a *Adapter) accountLock(workspaceID string) *sync.Mutex {
	a.mu.Lock()
	defer a.mu.Unlock()
	m, ok := a.locks[workspaceID]
	if !ok {
		m = &sync.Mutex{}
		a.locks[workspaceID] = m
	}
	return m
}

func (a *Adapter) limiter(workspaceID string) *window {
	a.mu.Lock()
	defer a.mu.Unlock()
	l, ok := a.limiters[workspaceID]
	if !ok {
		l = newWindow(clockwork.NewRealClock())
		a.limiters[workspaceID] = l
	}
	return l
}
