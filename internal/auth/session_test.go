package auth

import (
	"testing"
	"time"
)

func TestSessionRoundTrip(t *testing.T) {
	g := NewSigner("k1")
	now := time.Now()
	tok, s := g.Issue(Session{WorkspaceID: "w", EmployeeID: "e", ExpiresAt: now.Add(24 * time.Hour)}, now)
	if s.ExpiresAt.After(now.Add(MaxSessionTTL)) {
		t.Fatalf("expiry not capped: %v", s.ExpiresAt)
	}
	got, err := g.Verify(tok, now)
	if err != nil || got.WorkspaceID != "w" || got.EmployeeID != "e" {
		t.Fatalf("verify = %+v, %v", got, err)
	}
	for name, bad := range map[string]string{
		"other key": func() string { t, _ := NewSigner("k2").Issue(s, now); return t }(),
		"tampered":  "x" + tok[1:],
		"garbage":   "nonsense",
		"empty":     "",
	} {
		if _, err := g.Verify(bad, now); err != ErrInvalid {
			t.Errorf("%s: err = %v, want ErrInvalid", name, err)
		}
	}
	if _, err := g.Verify(tok, now.Add(MaxSessionTTL+time.Second)); err != ErrInvalid {
		t.Errorf("expired token accepted")
	}
}
