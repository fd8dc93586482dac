package store

import (
	"bytes"
	"testing"
)

// TestSealerAlso: during a rotation a sealer opens what was sealed for its purpose
// under the previous secret and under its own, seals under its own only (a sealer
// without the previous secret opens what it seals), and still refuses what was sealed
// for another purpose or under a third secret.
func TestSealerAlso(t *testing.T) {
	a, b, c := []byte("previous-secret-0123456789"), []byte("current-secret-9876543210"), []byte("another-secret-ABCDEFGHIJ")
	mk := func(secret []byte, purpose string) *Sealer {
		s, err := NewSealer(secret, purpose)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	old, _ := mk(a, "outbox").Seal([]byte("queued under A"))
	rot := mk(b, "outbox")
	if _, err := rot.Open(old); err == nil {
		t.Fatal("opened a seal of the previous secret before Also")
	}
	if err := rot.Also(a); err != nil {
		t.Fatal(err)
	}
	if p, err := rot.Open(old); err != nil || !bytes.Equal(p, []byte("queued under A")) {
		t.Fatalf("previous seal: %q, %v", p, err)
	}
	fresh, err := rot.Seal([]byte("queued under B"))
	if err != nil {
		t.Fatal(err)
	}
	if p, err := mk(b, "outbox").Open(fresh); err != nil || string(p) != "queued under B" {
		t.Errorf("not sealed under the current secret: %q, %v", p, err)
	}
	if _, err := mk(a, "outbox").Open(fresh); err == nil {
		t.Error("sealed under the previous secret too")
	}
	other, _ := mk(a, "ticket").Seal([]byte("x"))
	third, _ := mk(c, "outbox").Seal([]byte("x"))
	for name, s := range map[string][]byte{"other purpose": other, "third secret": third} {
		if _, err := rot.Open(s); err == nil {
			t.Errorf("%s opened", name)
		}
	}
	if err := rot.Also([]byte("short")); err == nil {
		t.Error("a short previous secret accepted")
	}
}

// BenchmarkOpenRotation is what a rotation adds to opening: a seal of the current
// secret (tried first: the same cost), and one of the previous secret (one failed
// open more).
func BenchmarkOpenRotation(b *testing.B) {
	cur, _ := NewSealer([]byte("current-secret-9876543210"), "session")
	prev, _ := NewSealer([]byte("previous-secret-0123456789"), "session")
	rot, _ := NewSealer([]byte("current-secret-9876543210"), "session")
	_ = rot.Also([]byte("previous-secret-0123456789"))
	plain := bytes.Repeat([]byte("s"), 120)
	sealedCur, _ := cur.Seal(plain)
	sealedPrev, _ := prev.Seal(plain)
	for _, c := range []struct {
		name   string
		s      *Sealer
		sealed []byte
	}{{"none/current", cur, sealedCur}, {"rotation/current", rot, sealedCur}, {"rotation/previous", rot, sealedPrev}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := c.s.Open(c.sealed); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
