// Package scale fills a workspace with generated conversations of a chosen size, for load
// tests and the benchmarks in docs/performance.md. The data is deterministic for a given size
// and seed, and written with the store's bulk path (no events are logged for it).
package scale

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// Size is how much to generate.
type Size struct {
	Contacts, Chats, Messages int
}

// Validate refuses sizes the generator cannot lay out: every contact has one chat, and at most
// one more on the second connection.
func (s Size) Validate() error {
	switch {
	case s.Contacts < 1:
		return fmt.Errorf("scale: at least one contact")
	case s.Chats < s.Contacts || s.Chats > 2*s.Contacts:
		return fmt.Errorf("scale: chats must be between contacts (%d) and twice that (%d), not %d",
			s.Contacts, 2*s.Contacts, s.Chats)
	case s.Messages < 0:
		return fmt.Errorf("scale: messages cannot be negative")
	}
	return nil
}

// span is how far back the generated history reaches.
const span = 180 * 24 * time.Hour

// plan is the shape of the data, decided before anything is written, so contacts can be
// written with counters that agree with the chats written later.
type plan struct {
	size Size
	now  time.Time
	// per chat: its contact, whether it is on the second connection, its last activity, its
	// unanswered mark and how many messages it has
	contact    []int32
	second     []bool
	activity   []int64 // Unix ms
	unanswered []bool
	messages   []int32
	// per contact: unanswered chats and latest activity
	contactUnanswered []int32
	contactActivity   []int64
}

func newPlan(size Size, seed uint64, now time.Time) *plan {
	r := rand.New(rand.NewPCG(seed, 1))
	p := &plan{size: size, now: now, contact: make([]int32, size.Chats), second: make([]bool, size.Chats),
		activity: make([]int64, size.Chats), unanswered: make([]bool, size.Chats), messages: make([]int32, size.Chats),
		contactUnanswered: make([]int32, size.Contacts), contactActivity: make([]int64, size.Contacts)}
	// Chats 0..Contacts-1 are each contact's first; the rest are second chats of the first
	// Chats-Contacts contacts, so no contact has two chats on one connection.
	for i := range size.Chats {
		c := i
		if i >= size.Contacts {
			c, p.second[i] = i-size.Contacts, true
		}
		p.contact[i] = int32(c)
		p.activity[i] = now.Add(-time.Duration(r.Int64N(int64(span)))).UnixMilli()
		p.unanswered[i] = r.IntN(10) == 0 // one chat in ten waits for an answer
		if p.unanswered[i] {
			p.contactUnanswered[c]++
		}
		p.contactActivity[c] = max(p.contactActivity[c], p.activity[i])
	}
	// Messages: three in ten go to the 1% longest chats (long histories to page through), the
	// rest spread evenly.
	long := max(1, size.Chats/100)
	for range size.Messages {
		if r.IntN(10) < 3 {
			p.messages[r.IntN(long)]++
		} else {
			p.messages[r.IntN(size.Chats)]++
		}
	}
	return p
}
