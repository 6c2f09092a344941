package cabinet

import (
	"context"
	"io"
	"net/http"
	"time"

	"github.com/switchboardhq/switchboard/internal/apierr"
	"github.com/switchboardhq/switchboard/internal/auth"
	"github.com/switchboardhq/switchboard/internal/connections"
	"github.com/switchboardhq/switchboard/internal/crmsync"
	"github.com/switchboardhq/switchboard/internal/httpapi"
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/respond"
	"github.com/switchboardhq/switchboard/internal/store"
	"github.com/switchboardhq/switchboard/internal/widget"
)

// API is the web cabinet's API (/api/cabinet/v1): an account's admins sign in from the chat
// window, connect the CRM and messengers, and manage employees, templates, quick replies and
// the blacklist. A part left nil makes the endpoints that need it answer 501 feature_missing
// naming the part, never a made-up answer.
type API struct {
	// Store is the database the cabinet reads and writes.
	Store *store.Store
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
	// Connections runs the connection use cases (connect, change, re-key, templates, remove).
	Connections *connections.Service
	// Widget writes the amoCRM widget archive for this hub (nil: the packer is not wired).
	Widget func(w io.Writer, publicURL string, kind widget.Kind) error
	// ProviderConsole, when set, is a console that makes numbers and bots for new connections
	// besides the providers' own (the sandbox's, /sandbox/console/): /me tells the pages to
	// offer it.
	ProviderConsole string
	// CRMChats is the mirror into amoCRM's own chats (nil: no chats channel configured).
	CRMChats CRMChats
	// Now is the clock of subscription ends and connection health (nil: time.Now).
	Now func() time.Time
	// gate is the chat window API the cabinet is mounted in: its sessions and rate limits.
	gate Gate
}

// Gate is what the cabinet asks of the chat window's API (httpapi.Server): its sessions (a
// Bearer token, or a signed session read back from the store) and its per-caller rate limits.
type Gate interface {
	Authed(fn respond.Handler) http.Handler
	Authenticate(r *http.Request) (httpapi.Caller, error)
	CallerOfSession(ctx context.Context, sess auth.Session) (httpapi.Caller, error)
	AllowCall(w http.ResponseWriter, c httpapi.Caller) error
}

var _ Gate = (*httpapi.Server)(nil)

func (a *API) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

// CRMSync is the CRM sync as the cabinet uses it (crmsync.Runner).
type CRMSync interface {
	Start(ws hub.Workspace) bool
	Progress(ctx context.Context, workspaceID string) (crmsync.Progress, error)
	SyncUsers(ctx context.Context, ws hub.Workspace) error
}

// Parts a cabinet may lack, named in feature_missing errors.
const (
	// partCRM is not a missing part of the build but missing settings: crm_not_configured.
	partCRM    = "SWITCHBOARD_AMOCRM_CLIENT_ID, SWITCHBOARD_AMOCRM_CLIENT_SECRET"
	partWidget = "widget packer (switchboard widget pack)"
)

func missing(part string) error { return apierr.FeatureMissing.With("part", part) }

// unconfigured names the settings a CRM feature needs (the CRM's own credentials, which an
// operator sets; nothing is missing from the build).
func unconfigured(settings string) error { return apierr.CRMNotConfigured.With("part", settings) }

// Mount adds the cabinet API to the route table of s, whose sessions and rate limits it uses.
// Every path but the sign-in ones goes through cabinetAuthed, which checks the cookie and the
// admin role before the handler reads anything.
func (a *API) Mount(mux httpapi.Router, s *httpapi.Server) {
	a.gate = s
	const p = "/api/cabinet/v1"
	mux.Handle("GET "+p+"/install", respond.Handle(a.cabinetInstall))
	mux.Handle("POST "+p+"/handoff", a.gate.Authed(a.cabinetHandoff))
	mux.Handle("POST "+p+"/session", respond.Handle(a.cabinetSignIn))
	mux.Handle("DELETE "+p+"/session", respond.Handle(a.cabinetSignOut))
	mux.Handle("GET "+p+"/me", a.cabinetAuthed(a.cabinetMe))
	mux.Handle("GET "+p+"/workspace", a.cabinetAuthed(a.cabinetWorkspace))
	mux.Handle("POST "+p+"/sync", a.cabinetAuthed(a.cabinetStartSync))
	mux.Handle("GET "+p+"/widget.zip", a.cabinetAuthed(a.cabinetWidget))
	mux.Handle("GET "+p+"/employees", a.cabinetAuthed(a.cabinetEmployees))
	mux.Handle("POST "+p+"/employees/refresh", a.cabinetAuthed(a.cabinetRefreshEmployees))
	mux.Handle("GET "+p+"/audit", a.cabinetAuthed(a.cabinetAudit))
	mux.Handle("GET "+p+"/connections", a.cabinetAuthed(a.cabinetConnections))
	mux.Handle("POST "+p+"/connections", a.cabinetAuthed(a.cabinetCreateConnection))
	mux.Handle("PATCH "+p+"/connections/{id}", a.cabinetAuthed(a.cabinetUpdateConnection))
	mux.Handle("DELETE "+p+"/connections/{id}", a.cabinetAuthed(a.cabinetDeleteConnection))
	mux.Handle("PUT "+p+"/connections/{id}/credentials", a.cabinetAuthed(a.cabinetReplaceCredentials))
	mux.Handle("POST "+p+"/connections/{id}/disable", a.cabinetAuthed(a.cabinetDisableConnection))
	mux.Handle("POST "+p+"/connections/{id}/enable", a.cabinetAuthed(a.cabinetEnableConnection))
	mux.Handle("POST "+p+"/connections/{id}/verify-token", a.cabinetAuthed(a.cabinetRotateVerifyToken))
	mux.Handle("GET "+p+"/connections/{id}/templates", a.cabinetAuthed(a.cabinetTemplates))
	mux.Handle("POST "+p+"/connections/{id}/templates/sync", a.cabinetAuthed(a.cabinetSyncTemplates))
	mux.Handle("GET "+p+"/quick-replies", a.cabinetAuthed(a.cabinetQuickReplies))
	mux.Handle("POST "+p+"/quick-replies", a.cabinetAuthed(a.cabinetSaveQuickReply))
	mux.Handle("PUT "+p+"/quick-replies/{id}", a.cabinetAuthed(a.cabinetSaveQuickReply))
	mux.Handle("DELETE "+p+"/quick-replies/{id}", a.cabinetAuthed(a.cabinetDeleteQuickReply))
	mux.Handle("GET "+p+"/blacklist", a.cabinetAuthed(a.cabinetBlacklist))
	mux.Handle("GET "+p+"/crm-chats", a.cabinetAuthed(a.cabinetCRMChats))
	mux.Handle("PUT "+p+"/crm-chats", a.cabinetAuthed(a.cabinetSetCRMChats))
	mux.Handle("PUT "+p+"/crm-chats/connections/{id}", a.cabinetAuthed(a.cabinetSetCRMChatsPipeline))
	mux.Handle("DELETE "+p+"/blacklist/{contact_id}", a.cabinetAuthed(a.cabinetUnblock))
	mux.Handle("GET "+p+"/blacklist/{contact_id}/messages", a.cabinetAuthed(a.cabinetHiddenMessages))
}
