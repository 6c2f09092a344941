package httpapi

import "time"

// SetCallerTTL lets tests make sockets re-read the employee before every event.
func SetCallerTTL(d time.Duration) (restore func()) {
	old := callerTTL
	callerTTL = d
	return func() { callerTTL = old }
}
