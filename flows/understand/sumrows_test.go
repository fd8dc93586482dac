package understand

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSumRowsIsFeatureByFeature: the model's scores, eight weights at a time, are the
// sums of the weights of every feature one at a time, for every message of the corpus
// (negated or not, with every context) and for long messages of random words.
func TestSumRowsIsFeatureByFeature(t *testing.T) {
	m, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if len(m.labels)%8 != 0 {
		t.Skip("the shipped model's labels are not a multiple of 8")
	}
	var texts [][]string
	files, _ := filepath.Glob("corpus/*/*.tsv")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			if parts := strings.Split(line, "\t"); len(parts) >= 3 && !strings.HasPrefix(line, "#") {
				texts = append(texts, Tokens(Normalize(parts[2])))
			}
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	// and long ones of random words, distinct or from a few (said again and again,
	// negated or not)
	few := strings.Fields("no me pega nunca ahora ayer 12 a xx casa cliente policia violencia ayudame dont t hace semanas")
	for i := range 300 {
		var toks []string
		for range 1 + rng.IntN(900) {
			if i%2 == 0 {
				toks = append(toks, few[rng.IntN(len(few))])
				continue
			}
			w := make([]byte, 1+rng.IntN(30))
			for i := range w {
				w[i] = "abcdefghijklmnopqrstuvwxyz0123456789"[rng.IntN(36)]
			}
			toks = append(toks, string(w))
		}
		texts = append(texts, toks)
	}
	if len(texts) < 1000 {
		t.Fatalf("only %d texts", len(texts))
	}
	k := len(m.labels)
	mask := uint32(1)<<m.bits - 1
	for i, toks := range texts {
		neg := Negated(toks, nil)
		if i%3 == 0 {
			for j := range neg {
				neg[j] = rng.IntN(2) == 0
			}
		}
		ctx := Context(rng.IntN(16))
		var want [MaxLabels]int32
		wantN := 0
		forEachFeature(toks, neg, ctx, false, func(f feature) {
			for l, q := range m.w[int(f.hash&mask)*k : int(f.hash&mask)*k+k] {
				want[l] += int32(q)
			}
			wantN++
		})
		var got [MaxLabels]int32
		if n := m.sumRows(toks, nil, neg, ctx, &got); n != wantN || got != want {
			t.Fatalf("%q: %d features, sums %v; one at a time %d, %v", strings.Join(toks, " "), n, got[:k], wantN, want[:k])
		}
	}
}

// TestSumRowsExtremeWeights: with every weight at its largest or least, thousands of
// features sum without a lane overflowing.
func TestSumRowsExtremeWeights(t *testing.T) {
	for _, c := range []struct {
		q      int8
		labels int
	}{{127, 16}, {-128, 16}, {127, 32}, {-128, 32}} {
		q, labels := c.q, c.labels
		m := &Model{labels: make([]string, labels), bits: 4, w: make([]int8, labels<<4)}
		for i := range m.w {
			m.w[i] = q
		}
		toks := strings.Fields(strings.Repeat("palabra larga otra ", 400))
		neg := make([]bool, len(toks))
		var got [MaxLabels]int32
		n := m.sumRows(toks, nil, neg, 0, &got)
		if n < 5000 {
			t.Fatalf("only %d features", n)
		}
		for l := range labels {
			if got[l] != int32(q)*int32(n) {
				t.Fatalf("weight %d: label %d sums to %d over %d features, want %d", q, l, got[l], n, int32(q)*int32(n))
			}
		}
	}
}
