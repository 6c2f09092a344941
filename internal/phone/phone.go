// Package phone reads phone numbers as people and providers write them and gives them back in
// E.164, the one form the hub stores and compares.
package phone

import (
	"errors"
	"strconv"
	"strings"
	"unicode"

	"github.com/nyaruka/phonenumbers"
)

// ErrInvalid means the text is not a possible phone number.
var ErrInvalid = errors.New("phone: not a valid phone number")

// E164 parses raw ("8 (916) 123-45-67", "+7 916…", "79161234567") with region (ISO 3166, the
// workspace's country) for numbers written in local form, and returns "+79161234567". A number
// with letters is invalid: phonenumbers reads vanity numbers ("1-800-FLOWERS") by the keypad,
// so "+7 916 ABC-DE-FG" would otherwise open a chat with +79162223334, someone nobody meant.
func E164(raw, region string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" || len(raw) > 64 || strings.IndexFunc(raw, unicode.IsLetter) >= 0 {
		return "", ErrInvalid
	}
	region = strings.ToUpper(region)
	if region == "" {
		region = "ZZ"
	}
	n, err := phonenumbers.Parse(raw, region)
	if err != nil || !phonenumbers.IsPossibleNumber(n) {
		return "", ErrInvalid
	}
	return phonenumbers.Format(n, phonenumbers.E164), nil
}

// FromWAID turns a WhatsApp wa_id (international digits without "+") into E.164, or "" when
// the id is not a phone number (a business-scoped user id).
func FromWAID(waID string) string {
	for _, r := range waID {
		if r < '0' || r > '9' {
			return ""
		}
	}
	p, err := E164("+"+waID, "")
	if err != nil {
		return ""
	}
	return p
}

// Digits returns the E.164 number without its "+", as WhatsApp addresses recipients.
func Digits(e164 string) string { return strings.TrimPrefix(e164, "+") }

// International turns the digits of a number typed in region's national form, with its trunk
// prefix ("8 916…" in Russia, "0 20…" in Britain), into international digits ("7916…", "4420…"),
// or "" when they are not in that form. Partial numbers work too: it is for searching.
func International(digits, region string) string {
	region = strings.ToUpper(region)
	prefix := phonenumbers.GetNddPrefixForRegion(region, true)
	code := phonenumbers.GetCountryCodeForRegion(region)
	if prefix == "" || code == 0 || len(digits) <= len(prefix) || !strings.HasPrefix(digits, prefix) {
		return ""
	}
	return strconv.Itoa(code) + digits[len(prefix):]
}

// Format writes an E.164 number the way people read it, "+7 916 123-45-67"; anything it cannot
// read comes back as it was.
func Format(e164 string) string {
	n, err := phonenumbers.Parse(e164, "ZZ")
	if err != nil {
		return e164
	}
	return phonenumbers.Format(n, phonenumbers.INTERNATIONAL)
}
