package httpapi

import (
	"context"
	"io"
	"net/http"

	"github.com/switchboardhq/switchboard/internal/apierr"
	"github.com/switchboardhq/switchboard/internal/auth"
	"github.com/switchboardhq/switchboard/internal/crmsync"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/respond"
)

// Cabinet is what the web cabinet's API (/api/cabinet/v1) needs beyond the store. A part left
// nil makes the endpoints that need it answer 501 feature_missing naming the part, never a
// made-up answer.
type Cabinet struct {
	// Signer signs the cabinet's cookie and hand-off codes; it must have a purpose of its own
	// (auth.NewSignerFor(key, "cabinet")) so a chat window token never opens the cabinet.
	Signer *auth.Signer
	// Handoff signs the one-time codes that carry a chat window's admin session into a cabinet
	// tab (auth.NewSignerFor(key, "cabinet handoff")).
	Handoff *auth.Signer
	// PublicURL is the hub's address as the outside world sees it (webhook URLs, the widget).
	PublicURL string
	// AuthorizeURL is the CRM's OAuth page "Connect amoCRM" sends the browser to (amoCRM's,
	// or the sandbox stand-in's), ClientID the integration's id.
	AuthorizeURL string
	ClientID     string
	// Sync runs and reports the CRM sync (nil: the amoCRM adapter is not wired).
	Sync CRMSync
	// Channels checks credentials with a messenger and registers webhooks (nil: the channel
	// adapters are not wired).
	Channels ChannelSetup
	// Widget writes the amoCRM widget archive for this hub (nil: the packer is not wired).
	Widget func(w io.Writer, publicURL string) error
	// WABABaseURL and TelegramBaseURL, when set, are stored on new connections as their API
	// address (the sandbox stand-ins); empty means the providers' real APIs.
	WABABaseURL     string
	TelegramBaseURL string
	// Sandbox tells the pages to point at the sandbox's provider console for new numbers and bots.
	Sandbox bool
	// CRMChats is the mirror into amoCRM's own chats (nil: no chats channel configured).
	CRMChats CRMChats
	// Added, when set, hears of every connection the cabinet created (the sandbox's customer
	// simulator offers it to customers at once).
	Added func(c hub.Connection)
}

// CRMSync is the CRM sync as the cabinet uses it (crmsync.Runner).
type CRMSync interface {
	Start(ws hub.Workspace) bool
	Progress(ctx context.Context, workspaceID string) (crmsync.Progress, error)
	SyncUsers(ctx context.Context, ws hub.Workspace) error
}

// ChannelSetup talks to a messenger for the cabinet and knows how each kind of connection
// keeps its settings and secrets. Refusals of credentials are *SetupError.
type ChannelSetup interface {
	// PrepareWABA checks a WABA number's credentials with the provider and returns the
	// connection to store (id, workspace and default user as given) and the account's templates.
	PrepareWABA(ctx context.Context, c hub.Connection, in WABACredentials) (hub.Connection, []hub.Template, error)
	// PrepareTelegram asks the Bot API whose token it is (getMe) and returns the connection to
	// store, with the bot as its name and a fresh webhook secret token among its secrets.
	PrepareTelegram(ctx context.Context, c hub.Connection, botToken string) (hub.Connection, error)
	// PrepareMax asks MAX whose token it is (GET /me) and returns the connection to store, with
	// the bot as its name, delivery ("webhook" or "polling") and a fresh webhook secret.
	PrepareMax(ctx context.Context, c hub.Connection, botToken, delivery string) (hub.Connection, error)
	// RegisterWebhook points a bot's updates at url with its secret (Telegram setWebhook, MAX
	// POST /subscriptions, or for a MAX bot on long polling removes it); WABA webhooks are set
	// in Meta's console, so it does nothing for them.
	RegisterWebhook(ctx context.Context, c hub.Connection, url string) error
	// Templates lists a WABA connection's templates with their review status.
	Templates(ctx context.Context, c hub.Connection) ([]hub.Template, error)
	// Rekey checks new credentials of a connection with the provider (a bot's token must be
	// the same bot's) and returns the connection with them and, for WABA, its templates; a bot's
	// webhook is set again at url.
	Rekey(ctx context.Context, c hub.Connection, creds Credentials, url string) (hub.Connection, []hub.Template, error)
}

// Credentials are replacement secrets for a connection; empty ones stay as they are.
type Credentials struct {
	AccessToken, AppSecret string // WABA
	BotToken               string // Telegram, MAX
}

