// Package amocrm is the hub's amoCRM / Kommo adapter: the OAuth 2.0 install and token refresh,
// the REST API v4 client (rate-limited per account), the sync of users, rights, contacts and
// deals into the hub's cache, CRM webhooks, and the check of the widget's disposable tokens.
package amocrm

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/jonboulle/clockwork"
)

// Config is the integration as registered in the CRM.
type Config struct {
	// ClientID is the integration's id (a UUID); amoCRM also puts it in disposable tokens as
	// client_uuid.
	ClientID     string
	ClientSecret string
	// RedirectURI is where the CRM sends the install's authorization code: public URL + /amocrm/oauth.
	RedirectURI string
	// HookBaseURL is the public URL CRM webhooks are sent to (the hub's public URL).
	HookBaseURL string
	// StandInBaseURL, when set, is the address of a CRM that stands in for amoCRM (the sandbox's,
	// at public URL + /sandbox/amocrm): the one other address an install may name as its referer.
	StandInBaseURL string
	// TrialDays is the length of a new workspace's trial subscription (hub.Trial; 0: none).
	TrialDays int
	// Clock is the adapter's time, and what it waits on for another instance's token refresh
	// (nil: the real clock); tests use a fake one. Waiting out the CRM's rate limit stays on the
	// real clock: the CRM counts requests per real second.
	Clock clockwork.Clock
}

// Validate reports a missing setting.
func (c Config) Validate() error {
	var missing []string
	if c.ClientID == "" {
		missing = append(missing, "client id")
	}
	if c.ClientSecret == "" {
		missing = append(missing, "client secret")
	}
	if c.RedirectURI == "" {
		missing = append(missing, "redirect URI")
	}
	if len(missing) > 0 {
		return fmt.Errorf("amocrm: integration not configured: missing %s", strings.Join(missing, ", "))
	}
	return nil
}

// Audience is what disposable tokens carry as aud: scheme and host of the redirect URI.
func (c Config) Audience() string {
	u, err := url.Parse(c.RedirectURI)
	if err != nil {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

var accountHost = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}\.(amocrm\.ru|amocrm\.com|kommo\.com)$`)

// ErrBadReferer is returned for an install whose referer is not a CRM account's address.
var ErrBadReferer = errors.New("amocrm: referer is not an amoCRM or Kommo account address")

// BaseURL turns an install's referer ("acme.amocrm.ru") into the account's base URL. Only
// amoCRM and Kommo account hosts (and StandInBaseURL) are accepted: the hub sends its client
// secret to that address, so a forged referer must never point it elsewhere.
func (c Config) BaseURL(referer string) (string, error) {
	r := strings.ToLower(strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(referer, "https://"), "http://"), "/"))
	if accountHost.MatchString(r) {
		return "https://" + r, nil
	}
	if c.StandInBaseURL != "" {
		sb := strings.TrimSuffix(c.StandInBaseURL, "/")
		if referer == sb || "http://"+r == sb || "https://"+r == sb {
			return sb, nil
		}
	}
	return "", ErrBadReferer
}
