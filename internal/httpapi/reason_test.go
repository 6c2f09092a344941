package httpapi

import (
	"testing"

	"github.com/switchboardhq/switchboard/internal/hub"
)

// F20: a failure shows in the viewer's language, and a refusal the hub has no code for keeps
// the provider's own words.
func TestFailureReasons(t *testing.T) {
	v := view{lang: "es"}
	for _, tc := range []struct{ code, stored, want string }{
		{"not_on_whatsapp", "Пользователь не зарегистрирован в WhatsApp.", "Esta persona no está registrada en WhatsApp."},
		{"provider_rejected", "The messenger refused the message. Template is paused", "The messenger refused the message. Template is paused"},
		{"", "Something odd", "Something odd"},
	} {
		got := v.message(hub.Message{Status: hub.StatusFailed, ErrorCode: tc.code, ErrorMessage: tc.stored}).Error.Message
		if got != tc.want {
			t.Errorf("%s: %q, want %q", tc.code, got, tc.want)
		}
	}
}
