package flows

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/faro-chat/faro/flows/understand"
)

// TestScanTokensCutsTheMiddle: scanTokens gives the first head words and the last
// ones of a long story, as splitting it all and cutting its middle out gives.
func TestScanTokensCutsTheMiddle(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 17))
	for range 3000 {
		var b strings.Builder
		for range rng.IntN(3000) {
			b.WriteString([]string{"a", "ayuda", "me", "pegan", "x", "🙏", "  ", ".", "ñ"}[rng.IntN(9)])
			b.WriteByte(' ')
		}
		raw := b.String()
		all := tokensOf(understand.NormalizeN(raw, understand.MaxScanRunes))
		head := rng.IntN(min(len(all), 900) + 1)
		want := all
		if len(all) > maxScanTokens && head < maxScanTokens {
			want = append(all[:head:head], all[len(all)-(maxScanTokens-head):]...)
		}
		if got := scanTokens(raw, head); !slices.Equal(got, want) {
			t.Fatalf("%d words, head %d: %d tokens, want %d", len(all), head, len(got), len(want))
		}
	}
}
