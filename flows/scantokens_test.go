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
