// Package ratelimit holds the hub's abuse limits: token buckets per key (a client address, an
// employee, a workspace, a connection) and concurrency caps per key (open sockets, uploads in
// flight). Every check takes the time from the caller, so tests drive an explicit clock.
package ratelimit

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limit is a token bucket: Rate tokens a second, at most Burst at once. The zero Limit is off
// (everything allowed).
type Limit struct {
	Rate  float64
	Burst int
}

// Off reports whether the limit lets everything through.
func (l Limit) Off() bool { return l.Rate <= 0 || l.Burst <= 0 }

// String writes the limit as Parse reads it.
func (l Limit) String() string {
	if l.Off() {
		return "off"
	}
	return strconv.FormatFloat(l.Rate, 'f', -1, 64) + "/s," + strconv.Itoa(l.Burst)
}

// Parse reads "RATE/s,BURST" (e.g. "10/s,20": ten a second, twenty at once) or "off".
func Parse(s string) (Limit, error) {
	s = strings.TrimSpace(s)
	if s == "off" || s == "0" {
		return Limit{}, nil
	}
	r, b, ok := strings.Cut(s, ",")
	r, perSecond := strings.CutSuffix(strings.TrimSpace(r), "/s")
	rt, err1 := strconv.ParseFloat(r, 64)
	burst, err2 := strconv.Atoi(strings.TrimSpace(b))
	if !ok || !perSecond || err1 != nil || err2 != nil || rt <= 0 || math.IsInf(rt, 0) || burst < 1 {
		return Limit{}, fmt.Errorf("%q: want RATE/s,BURST (e.g. 10/s,20) or off", s)
	}
	return Limit{Rate: rt, Burst: burst}, nil
}

// maxKeys bounds the buckets kept; past it, full (idle) buckets are dropped, which forgets
// nothing that matters: a full bucket is what a new one would be.
const maxKeys = 100_000

// Buckets is one Limit applied per key.
type Buckets struct {
	limit Limit
	mu    sync.Mutex
	m     map[string]*rate.Limiter
	last  time.Time // the latest time seen
}

// monotonic keeps time from going back between concurrent callers, who read the clock before
// taking the lock: rate.Limiter given an earlier time than its last rewinds and hands out
// tokens twice.
func (b *Buckets) monotonic(now time.Time) time.Time {
	if now.Before(b.last) {
		return b.last
	}
	b.last = now
	return now
}

// NewBuckets applies l per key.
func NewBuckets(l Limit) *Buckets {
	return &Buckets{limit: l, m: map[string]*rate.Limiter{}}
}

func (b *Buckets) bucket(key string, now time.Time) *rate.Limiter {
	lim, ok := b.m[key]
	if !ok {
		if len(b.m) >= maxKeys {
			for k, l := range b.m {
				if l.TokensAt(now) >= float64(b.limit.Burst) {
					delete(b.m, k)
				}
			}
		}
		lim = rate.NewLimiter(rate.Limit(b.limit.Rate), b.limit.Burst)
		b.m[key] = lim
	}
	return lim
}

// Allow takes one token of key's bucket; when there is none it says how long until there is.
func (b *Buckets) Allow(key string, now time.Time) (bool, time.Duration) {
	if b == nil || b.limit.Off() {
		return true, 0
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	now = b.monotonic(now)
	lim := b.bucket(key, now)
	if lim.AllowN(now, 1) {
		return true, 0
	}
	return false, b.wait(lim, now)
}

// Exhausted reports, without taking a token, whether key's bucket is empty, and for how long;
// with Take it limits failures only: check before trying, Take after a failed try.
func (b *Buckets) Exhausted(key string, now time.Time) (bool, time.Duration) {
	if b == nil || b.limit.Off() {
		return false, 0
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	now = b.monotonic(now)
	lim, ok := b.m[key]
	if !ok || lim.TokensAt(now) >= 1 {
		return false, 0
	}
	return true, b.wait(lim, now)
}

// Take takes one token of key's bucket, going into debt if it has none (a failure counts
// whatever the bucket holds).
func (b *Buckets) Take(key string, now time.Time) {
	if b == nil || b.limit.Off() {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	now = b.monotonic(now)
	b.bucket(key, now).ReserveN(now, 1)
}

// wait is how long until lim holds one token.
func (b *Buckets) wait(lim *rate.Limiter, now time.Time) time.Duration {
	missing := 1 - lim.TokensAt(now)
	return time.Duration(missing / b.limit.Rate * float64(time.Second))
}

// Gate caps how many of something run at once per key (0: no cap).
type Gate struct {
	max int
	mu  sync.Mutex
	n   map[string]int
}

// NewGate lets max at once per key.
func NewGate(max int) *Gate { return &Gate{max: max, n: map[string]int{}} }

// Enter takes a place for key, false when all max are taken; a true must be followed by Leave.
func (g *Gate) Enter(key string) bool {
	if g == nil || g.max <= 0 {
		return true
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.n[key] >= g.max {
		return false
	}
	g.n[key]++
	return true
}

// Taken is how many of key's places are in use now (what a status page or a test reads).
func (g *Gate) Taken(key string) int {
	if g == nil {
		return 0
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.n[key]
}

// Leave gives key's place back.
func (g *Gate) Leave(key string) {
	if g == nil || g.max <= 0 {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.n[key]--; g.n[key] <= 0 {
		delete(g.n, key)
	}
}
