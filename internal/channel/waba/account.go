package waba

import (
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/switchboardhq/switchboard/internal/channel"
)

// AppSecretProof is Graph's appsecret_proof: hex HMAC-SHA256 of the access token keyed by the
// app secret. A call carrying a wrong one is refused with error code 100, which is how the hub
// learns, before saving a number, that the app secret (the key of every webhook signature) is
// the app's.
func AppSecretProof(appSecret, accessToken string) string {
	m := hmac.New(sha256.New, []byte(appSecret))
	m.Write([]byte(accessToken))
	return hex.EncodeToString(m.Sum(nil))
}

// PhoneNumber is one business phone number of a WhatsApp Business Account.
type PhoneNumber struct {
	ID           string `json:"id"`
	DisplayPhone string `json:"display_phone_number"`
	VerifiedName string `json:"verified_name"`
}

// maxPhonePages stops a provider that keeps answering with a next page.
const maxPhonePages = 20

// PhoneNumbers lists the business account's numbers (GET /{waba-id}/phone_numbers), signed
// with appsecret_proof when appSecret is given, so one call proves the token, the WABA id and
// the app secret together.
func (a *Adapter) PhoneNumbers(ctx context.Context, appSecret string) ([]PhoneNumber, error) {
	if a.WABAID == "" {
		return nil, channel.Permanent(channel.CodeRejected, "", "the connection has no WhatsApp Business Account id")
	}
	q := url.Values{"fields": {"id,display_phone_number,verified_name"}}
	if appSecret != "" {
		q.Set("appsecret_proof", AppSecretProof(appSecret, a.Token))
	}
	next := a.BaseURL + "/" + url.PathEscape(a.WABAID) + "/phone_numbers?" + q.Encode()
	var out []PhoneNumber
	for page := 0; next != "" && page < maxPhonePages; page++ {
		var p struct {
			Data   []PhoneNumber `json:"data"`
			Paging struct {
				Next string `json:"next"`
			} `json:"paging"`
		}
		if err := a.call(ctx, http.MethodGet, next, "", nil, &p); err != nil {
			return nil, err
		}
		out = append(out, p.Data...)
		next = p.Paging.Next
	}
	return out, nil
}

// CheckNumber proves a number's credentials before they are saved: the token and the app secret
// (through appsecret_proof) on the account's phone number list, which must hold the number's
// phone number id. It returns the number as Graph lists it.
func (a *Adapter) CheckNumber(ctx context.Context, appSecret string) (PhoneNumber, error) {
	nums, err := a.PhoneNumbers(ctx, appSecret)
	if err != nil {
		return PhoneNumber{}, err
	}
	i := slices.IndexFunc(nums, func(n PhoneNumber) bool { return n.ID == a.PhoneNumberID })
	if i < 0 {
		ids := make([]string, 0, len(nums))
		for _, n := range nums {
			ids = append(ids, n.ID+" ("+n.DisplayPhone+")")
		}
		return PhoneNumber{}, channel.Permanent(channel.CodeRejected, "phone_number_id",
			"phone number id "+a.PhoneNumberID+" is not a number of WhatsApp Business Account "+a.WABAID+
				"; its numbers are: "+cmp.Or(strings.Join(ids, ", "), "none"))
	}
	return nums[i], nil
}
