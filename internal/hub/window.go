package hub

import "time"

// WABAWindowLength is how long after a customer's last message a WhatsApp Business account may
// send free-form messages (F18).
const WABAWindowLength = 24 * time.Hour

// Window is the state of a chat's WABA customer-service window.
type Window struct {
	Open      bool
	ExpiresAt time.Time // zero when the customer never wrote
}

// WABAWindow computes the window of a WABA chat at now: open until 24 h after the customer's
// last inbound message; a chat the customer never wrote to is closed (the first message must
// be a template, F25).
func WABAWindow(c Chat, now time.Time) Window {
	if c.LastInboundAt.IsZero() {
		return Window{}
	}
	exp := c.LastInboundAt.Add(WABAWindowLength)
	return Window{Open: now.Before(exp), ExpiresAt: exp}
}
