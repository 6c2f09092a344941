package connections

import (
	"github.com/switchboardhq/switchboard/internal/hub"
	"github.com/switchboardhq/switchboard/internal/store"
)

// Connection states, the worst that applies first (State).
const (
	StateDisabled          = "disabled"
	StateAuthFailed        = hub.StatusAuthFailed
	StateNotInSubscription = "not_in_subscription"
	StateNotReceiving      = "not_receiving"
	StateRefusing          = "refusing"
	StateNotVerified       = "not_verified"
	StateSendFailing       = "send_failing"
	StateWorking           = hub.StatusWorking
)

// State says what an admin (and the chat window's create form) must know first about a
// connection, from its status and its measured health (whose counts are of the last hour):
// disabled (switched off by an admin) | auth_failed | not_in_subscription | not_receiving (the
// latest webhook was refused) | refusing (some of the last hour's were, later ones got in) |
// not_verified (a WABA webhook never verified nor used) | send_failing | working.
func State(c hub.Connection, h store.ConnectionHealth) string {
	switch {
	case c.Disabled():
		return StateDisabled
	case c.Status == hub.StatusAuthFailed:
		return StateAuthFailed
	case !c.InSubscription:
		return StateNotInSubscription
	case h.RefusedHour > 0 && !h.LastWebhookAt.After(h.LastRefusalAt):
		return StateNotReceiving
	case h.RefusedHour > 0:
		return StateRefusing
	case c.Kind == hub.KindWABA && h.VerifiedAt.IsZero() && h.LastWebhookAt.IsZero():
		// Bots' webhooks are set by the hub itself; a number's in Meta's console by the admin.
		return StateNotVerified
	case h.SendFailedHour > 0:
		return StateSendFailing
	}
	return StateWorking
}
