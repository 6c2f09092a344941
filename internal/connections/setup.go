// Package connections holds what connecting a messenger account takes, apart from any surface:
// the provider side (Setup, implemented by connsetup with the real adapters), the credentials
// an admin types in, and the provider's refusals of them.
package connections

import (
	"context"

	"github.com/switchboardhq/switchboard/internal/hub"
)

// Setup talks to a messenger for the cabinet and knows how each kind of connection keeps its
// settings and secrets. Refusals of credentials are *SetupError.
type Setup interface {
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
	// PhoneNumberID corrects a WABA number's phone number id (checked like a new number's).
	PhoneNumberID string
	// VerifyToken is a WABA number's new webhook verify token; alone it needs no provider
	// check (Meta asks for it at the next verify handshake).
	VerifyToken string
	BotToken    string // Telegram, MAX
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
