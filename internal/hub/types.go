// Package hub holds the domain: workspaces, employees, contacts, chats, messages and the rules
// that govern them. It does no I/O of its own; adapters call it and it calls the store.
package hub

import "time"

// Workspace is one CRM account (one company).
type Workspace struct {
	ID           string
	Name         string
	CRMKind      string // "amocrm"
	CRMAccountID int64
	CRMBaseURL   string // e.g. https://example.amocrm.ru, or the sandbox's URL
	Country      string // ISO 3166 region used to read local phone formats
	Subscription Subscription
	CreatedAt    time.Time
}

// Subscription is what the workspace has paid for; the operator API sets it (a billing system
// calls it), and a fresh install starts with a trial (Trial).
type Subscription struct {
	Active        bool
	Paid          bool
	TemplatesPaid bool
	// EndsAt is when the subscription stops being active; zero means it does not end.
	EndsAt time.Time
}

// ActiveAt reports whether the subscription is active at now: switched on and not yet ended.
func (s Subscription) ActiveAt(now time.Time) bool {
	return s.Active && (s.EndsAt.IsZero() || now.Before(s.EndsAt))
}

// Trial is what a freshly installed workspace gets, so its first reply works (F1): everything
// included for days days from now. days <= 0 gives no trial (inactive until the operator sets it).
func Trial(now time.Time, days int) Subscription {
	if days <= 0 {
		return Subscription{}
	}
	return Subscription{Active: true, Paid: true, TemplatesPaid: true, EndsAt: now.AddDate(0, 0, days)}
}

// Roles of an employee in the chat window.
const (
	RoleManager = "manager"
	RoleAdmin   = "admin"
)

// Employee is a CRM user known to the hub (F2).
type Employee struct {
	ID          string
	WorkspaceID string
	CRMUserID   int64
	Name        string
	Email       string
	Role        string
	Lang        string
	CreatedAt   time.Time
}

// IsAdmin reports whether the employee has the admin role (F3).
func (e Employee) IsAdmin() bool { return e.Role == RoleAdmin }

// Connection kinds.
const (
	KindWABA        = "waba"
	KindTelegramBot = "telegram_bot"
	KindMaxBot      = "max_bot"
)

// Connection statuses.
const (
	StatusWorking    = "working"
	StatusAuthFailed = "auth_failed"
)

// Connection is one messenger account plugged into a workspace.
type Connection struct {
	ID             string
	WorkspaceID    string
	Kind           string
	Name           string
	ExternalID     string            // WABA phone_number_id, Telegram or MAX bot id
	Settings       map[string]string // non-secret settings (WABA id, API base URL, display phone)
	Secrets        map[string]string // tokens and app secrets; encrypted at rest
	InSubscription bool
	Status         string
	StatusDetail   string
	// DefaultResponsibleUserID is the CRM user a new customer's CRM contact is assigned to (F31a).
	DefaultResponsibleUserID int64
	CreatedAt                time.Time
	// DisabledAt is when an admin switched the connection off (zero: on): nothing is sent or
	// created on it; inbound is still stored.
	DisabledAt time.Time
}

// Disabled reports whether an admin switched the connection off.
func (c Connection) Disabled() bool { return !c.DisabledAt.IsZero() }

// Contact is one person's messenger identity in a workspace.
type Contact struct {
	ID               string
	WorkspaceID      string
	Name             string
	AvatarURL        string
	Email            string
	WAID             string // WhatsApp wa_id, "" when unknown
	TelegramUserID   int64  // 0 when unknown
	TelegramUsername string
	MaxUserID        int64 // MAX user id, 0 when unknown
	MaxUsername      string
	Phones           []string // E.164
	CRMContactIDs    []int64
	Blocked          bool
	UnansweredChats  int
	LastActivityAt   time.Time
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

// Chat kinds.
const (
	ChatPrivate = "private"
	ChatGroup   = "group"
)

// Chat is one conversation of one connection.
type Chat struct {
	ID              string
	WorkspaceID     string
	ConnectionID    string
	Kind            string
	ContactID       string // "" for groups
	ExternalChatID  string // wa_id, Telegram chat id, MAX user id (private) or chat id (group)
	Title           string
	UnansweredCount int
	RefusedCount    int
	LastMessage     *Message
	LastActivityAt  time.Time
	LastInboundAt   time.Time // zero when the customer never wrote
	// StoppedAt is when the customer stopped the bot (MAX bot_stopped); zero while it may write.
	StoppedAt time.Time
	CreatedAt time.Time
}
