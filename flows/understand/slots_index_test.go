package understand

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestAnchorsByFirstWord: looking anchors up by their first word finds what trying
// every anchor of the list at every word found (lastAnchor, longestAnchorAt): on
// random texts of the anchors' words, names and punctuation.
func TestAnchorsByFirstWord(t *testing.T) {
	var vocab []string
	for _, list := range [][][]string{nameAnchors, nameAnchorsAsked, placeAnchors} {
		for _, a := range list {
			vocab = append(vocab, a...)
		}
	}
	vocab = append(vocab, "Dani", "Yuli", "Comas", "la", "victoria", ",", ".", "!")
	// the code replaced: every anchor of the list, tried at every word
	lastEvery := func(ws []word, anchors [][]string) (at int, anchor []string) {
		at = -1
		for i := range ws {
			for _, a := range anchors {
				if i+len(a) < len(ws) && hasWordsAtW(ws, i, a) && !ws[i+len(a)-1].brk {
					if i+len(a) > at || (i+len(a) == at && len(a) > len(anchor)) {
						at, anchor = i+len(a), a
					}
				}
			}
		}
		return at, anchor
	}
	longestEvery := func(ws []word, i int, anchors [][]string) []string {
		var best []string
		for _, a := range anchors {
			if i+len(a) < len(ws) && len(a) > len(best) && hasWordsAtW(ws, i, a) && !ws[i+len(a)-1].brk {
				best = a
			}
		}
		return best
	}
	asked := append(slices.Clip(nameAnchors), nameAnchorsAsked...)
	rng := rand.New(rand.NewPCG(51, 52))
	found := 0
	for range 20000 {
		parts := make([]string, 1+rng.IntN(12))
		for i := range parts {
			parts[i] = vocab[rng.IntN(len(vocab))]
		}
		ws := splitWords(strings.Join(parts, " "))
		for _, c := range []struct {
			ix   phraseIndex
			list [][]string
		}{{nameIndex, nameAnchors}, {nameIndexAsked, asked}, {placeIndex, placeAnchors}} {
			at, a := lastAnchor(ws, c.ix)
			wantAt, wantA := lastEvery(ws, c.list)
			if at != wantAt || !slices.Equal(a, wantA) {
				t.Fatalf("%q: last anchor %d %q, every anchor tried: %d %q", parts, at, a, wantAt, wantA)
			}
			if at >= 0 {
				found++
			}
			for i := range ws {
				if got, want := longestAnchorAt(ws, i, c.ix), longestEvery(ws, i, c.list); !slices.Equal(got, want) {
					t.Fatalf("%q at %d: %q, every anchor tried: %q", parts, i, got, want)
				}
			}
		}
	}
	if found < 5000 {
		t.Fatalf("only %d anchors found", found)
	}
}

// TestNormalWordsAreNormal: a word isNormalWord accepts is its own Normalize, on random
// words of letters (some doubled and tripled), digits, capitals and accents.
func TestNormalWordsAreNormal(t *testing.T) {
	rng := rand.New(rand.NewPCG(53, 54))
	pieces := []string{"a", "b", "e", "aa", "aaa", "ll", "1", "111", "A", "é", "ñ", "z", "0"}
	accepted := 0
	for range 100000 {
		var b strings.Builder
		for range 1 + rng.IntN(6) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		w := b.String()
		if !isNormalWord(w) {
			continue
		}
		accepted++
		if n := Normalize(w); n != w {
			t.Fatalf("%q is taken as normal, and Normalize gives %q", w, n)
		}
	}
	if accepted < 10000 {
		t.Fatalf("only %d words taken as normal", accepted)
	}
}
