// Package connsetup connects a new messenger account for the cabinet with the real channel
// adapters: it checks credentials with the provider, fills in the connection's settings and
// secrets the way each adapter reads them, and registers a bot's webhook.
package connsetup

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/switchboardhq/switchboard/internal/channel"
	maxbot "github.com/switchboardhq/switchboard/internal/channel/max"
	"github.com/switchboardhq/switchboard/internal/channel/telegram"
	"github.com/switchboardhq/switchboard/internal/channel/waba"
	"github.com/switchboardhq/switchboard/internal/connections"
	"github.com/switchboardhq/switchboard/internal/hub"
)

// Setup implements connections.Setup.
type Setup struct {
	// HTTP is the client for the providers (nil: the adapters' default).
	HTTP *http.Client
	// TelegramBaseURL is the Bot API address for new bots ("" for api.telegram.org).
	TelegramBaseURL string
	// MaxBaseURL is the MAX Bot API address for new MAX bots ("" for MAX's own).
	MaxBaseURL string
}

var _ connections.Setup = (*Setup)(nil)

// PrepareWABA fills in the number's settings and secrets and proves every credential with Graph
// before anything is saved (checkWABA), then lists the account's templates.
func (s *Setup) PrepareWABA(ctx context.Context, c hub.Connection, in connections.WABACredentials) (hub.Connection, []hub.Template, error) {
	c.Kind, c.ExternalID = hub.KindWABA, in.PhoneNumberID
	c.Settings = map[string]string{waba.SettingWABAID: in.WABAID}
	if in.BaseURL != "" {
		c.Settings[waba.SettingBaseURL] = in.BaseURL
	}
	c.Secrets = map[string]string{waba.SecretAccessToken: in.AccessToken, waba.SecretAppSecret: in.AppSecret,
		waba.SecretVerifyToken: in.VerifyToken}
	if c.Name == "" {
		c.Name = "WhatsApp · " + in.PhoneNumberID
	}
	return s.checkWABA(ctx, c)
}

// checkWABA proves a number's credentials: the account's phone number list, asked with the
// token and an appsecret_proof made with the app secret, must hold the phone number id (a wrong
// token is refused with 190, a wrong app secret with 100, a wrong WABA id with 100 too); then
// the templates are listed. The number's display phone is taken from Graph's list.
func (s *Setup) checkWABA(ctx context.Context, c hub.Connection) (hub.Connection, []hub.Template, error) {
	num, err := waba.New(c, s.HTTP).CheckNumber(ctx, c.Secrets[waba.SecretAppSecret])
	if err != nil {
		return c, nil, refusal(err, c)
	}
	if num.DisplayPhone != "" {
		c.Settings[waba.SettingDisplayPhone] = num.DisplayPhone
	}
	ts, err := s.Templates(ctx, c)
	return c, ts, err
}

// PrepareTelegram asks getMe who the bot is and gives it a fresh webhook secret token.
func (s *Setup) PrepareTelegram(ctx context.Context, c hub.Connection, botToken string) (hub.Connection, error) {
	c.Kind = hub.KindTelegramBot
	c.Settings = map[string]string{}
	if s.TelegramBaseURL != "" {
		c.Settings[telegram.SettingBaseURL] = s.TelegramBaseURL
	}
	c.Secrets = map[string]string{telegram.SecretBotToken: botToken, telegram.SecretWebhook: randomSecret()}
	me, err := telegram.New(c, s.HTTP).GetMe(ctx)
	if err != nil {
		return c, refusal(err, c)
	}
	c.ExternalID = fmt.Sprint(me.ID)
	c.Settings[telegram.SettingUsername] = me.Username
	if c.Name == "" {
		c.Name = "Telegram · @" + me.Username
	}
	return c, nil
}

// PrepareMax asks MAX who the bot is (GET /me) and gives it a fresh webhook secret; delivery is
// how its updates come (maxbot.DeliveryWebhook or DeliveryPolling).
func (s *Setup) PrepareMax(ctx context.Context, c hub.Connection, botToken, delivery string) (hub.Connection, error) {
	c.Kind = hub.KindMaxBot
	c.Settings = map[string]string{maxbot.SettingDelivery: delivery}
	if s.MaxBaseURL != "" {
		c.Settings[maxbot.SettingBaseURL] = s.MaxBaseURL
	}
	// MAX allows only A-Z, a-z, 0-9, _ and - in a webhook secret: hex fits.
	c.Secrets = map[string]string{maxbot.SecretBotToken: botToken, maxbot.SecretWebhook: randomSecret()}
	me, err := maxbot.New(c, s.HTTP).GetMe(ctx)
	if err != nil {
		return c, refusal(err, c)
	}
	c.ExternalID = fmt.Sprint(me.UserID)
	c.Settings[maxbot.SettingUsername] = me.Username
	if c.Name == "" {
		c.Name = "MAX · " + me.Name
	}
	return c, nil
}

