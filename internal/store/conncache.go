package store

import (
	"context"
	"sync"
	"time"

	"github.com/switchboardhq/switchboard/internal/hub"
)

// ConnectionTTL bounds how long CachedConnection trusts what it read. A change made through
// this store (edit, secrets or verify token rotated, disable, delete) is seen at once; one
// made by another instance sharing the database within ConnectionTTL: for that long the old
// app secret or webhook secret may still be accepted, and the new one refused (the provider
// delivers a refused webhook again).
const ConnectionTTL = 2 * time.Second

// connCache keeps connections read for webhooks, their secrets opened: every webhook used to
// read its connection's row and decrypt its secrets. An invalidation bumps gen, so a read that
// began before it never stores what it read.
type connCache struct {
	mu  sync.Mutex
	gen uint64
	m   map[string]cachedConn
}

type cachedConn struct {
	c  hub.Connection
	at time.Time
}

// CachedConnection is ConnectionByID read at most ConnectionTTL ago. The connection is shared
// with other callers: read it, never change it (its maps included).
func (s *Store) CachedConnection(ctx context.Context, id string) (hub.Connection, error) {
	now := time.Now()
	s.conns.mu.Lock()
	e, ok := s.conns.m[id]
	gen := s.conns.gen
	s.conns.mu.Unlock()
	if ok && now.Sub(e.at) < ConnectionTTL && !now.Before(e.at) {
		return e.c, nil
	}
	c, err := s.ConnectionByID(ctx, id)
	s.conns.mu.Lock()
	defer s.conns.mu.Unlock()
	switch {
	case err != nil:
		delete(s.conns.m, id)
	case s.conns.gen == gen:
		if s.conns.m == nil {
			s.conns.m = map[string]cachedConn{}
		}
		s.conns.m[id] = cachedConn{c: c, at: now}
	}
	return c, err
}

// forgetConnection drops what CachedConnection read of connection id, after a write to it.
func (s *Store) forgetConnection(id string) {
	s.conns.mu.Lock()
	defer s.conns.mu.Unlock()
	s.conns.gen++
	delete(s.conns.m, id)
}
