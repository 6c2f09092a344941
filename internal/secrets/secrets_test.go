package secrets

import (
	"encoding/base64"
	"strings"
	"testing"
)

func TestSealOpen(t *testing.T) {
	b, err := NewBox(strings.Repeat("0f", 32))
	if err != nil {
		t.Fatal(err)
	}
	s1, s2 := b.Seal([]byte("token")), b.Seal([]byte("token"))
	if s1 == s2 {
		t.Fatal("sealing twice gave the same text: the nonce is not random")
	}
	got, err := b.Open(s1)
	if err != nil || string(got) != "token" {
		t.Fatalf("open = %q, %v", got, err)
	}
	other, err := NewBox(base64.StdEncoding.EncodeToString([]byte(strings.Repeat("k", 32))))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.Open(s1); err == nil {
		t.Fatal("another key opened the value")
	}
	if _, err := b.Open("!!" + s1); err == nil {
		t.Fatal("tampered value opened")
	}
	for _, bad := range []string{"", "short", strings.Repeat("z", 64)} {
		if _, err := NewBox(bad); err == nil {
			t.Errorf("NewBox(%q) accepted", bad)
		}
	}
}

func TestLoadOrCreateKeyIsStable(t *testing.T) {
	dir := t.TempDir()
	k1, err := LoadOrCreateKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	k2, err := LoadOrCreateKey(dir)
	if err != nil || k1 != k2 {
		t.Fatalf("second load = %q, %v; want %q", k2, err, k1)
	}
	if _, err := NewBox(k1); err != nil {
		t.Fatalf("generated key unusable: %v", err)
	}
}
