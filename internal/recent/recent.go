// Package recent remembers when each key last happened, for the short spans in which a repeat
// is skipped: a connection's health written a moment ago, a card refreshed from the CRM a
// moment ago. In memory, per instance.
package recent

import (
	"sync"
	"time"
)

// pruneAt is the size past which marking also drops what is older than the span: the keys
// marked within a span are few, and the map must not grow with every key ever seen.
const pruneAt = 1024

// Marks holds the last time of each key. The zero value is ready to use.
type Marks[K comparable] struct {
	mu   sync.Mutex
	last map[K]time.Time
}

// Fresh reports whether k was marked less than span before now (a clock that went back makes
// a mark stale, never fresh for longer).
func (m *Marks[K]) Fresh(k K, now time.Time, span time.Duration) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.fresh(k, now, span)
}

// Due reports whether k is not Fresh, and if so marks it at now.
func (m *Marks[K]) Due(k K, now time.Time, span time.Duration) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fresh(k, now, span) {
		return false
	}
	m.mark(k, now, span)
	return true
}

// Mark sets k's time to now; span is how long marks matter (older ones may be dropped).
func (m *Marks[K]) Mark(k K, now time.Time, span time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.mark(k, now, span)
}

// Forget drops k's mark: it is not Fresh until marked again.
func (m *Marks[K]) Forget(k K) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.last, k)
}

func (m *Marks[K]) fresh(k K, now time.Time, span time.Duration) bool {
	at, ok := m.last[k]
	return ok && !now.Before(at) && now.Sub(at) < span
}

func (m *Marks[K]) mark(k K, now time.Time, span time.Duration) {
	if m.last == nil {
		m.last = map[K]time.Time{}
	}
	if len(m.last) >= pruneAt {
		for old := range m.last {
			if !m.fresh(old, now, span) {
				delete(m.last, old)
			}
		}
	}
	m.last[k] = now
}
