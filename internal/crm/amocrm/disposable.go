package amocrm

import (
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/switchboardhq/switchboard/internal/crm"
)

// DisposableClaims are the claims of the token amoCRM attaches as X-Auth-Token to a widget's
// $authorizedAjax request.
type DisposableClaims struct {
	AccountID  int64  `json:"account_id"`
	Subdomain  string `json:"subdomain"`
	UserID     int64  `json:"user_id"`
	IsAdmin    bool   `json:"is_admin"`
	ClientUUID string `json:"client_uuid"`
	jwt.RegisteredClaims
}

// ErrBadToken is returned for a disposable token that is forged, expired, not yet valid, meant
// for another integration or hub, or used before.
var ErrBadToken = fmt.Errorf("amocrm: disposable token refused: %w", crm.ErrUnauthenticated)

// clockLeeway absorbs clock skew between the CRM and the hub.
const clockLeeway = 30 * time.Second

// VerifyDisposable checks a disposable token's signature (HS256 under the client secret), its
// audience (this hub), its time window (exp required, nbf, and iat not in the future: a token
// dated ahead of the clock is forged or from a broken clock, and the leeway covers skew), and that it was issued for this
// integration. It does not check replay or the issuer, which need the store.
func (a *Adapter) VerifyDisposable(raw string) (DisposableClaims, error) {
	var c DisposableClaims
	_, err := jwt.ParseWithClaims(raw, &c, func(*jwt.Token) (any, error) { return []byte(a.cfg.ClientSecret), nil },
		jwt.WithValidMethods([]string{"HS256"}), jwt.WithAudience(a.cfg.Audience()), jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(), jwt.WithLeeway(clockLeeway), jwt.WithTimeFunc(a.now))
	if err != nil {
		return c, fmt.Errorf("%w: %v", ErrBadToken, err)
	}
	switch {
	case c.ClientUUID != a.cfg.ClientID:
		return c, fmt.Errorf("%w: issued for another integration", ErrBadToken)
	case c.ID == "" || c.Issuer == "" || c.AccountID <= 0 || c.UserID <= 0:
		return c, fmt.Errorf("%w: jti, iss, account_id or user_id missing", ErrBadToken)
	}
	return c, nil
}
