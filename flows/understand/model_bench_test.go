package understand

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// BenchmarkProbsIn measures the model on the longest text it reads (MaxInputRunes, the
// head or the tail of a long message): a story of corpus words, distinct random words
// of 6 to 10 letters and of 24 (the most features per byte), and a flood of a few
// words said again and again, negated or not; the story and the random words also
// with the caches filled by other work before each message.
func BenchmarkProbsIn(b *testing.B) {
	m, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 8))
	randomWord := func(n int) string {
		w := make([]byte, n)
		for i := range w {
			w[i] = byte('a' + rng.IntN(26))
		}
		return string(w)
	}
	var story, random, long, flood strings.Builder
	for story.Len() < 600 {
		story.WriteString("ayer fui a la casa de un cliente y no me quiso pagar, me pegó y tengo miedo de volver ")
	}
	for random.Len() < 600 {
		random.WriteString(randomWord(6+rng.IntN(5)) + " ")
	}
	for long.Len() < 600 {
		long.WriteString(randomWord(24) + " ")
	}
	for flood.Len() < 600 {
		flood.WriteString([]string{"ayuda", "policia", "no", "pega"}[rng.IntN(4)] + " ")
	}
	// other work between two messages (4 MB read, twice a core's L2 cache), for the
	// cold runs: in production, the model's weights are not all in the cache
	other := make([]byte, 4<<20)
	var sink byte
	for _, c := range []struct {
		name, text string
		cold       bool
	}{
		{"story", story.String(), false}, {"random", random.String(), false}, {"long", long.String(), false},
		{"flood", flood.String(), false}, {"cold/story", story.String(), true}, {"cold/random", random.String(), true},
	} {
		b.Run(c.name, func(b *testing.B) {
			toks := Tokens(Normalize(c.text))
			cls := Classify(toks, nil)
			neg := NegatedIn(toks, cls, nil)
			ctx := ContextOf(c.text)
			var out [MaxLabels]float32
			if !c.cold {
				b.ReportAllocs()
			}
			for b.Loop() {
				if c.cold {
					b.StopTimer()
					for i := 0; i < len(other); i += 64 {
						sink += other[i]
					}
					b.StartTimer()
				}
				m.ProbsIn(toks, cls, neg, ctx, out[:])
			}
		})
	}
	_ = sink
}
