// Package testwait lets tests wait for a condition or a signal instead of sleeping: the wait
// ends as soon as the thing happens, and fails the test with what it was waiting for when it
// has not happened within a bound generous enough for a machine whose cores are all busy.
package testwait

import (
	"testing"
	"time"
)

// Bound is how long a test waits for anything before it fails.
const Bound = 20 * time.Second

// Until looks at its condition after firstPoll, then twice as long each time up to maxPoll: a
// quick condition is seen at once, and a condition read over the API stays under its rate
// limit (5 requests a second per employee).
const firstPoll, maxPoll = 10 * time.Millisecond, 250 * time.Millisecond

// Until returns once cond reports true; it fails the test, naming what, when Bound passes
// first.
func Until(t testing.TB, what string, cond func() bool) {
	t.Helper()
	if !Within(Bound, cond) {
		t.Fatalf("gave up after %v waiting for %s", Bound, what)
	}
}

// Within reports whether cond reported true before d passed, looking at it as Until does. It
// is for waits whose failure the caller explains itself (with a screenshot, or what it saw
// last), and for a step that may legitimately not happen within d.
func Within(d time.Duration, cond func() bool) bool {
	deadline := time.NewTimer(d)
	defer deadline.Stop()
	for poll := firstPoll; !cond(); poll = min(2*poll, maxPoll) {
		next := time.NewTimer(poll)
		select {
		case <-deadline.C:
			next.Stop()
			return cond() // one last look: the condition may have come true while we waited
		case <-next.C:
		}
	}
	return true
}

// Recv returns the next value from ch; it fails the test, naming what, when Bound passes first
// or ch is closed.
func Recv[T any](t testing.TB, ch <-chan T, what string) T {
	t.Helper()
	deadline := time.NewTimer(Bound)
	defer deadline.Stop()
	var v T
	select {
	case got, ok := <-ch:
		if !ok {
			t.Fatalf("%s: channel closed", what)
		}
		v = got
	case <-deadline.C:
		t.Fatalf("gave up after %v waiting for %s", Bound, what)
	}
	return v
}

// Done returns once done is closed; it fails the test, naming what, when Bound passes first.
func Done(t testing.TB, done <-chan struct{}, what string) {
	t.Helper()
	deadline := time.NewTimer(Bound)
	defer deadline.Stop()
	select {
	case <-done:
	case <-deadline.C:
		t.Fatalf("gave up after %v waiting for %s", Bound, what)
	}
}
