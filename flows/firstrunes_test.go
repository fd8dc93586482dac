package flows

import (
	"math/rand/v2"
	"testing"
	"unicode/utf8"
)

// TestFirstRunesIsTheRunesCut: firstRunes cuts as converting the whole text to runes
// did, and longerThanRunes counts as counting them all did, on random texts of ASCII, accents, emoji and invalid bytes, around the limit.
func TestFirstRunesIsTheRunesCut(t *testing.T) {
	pieces := []string{"a", "é", "😭", "\xff", "\xe2\x82", " ", "ñ"}
	rng := rand.New(rand.NewPCG(61, 62))
	cut := 0
	for range 20000 {
		var b []byte
		for range rng.IntN(40) {
			b = append(b, pieces[rng.IntN(len(pieces))]...)
		}
		text, n := string(b), rng.IntN(30)
		want := text
		if utf8.RuneCountInString(text) > n {
			want = string([]rune(text)[:n])
			cut++
		}
		if got, want := longerThanRunes(text, n), utf8.RuneCountInString(text) > n; got != want {
			t.Fatalf("longerThanRunes(%q, %d) = %v", text, n, got)
		}
		if got := firstRunes(text, n); got != want {
			t.Fatalf("firstRunes(%q, %d) = %q, want %q", text, n, got, want)
		}
	}
	if cut < 5000 {
		t.Fatalf("only %d texts cut", cut)
	}
}
