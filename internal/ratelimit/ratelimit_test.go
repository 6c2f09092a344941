package ratelimit

import (
	"strconv"
	"testing"
	"time"
)

var t0 = time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)

func TestParse(t *testing.T) {
	for in, want := range map[string]Limit{"10/s,20": {10, 20}, " 0.5/s, 3 ": {0.5, 3}, "off": {}, "0": {}} {
		got, err := Parse(in)
		if err != nil || got != want {
			t.Errorf("Parse(%q) = %v, %v; want %v", in, got, err, want)
		}
		if again, _ := Parse(got.String()); again != got {
			t.Errorf("%v does not read back: %q", got, got.String())
		}
	}
	for _, bad := range []string{"", "10", "10,20", "10/s", "-1/s,2", "10/s,0", "x/s,1", "Inf/s,1"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
}

func TestBucketsAllowBurstThenRateAndSayHowLong(t *testing.T) {
	b := NewBuckets(Limit{Rate: 10, Burst: 20})
	for i := range 20 {
		if ok, _ := b.Allow("ip", t0); !ok {
			t.Fatalf("call %d of the burst refused", i+1)
		}
	}
	ok, wait := b.Allow("ip", t0)
	if ok || wait != 100*time.Millisecond {
		t.Fatalf("21st at once: %v, retry in %v; want refused, 100ms", ok, wait)
	}
	if ok, _ := b.Allow("other", t0); !ok {
		t.Fatal("another key shares the bucket")
	}
	if ok, _ := b.Allow("ip", t0.Add(100*time.Millisecond)); !ok {
		t.Fatal("a token after 100 ms refused")
	}
}

func TestBucketsCountFailuresOnly(t *testing.T) {
	b := NewBuckets(Limit{Rate: 1, Burst: 3})
	for range 3 {
		if ex, _ := b.Exhausted("ip", t0); ex {
			t.Fatal("exhausted before three failures")
		}
		b.Take("ip", t0)
	}
	ex, wait := b.Exhausted("ip", t0)
	if !ex || wait != time.Second {
		t.Fatalf("after three failures: %v, %v", ex, wait)
	}
	if ex, _ := b.Exhausted("ip", t0.Add(time.Second)); ex {
		t.Fatal("still exhausted a second later")
	}
}

func TestOffAndNil(t *testing.T) {
	var nilBuckets *Buckets
	for _, b := range []*Buckets{nilBuckets, NewBuckets(Limit{})} {
		for range 1000 {
			if ok, _ := b.Allow("k", t0); !ok {
				t.Fatal("an off limit refused")
			}
			b.Take("k", t0)
		}
		if ex, _ := b.Exhausted("k", t0); ex {
			t.Fatal("an off limit is exhausted")
		}
	}
}

func TestIdleBucketsAreForgottenPastMaxKeys(t *testing.T) {
	b := NewBuckets(Limit{Rate: 1, Burst: 1})
	for i := range maxKeys {
		b.Allow(strconv.Itoa(i), t0)
	}
	b.Allow("late", t0.Add(time.Minute)) // every earlier bucket has refilled: all dropped
	if n := len(b.m); n != 1 {
		t.Fatalf("%d buckets kept", n)
	}
}

func TestGate(t *testing.T) {
	g := NewGate(2)
	// Entering has a side effect, so each attempt is its own statement.
	first, second, third := g.Enter("e"), g.Enter("e"), g.Enter("e")
	if !first || !second || third {
		t.Fatal("gate of 2 did not let exactly two in")
	}
	if !g.Enter("f") {
		t.Fatal("another key shares the gate")
	}
	g.Leave("e")
	if !g.Enter("e") {
		t.Fatal("a place given back was not reusable")
	}
	var off *Gate
	if !off.Enter("x") || !NewGate(0).Enter("x") {
		t.Fatal("no cap refused")
	}
}

// Callers read the clock before the lock, so times arrive slightly out of order: that never
// hands out more than the burst plus the rate.
func TestBucketsTimeOutOfOrder(t *testing.T) {
	b := NewBuckets(Limit{Rate: 10, Burst: 2})
	served := 0
	for i := range 100 {
		at := t0.Add(time.Duration(i%2) * 50 * time.Millisecond) // late, early, late, early…
		if ok, _ := b.Allow("k", at); ok {
			served++
		}
	}
	if served > 3 { // the burst of 2, and one refilled in the 50 ms
		t.Fatalf("%d served", served)
	}
}