// RegisterWebhook sets a bot's webhook with its secret token (a MAX bot on long polling has
// its webhook removed instead); a WABA number's webhook is set in Meta's console by the
// admin, from the URL and verify token the cabinet shows.
func (s *Setup) RegisterWebhook(ctx context.Context, c hub.Connection, url string) error {
	switch c.Kind {
	case hub.KindTelegramBot:
		return refusal(telegram.New(c, s.HTTP).SetWebhook(ctx, url, c.Secrets[telegram.SecretWebhook]), c)
	case hub.KindMaxBot:
		bot := maxbot.New(c, s.HTTP)
		if c.Settings[maxbot.SettingDelivery] == maxbot.DeliveryPolling {
			return refusal(bot.Unsubscribe(ctx, url), c)
		}
		return refusal(bot.Subscribe(ctx, url, c.Secrets[maxbot.SecretWebhook]), c)
	}
	return nil
}

// Templates lists a WABA number's templates.
func (s *Setup) Templates(ctx context.Context, c hub.Connection) ([]hub.Template, error) {
	ts, err := waba.New(c, s.HTTP).Templates(ctx)
	return ts, refusal(err, c)
}

// refusal turns an adapter error into the admin's words, with every secret of c cut out (a
// network error can quote the request URL, and a Bot API URL carries the token).
func refusal(err error, c hub.Connection) error {
	if err == nil {
		return nil
	}
	reason, auth := err.Error(), false
	var ce *channel.Error
	if errors.As(err, &ce) {
		reason, auth = ce.Detail, ce.Code == channel.CodeAuthFailed
		if ce.Transient {
			reason = "the provider did not answer: " + reason
		}
	}
	for _, secret := range c.Secrets {
		if secret != "" {
			reason = strings.ReplaceAll(reason, secret, "…")
		}
	}
	return &connections.SetupError{Reason: reason, Auth: auth}
}

func randomSecret() string {
	b := make([]byte, 32)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// Rekey puts new credentials on c after the provider accepted them: a WABA number is checked
// like a new one (checkWABA), unless only its verify token changes, a bot token must be the same bot's (getMe), whose webhook is then set
// again with the connection's secret token.
func (s *Setup) Rekey(ctx context.Context, c hub.Connection, creds connections.Credentials, url string) (hub.Connection, []hub.Template, error) {
	secrets := make(map[string]string, len(c.Secrets))
	for k, v := range c.Secrets {
		secrets[k] = v
	}
	c.Secrets = secrets
	switch c.Kind {
	case hub.KindWABA:
		if creds.VerifyToken != "" {
			c.Secrets[waba.SecretVerifyToken] = creds.VerifyToken
			if creds == (connections.Credentials{VerifyToken: creds.VerifyToken}) {
				return c, nil, nil
			}
		}
		if creds.PhoneNumberID != "" {
			c.ExternalID = creds.PhoneNumberID
		}
		if creds.AccessToken != "" {
			c.Secrets[waba.SecretAccessToken] = creds.AccessToken
		}
		if creds.AppSecret != "" {
			c.Secrets[waba.SecretAppSecret] = creds.AppSecret
		}
		settings := make(map[string]string, len(c.Settings))
		for k, v := range c.Settings {
			settings[k] = v
		}
		c.Settings = settings
		return s.checkWABA(ctx, c)
	case hub.KindTelegramBot:
		if creds.BotToken != "" {
			c.Secrets[telegram.SecretBotToken] = creds.BotToken
		}
		me, err := telegram.New(c, s.HTTP).GetMe(ctx)
		if err != nil {
			return c, nil, refusal(err, c)
		}
		if fmt.Sprint(me.ID) != c.ExternalID {
			return c, nil, &connections.SetupError{Reason: fmt.Sprintf("this token belongs to @%s, not to this connection's bot", me.Username)}
		}
		return c, nil, s.RegisterWebhook(ctx, c, url)
	case hub.KindMaxBot:
		if creds.BotToken != "" {
			c.Secrets[maxbot.SecretBotToken] = creds.BotToken
		}
		me, err := maxbot.New(c, s.HTTP).GetMe(ctx)
		if err != nil {
			return c, nil, refusal(err, c)
		}
		if fmt.Sprint(me.UserID) != c.ExternalID {
			return c, nil, &connections.SetupError{Reason: fmt.Sprintf("this token belongs to %s, not to this connection's bot", me.Name)}
		}
		return c, nil, s.RegisterWebhook(ctx, c, url)
	}
	return c, nil, fmt.Errorf("connsetup: no credentials for connection kind %q", c.Kind)
}