// WABACredentials is what an admin copies from Meta's console for one phone number.
type WABACredentials struct {
	PhoneNumberID, WABAID, AccessToken, AppSecret, VerifyToken string
	// BaseURL is the Graph API address ("" for Meta's).
	BaseURL string
}

// SetupError is a provider's refusal, in words an admin can act on (never containing a
// secret). Auth is set when the provider rejected the credentials themselves.
type SetupError struct {
	Reason string
	Auth   bool
}

func (e *SetupError) Error() string { return "channel setup: " + e.Reason }

// Parts a cabinet may lack, named in feature_missing errors.
const (
	partCRM      = "amoCRM adapter (crm/amocrm)"
	partChannels = "channel adapters (channel/waba, channel/telegram, channel/max)"
	partWidget   = "widget packer (switchboard widget pack)"
)

func missing(part string) error { return apierr.FeatureMissing.With("part", part) }

// cabinetRoutes mounts the cabinet API. Every path but the sign-in ones goes through
// cabinetAuthed, which checks the cookie and the admin role before the handler reads anything.
func (s *Server) cabinetRoutes(mux *http.ServeMux) {
	if s.Cabinet == nil {
		return
	}
	const p = "/api/cabinet/v1"
	mux.Handle("GET "+p+"/install", respond.Handle(s.cabinetInstall))
	mux.Handle("POST "+p+"/handoff", s.authed(s.cabinetHandoff))
	mux.Handle("POST "+p+"/session", respond.Handle(s.cabinetSignIn))
	mux.Handle("DELETE "+p+"/session", respond.Handle(s.cabinetSignOut))
	mux.Handle("GET "+p+"/me", s.cabinetAuthed(s.cabinetMe))
	mux.Handle("GET "+p+"/workspace", s.cabinetAuthed(s.cabinetWorkspace))
	mux.Handle("POST "+p+"/sync", s.cabinetAuthed(s.cabinetStartSync))
	mux.Handle("GET "+p+"/widget.zip", s.cabinetAuthed(s.cabinetWidget))
	mux.Handle("GET "+p+"/employees", s.cabinetAuthed(s.cabinetEmployees))
	mux.Handle("POST "+p+"/employees/refresh", s.cabinetAuthed(s.cabinetRefreshEmployees))
	mux.Handle("GET "+p+"/audit", s.cabinetAuthed(s.cabinetAudit))
	mux.Handle("GET "+p+"/connections", s.cabinetAuthed(s.cabinetConnections))
	mux.Handle("POST "+p+"/connections", s.cabinetAuthed(s.cabinetCreateConnection))
	mux.Handle("PATCH "+p+"/connections/{id}", s.cabinetAuthed(s.cabinetUpdateConnection))
	mux.Handle("DELETE "+p+"/connections/{id}", s.cabinetAuthed(s.cabinetDeleteConnection))
	mux.Handle("PUT "+p+"/connections/{id}/credentials", s.cabinetAuthed(s.cabinetReplaceCredentials))
	mux.Handle("GET "+p+"/connections/{id}/templates", s.cabinetAuthed(s.cabinetTemplates))
	mux.Handle("POST "+p+"/connections/{id}/templates/sync", s.cabinetAuthed(s.cabinetSyncTemplates))
	mux.Handle("GET "+p+"/quick-replies", s.cabinetAuthed(s.cabinetQuickReplies))
	mux.Handle("POST "+p+"/quick-replies", s.cabinetAuthed(s.cabinetSaveQuickReply))
	mux.Handle("PUT "+p+"/quick-replies/{id}", s.cabinetAuthed(s.cabinetSaveQuickReply))
	mux.Handle("DELETE "+p+"/quick-replies/{id}", s.cabinetAuthed(s.cabinetDeleteQuickReply))
	mux.Handle("GET "+p+"/blacklist", s.cabinetAuthed(s.cabinetBlacklist))
	mux.Handle("GET "+p+"/crm-chats", s.cabinetAuthed(s.cabinetCRMChats))
	mux.Handle("PUT "+p+"/crm-chats", s.cabinetAuthed(s.cabinetSetCRMChats))
	mux.Handle("PUT "+p+"/crm-chats/connections/{id}", s.cabinetAuthed(s.cabinetSetCRMChatsPipeline))
	mux.Handle("DELETE "+p+"/blacklist/{contact_id}", s.cabinetAuthed(s.cabinetUnblock))
}
