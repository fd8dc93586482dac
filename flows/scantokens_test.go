package flows

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/faro-chat/faro/flows/understand"
)

// TestScanTokensCutsTheMiddle: scanTokens gives the first words of a long story (those
// read as the message: up to the first space at or after its 500th byte, normalized)
// and the last ones, as splitting it all and cutting its middle out gives.
func TestScanTokensCutsTheMiddle(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 17))
	words := []string{"a", "ayuda", "me", "pegan", "x", "🙏", "  ", ".", "ñ", strings.Repeat("larga", 40)}
	for range 3000 {
		var b strings.Builder
		for range rng.IntN(3000) {
			b.WriteString(words[rng.IntN(len(words))])
			b.WriteByte(' ')
		}
		raw := b.String()
		norm := understand.NormalizeN(raw, understand.MaxScanRunes)
		all := tokensOf(norm)
		head, at := 0, 0 // the words that begin at or before byte 500
		for _, w := range all {
			if at > understand.MaxInputRunes {
				break
			}
			head++
			at += len(w) + 1
		}
		want := all
		if len(all) > maxScanTokens {
			want = append(all[:head:head], all[len(all)-(maxScanTokens-head):]...)
		}
		got, gotHead := scanTokens(raw)
		if !slices.Equal(got, want) || gotHead != head {
			t.Fatalf("%d words: %d tokens, head %d; want %d, head %d", len(all), len(got), gotHead, len(want), head)
		}
		if head > 0 && len(strings.Join(all[:head-1], " ")) > understand.MaxInputRunes {
			t.Fatalf("the words read as the message go past byte %d", understand.MaxInputRunes)
		}
	}
}

// TestStoryTailIsTheWholeStorysEnd: the classes and negations of a long story's end,
// worked out from its own words and the few before, are those of the whole story from
// there on. Stories of random words, negations ("no", "don" "t", "no se si") and
// scope breaks, read from every place.
func TestStoryTailIsTheWholeStorysEnd(t *testing.T) {
	words := strings.Fields("no nunca not don t se si pero y me pega estoy bien ayuda cliente ya")
	rng := rand.New(rand.NewPCG(41, 42))
	var clsBuf [maxTailTokens + understand.NegationReach]uint32
	var negBuf [maxTailTokens + understand.NegationReach]bool
	for range 3000 {
		toks := make([]string, 1+rng.IntN(200))
		for i := range toks {
			toks[i] = words[rng.IntN(len(words))]
		}
		cls := understand.Classify(toks, nil)
		neg := understand.NegatedIn(toks, cls, nil)
		from := max(len(toks)-1-rng.IntN(maxTailTokens), 0)
		gotCls, gotNeg := storyTail(toks, from, nil, nil, clsBuf[:0], negBuf[:])
		if !slices.Equal(gotCls, cls[from:]) || !slices.Equal(gotNeg, neg[from:]) {
			t.Fatalf("%q from %d: negated %v, the whole story's %v", toks, from, gotNeg, neg[from:])
		}
		if c, n := storyTail(toks, from, cls, neg, nil, nil); !slices.Equal(c, cls[from:]) || !slices.Equal(n, neg[from:]) {
			t.Fatal("the whole story's classes were not cut")
		}
	}
}
