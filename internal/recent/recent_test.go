package recent

import (
	"fmt"
	"testing"
	"time"
)

func TestMarks(t *testing.T) {
	var m Marks[string]
	t0 := time.Unix(1000, 0)
	if !m.Due("a", t0, time.Second) || m.Due("a", t0.Add(999*time.Millisecond), time.Second) {
		t.Fatal("a mark must hold for its span and no longer")
	}
	if !m.Due("a", t0.Add(time.Second), time.Second) {
		t.Fatal("a mark a span old is stale")
	}
	if m.Fresh("a", t0, time.Second) {
		t.Fatal("a clock gone back must not keep a mark fresh")
	}
	m.Forget("a")
	if m.Fresh("a", t0.Add(time.Second), time.Second) {
		t.Fatal("a forgotten mark is not fresh")
	}

	// Marking past pruneAt keys drops the stale ones.
	for i := range pruneAt {
		m.Mark(fmt.Sprint(i), t0, time.Second)
	}
	m.Mark("new", t0.Add(time.Hour), time.Second)
	if len(m.last) != 1 {
		t.Fatalf("%d marks kept after pruning, want 1", len(m.last))
	}
}
