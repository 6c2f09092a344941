package amocrm

import (
	"context"
	"errors"
	"net/url"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Webhook bodies come from outside: parsing never panics, and what it accepts is well formed.
func FuzzParseHook(f *testing.F) {
	f.Add("leads[responsible][0][id]=30001&leads[responsible][0][responsible_user_id]=8100006&account[id]=31415926&account[subdomain]=demo")
	f.Add("contacts[update][0][id]=5&account[id]=1")
	f.Add("account[id]=-1&leads[add][0][id]=x")
	f.Fuzz(func(t *testing.T, body string) {
		form, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		account, changes, err := ParseHook(form)
		if err != nil {
			return
		}
		if account <= 0 {
			t.Fatalf("accepted account %d", account)
		}
		for _, c := range changes {
			if c.ID <= 0 || (c.Entity != "leads" && c.Entity != "contacts") {
				t.Fatalf("accepted change %+v", c)
			}
		}
	})
}

// Disposable tokens come from outside: anything not signed with the client secret is refused,
// and nothing panics.
func FuzzVerifyDisposable(f *testing.F) {
	a := New(Config{ClientID: "c1d2", ClientSecret: "secret", RedirectURI: "https://hub.example/amocrm/oauth"}, nil, nil)
	good, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"iss": "https://a.amocrm.ru", "aud": "https://hub.example",
		"jti": "j", "exp": time.Now().Add(time.Hour).Unix(), "account_id": 1, "user_id": 2, "client_uuid": "c1d2"}).SignedString([]byte("secret"))
	if _, err := a.VerifyDisposable(good); err != nil {
		f.Fatalf("seed token refused: %v", err)
	}
	f.Add(good)
	f.Add(good[:len(good)-2] + "xx")
	f.Add("eyJhbGciOiJub25lIn0.e30.")
	f.Fuzz(func(t *testing.T, raw string) {
		c, err := a.VerifyDisposable(raw)
		if err == nil && raw != good {
			// Only a token signed with the secret passes; a fuzzer finding another is a forgery.
			if _, perr := jwt.Parse(raw, func(*jwt.Token) (any, error) { return []byte("secret"), nil },
				jwt.WithValidMethods([]string{"HS256"})); perr != nil {
				t.Fatalf("accepted an unsigned token: %q → %+v", raw, c)
			}
		}
	})
}

// The disconnect hook is a GET anyone can send: without the CRM's signature (HMAC of
// "client_id|account_id" under the client secret) it is refused, and nothing panics.
func FuzzDisconnectHook(f *testing.F) {
	a := New(Config{ClientID: "c1d2", ClientSecret: "secret", RedirectURI: "https://hub.example/amocrm/oauth"}, nil, nil)
	f.Add("account_id=31415926&client_uuid=c1d2&signature=00")
	f.Add("account_id=-1&client_uuid=c1d2")
	f.Add("account_id=1&account_id=2&client_uuid=c1d2&signature=")
	f.Add("%zz")
	f.Fuzz(func(t *testing.T, query string) {
		q, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		// The adapter has no store: only a valid signature would reach one (and panic).
		if err := a.HandleDisconnect(context.Background(), q); !errors.Is(err, ErrBadSignature) {
			t.Fatalf("query %q: %v, want a refused signature", query, err)
		}
	})
}
