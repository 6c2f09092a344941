package store

import "database/sql"

// EventNotifier is told that a workspace's event log grew up to seq. It is called after the
// commit, on the writer's goroutine, so it must return quickly (hand off, never block).
type EventNotifier func(workspaceID string, seq int64)

// SetEventNotifier installs fn (nil removes it). Without one the store announces nothing and
// readers have to poll EventHead.
func (s *Store) SetEventNotifier(fn EventNotifier) {
	if fn == nil {
		s.onEvents.Store(nil)
		return
	}
	s.onEvents.Store(&fn)
}

func (s *Store) announce(heads map[string]int64) {
	fn := s.onEvents.Load()
	if fn == nil {
		return
	}
	for ws, seq := range heads {
		(*fn)(ws, seq)
	}
}

// txQuerier is a write transaction that remembers the events appended in it.
type txQuerier struct {
	*sql.Tx
	heads map[string]int64
}

func (t *txQuerier) noteEvent(workspaceID string, seq int64) {
	if t.heads == nil {
		t.heads = map[string]int64{}
	}
	if seq > t.heads[workspaceID] {
		t.heads[workspaceID] = seq
	}
}
