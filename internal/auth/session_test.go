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

func TestPurposesDoNotMix(t *testing.T) {
	now := time.Now()
	chat, cabinet := NewSigner("k"), NewSignerFor("k", "cabinet")
	tok, _ := chat.Issue(Session{WorkspaceID: "w", EmployeeID: "e"}, now)
	if _, err := cabinet.Verify(tok, now); err == nil {
		t.Fatal("a chat window token opened the cabinet")
	}
	tok, _ = cabinet.Issue(Session{WorkspaceID: "w", EmployeeID: "e"}, now)
	if _, err := chat.Verify(tok, now); err == nil {
		t.Fatal("a cabinet token opened the chat API")
	}
	if _, err := NewSignerFor("k", "cabinet").Verify(tok, now); err != nil {
		t.Fatalf("same key and purpose: %v", err)
	}
}
