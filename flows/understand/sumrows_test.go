package understand

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The model's scores are compared with a reference that adds the weights of every
// feature (forEachFeature) one at a time, from the weights as the model file has them:
// every bucket's row, zero ones too.

// fileWeights reads the weights of the embedded model file as they are stored there
// (bucket*len(labels) + label), without Unmarshal, which keeps only the rows not all
// zero.
func fileWeights(t testing.TB) []int8 {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(embedded))
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	r := bytes.NewReader(data[len(magic):])
	le := binary.LittleEndian
	var labels, size, bits uint32
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(binary.Read(r, le, &labels))
	for range labels {
		must(binary.Read(r, le, &size))
		_, err := r.Seek(int64(size), io.SeekCurrent)
		must(err)
	}
	must(binary.Read(r, le, &bits))
	_, err = r.Seek(int64(8*labels), io.SeekCurrent) // scale and bias
	must(err)
	w := make([]int8, labels<<bits)
	must(binary.Read(r, le, w))
	return w
}

// refSums adds the rows of w (every bucket's) of every feature of the tokens one at a
// time, and counts the features.
func refSums(m *Model, w []int8, toks []string, neg []bool, ctx Context) (acc [MaxLabels]int32, n int) {
	k := len(m.labels)
	mask := uint32(1)<<m.bits - 1
	forEachFeature(toks, neg, ctx, false, func(f feature) {
		for l, q := range w[int(f.hash&mask)*k : int(f.hash&mask)*k+k] {
			acc[l] += int32(q)
		}
		n++
	})
	return acc, n
}

// refProbs are the model's probabilities from refSums.
func refProbs(m *Model, w []int8, toks []string, neg []bool, ctx Context) []float32 {
	acc, n := refSums(m, w, toks, neg, ctx)
	out := make([]float32, len(m.labels))
	norm := float32(1)
	if n > 0 {
		norm = 1 / float32(math.Sqrt(float64(n)))
	}
	for i := range out {
		out[i] = float32(acc[i])*m.scale[i]*norm + m.bias[i]
	}
	softmax(out)
	return out
}

// corpusTexts are the tokens of every message of the corpus.
func corpusTexts(t testing.TB) [][]string {
	t.Helper()
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
	if len(texts) < 1000 {
		t.Fatalf("only %d texts in the corpus", len(texts))
	}
	return texts
}

// randomTexts are count texts of up to 900 tokens: words of the corpus (vocab), random
// letters, numbers, words longer than maxGramWord, either all different (more than
// maxMemoWords) or a few or some dozens said again and again.
func randomTexts(rng *rand.Rand, vocab []string, count int) [][]string {
	letters := func(n int) string {
		w := make([]byte, n)
		for i := range w {
			w[i] = "abcdefghijklmnopqrstuvwxyz"[rng.IntN(26)]
		}
		return string(w)
	}
	token := func() string {
		switch rng.IntN(8) {
		case 0:
			return letters(1 + rng.IntN(10))
		case 1:
			return strconv.Itoa(rng.IntN(100000))
		case 2:
			return letters(maxGramWord - 2 + rng.IntN(20)) // around 24 letters and longer
		case 3:
			return letters(3) + strconv.Itoa(rng.IntN(100)) // letters and digits
		default:
			return vocab[rng.IntN(len(vocab))]
		}
	}
	var texts [][]string
	for i := range count {
		n := 1 + rng.IntN(120)
		if i%4 == 0 {
			n = 1 + rng.IntN(900)
		}
		var pool []string // the words said again and again, if any
		switch i % 3 {
		case 1:
			pool = make([]string, 1+rng.IntN(6))
		case 2:
			pool = make([]string, maxMemoWords+rng.IntN(40))
		}
		for j := range pool {
			pool[j] = token()
		}
		toks := make([]string, n)
		for j := range toks {
			if pool != nil {
				toks[j] = pool[rng.IntN(len(pool))]
			} else {
				toks[j] = token()
			}
		}
		texts = append(texts, toks)
	}
	return texts
}

// negations are the tokens' negations: Negated's, or random, or all (for a third each).
func negations(rng *rand.Rand, toks []string, i int) []bool {
	neg := Negated(toks, nil)
	for j := range neg {
		switch i % 3 {
		case 1:
			neg[j] = rng.IntN(2) == 0
		case 2:
			neg[j] = true
		}
	}
	return neg
}

// testTexts are the corpus's messages and random texts of its words and others.
func testTexts(t testing.TB, rng *rand.Rand, count int) [][]string {
	texts := corpusTexts(t)
	var vocab []string
	seen := map[string]bool{}
	for _, toks := range texts {
		for _, w := range toks {
			if !seen[w] {
				seen[w] = true
				vocab = append(vocab, w)
			}
		}
	}
	return append(texts, randomTexts(rng, vocab, count)...)
}

// TestSumRowsIsFeatureByFeature: the model's sums, eight weights at a time and without
// reading zero rows, are the sums of the weights of every feature one at a time, and
// the number of features counts those of zero rows too, for every message of the
// corpus (negated or not, with every context) and for long messages of random words.
func TestSumRowsIsFeatureByFeature(t *testing.T) {
	m, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if len(m.labels)%8 != 0 {
		t.Skip("the shipped model's labels are not a multiple of 8")
	}
	w := fileWeights(t)
	rng := rand.New(rand.NewPCG(3, 4))
	k := len(m.labels)
	for i, toks := range testTexts(t, rng, 1500) {
		neg := negations(rng, toks, i)
		ctx := Context(rng.IntN(16))
		want, wantN := refSums(m, w, toks, neg, ctx)
		var got [MaxLabels]int32
		if n := m.sumRows(toks, nil, neg, ctx, &got); n != wantN || got != want {
			t.Fatalf("%q: %d features, sums %v; one at a time %d, %v", strings.Join(toks, " "), n, got[:k], wantN, want[:k])
		}
	}
}

// TestProbsAreFeatureByFeature: the model's probabilities are bit for bit those of the
// weights of every feature added one at a time.
func TestProbsAreFeatureByFeature(t *testing.T) {
	m, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	w := fileWeights(t)
	rng := rand.New(rand.NewPCG(9, 10))
	for i, toks := range testTexts(t, rng, 1500) {
		neg := negations(rng, toks, i)
		ctx := Context(rng.IntN(16))
		var cls []uint32
		if i%2 == 0 {
			cls = Classify(toks, nil)
		}
		var buf [MaxLabels]float32
		got := m.ProbsIn(toks, cls, neg, ctx, buf[:])
		want := refProbs(m, w, toks, neg, ctx)
		for l := range want {
			if math.Float32bits(got[l]) != math.Float32bits(want[l]) {
				t.Fatalf("%q: label %d: %v, one feature at a time %v", strings.Join(toks, " "), l, got[l], want[l])
			}
		}
	}
}

// sparseModel is a model of k labels and 1<<bits buckets (few: features share them)
// whose rows are all zero but for a share of them, of random or of extreme weights;
// and its weights, every bucket's.
func sparseModel(rng *rand.Rand, k int, bits uint, share float64, extreme bool) (*Model, []int8) {
	w := make([]int8, k<<bits)
	for b := range 1 << bits {
		if rng.Float64() >= share {
			continue
		}
		for l := range k {
			q := int8(rng.IntN(256) - 128)
			if extreme {
				q = []int8{127, -128}[rng.IntN(2)]
			}
			w[b*k+l] = q
		}
	}
	m := &Model{labels: make([]string, k), bits: bits, scale: make([]float32, k), bias: make([]float32, k)}
	for l := range k {
		m.scale[l] = 0.001 + rng.Float32()/50
		m.bias[l] = rng.Float32() - 0.5
	}
	m.rows = newWeightRows(w, k, bits)
	return m, w
}

// TestSparseModelsAreFeatureByFeature: for models of any number of labels (a multiple
// of 8 or not) with few or many zero rows, of weights up to the extremes, the sums,
// the number of features and the probabilities are those of every feature added one at
// a time, and the rows stored are the model's.
func TestSparseModelsAreFeatureByFeature(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	texts := testTexts(t, rng, 300)
	for _, k := range []int{1, 5, 8, 12, 16, 32, 40, 64} {
		for _, share := range []float64{0, 0.03, 0.5, 0.97, 1} {
			for _, extreme := range []bool{false, true} {
				bits := uint(3 + rng.IntN(8))
				m, w := sparseModel(rng, k, bits, share, extreme)
				if got := m.denseWeights(); !slices.Equal(got, w) {
					t.Fatalf("%d labels, %d buckets, %v stored: the rows stored are not the model's", k, 1<<bits, share)
				}
				for i := 0; i < len(texts); i += 1 + rng.IntN(40) {
					toks := texts[i]
					neg := negations(rng, toks, i)
					ctx := Context(rng.IntN(16))
					if k%8 == 0 {
						want, wantN := refSums(m, w, toks, neg, ctx)
						var got [MaxLabels]int32
						if n := m.sumRows(toks, nil, neg, ctx, &got); n != wantN || got != want {
							t.Fatalf("%d labels, %v stored, extreme %v: %q: %d features, sums %v; one at a time %d, %v",
								k, share, extreme, strings.Join(toks, " "), n, got[:k], wantN, want[:k])
						}
					}
					var buf [MaxLabels]float32
					got := m.ProbsIn(toks, nil, neg, ctx, buf[:])
					want := refProbs(m, w, toks, neg, ctx)
					for l := range want {
						if math.Float32bits(got[l]) != math.Float32bits(want[l]) {
							t.Fatalf("%d labels, %v stored, extreme %v: %q: label %d: %v, one feature at a time %v",
								k, share, extreme, strings.Join(toks, " "), l, got[l], want[l])
						}
					}
				}
			}
		}
	}
}

// TestExplainIsFeatureByFeature: Explain weighs each feature by its weight in the model
// file, zero rows too, for the shipped model and for one of 12 labels.
func TestExplainIsFeatureByFeature(t *testing.T) {
	shipped, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(13, 14))
	odd, oddW := sparseModel(rng, 12, 8, 0.3, false)
	texts := testTexts(t, rng, 100)
	for _, c := range []struct {
		m *Model
		w []int8
	}{{shipped, fileWeights(t)}, {odd, oddW}} {
		m, k := c.m, len(c.m.labels)
		mask := uint32(1)<<m.bits - 1
		for i := 0; i < len(texts); i += 1 + rng.IntN(20) {
			toks := texts[i]
			neg := negations(rng, toks, i)
			ctx := Context(rng.IntN(16))
			label := rng.IntN(k)
			var want []Contribution
			n := 0
			seen := map[string]bool{}
			forEachFeature(toks, neg, ctx, true, func(f feature) {
				n++
				if !seen[f.name()] {
					seen[f.name()] = true
					want = append(want, Contribution{f.name(), float32(c.w[int(f.hash&mask)*k+label]) * m.scale[label]})
				}
			})
			for j := range want {
				want[j].Weight /= float32(math.Sqrt(float64(n)))
			}
			slices.SortStableFunc(want, func(a, b Contribution) int {
				switch {
				case a.Weight > b.Weight:
					return -1
				case a.Weight < b.Weight:
					return 1
				}
				return 0
			})
			want = want[:min(len(want), 10)]
			if got := m.Explain(toks, neg, ctx, label, 10); !slices.Equal(got, want) {
				t.Fatalf("%d labels: %q: Explain gives %v, one feature at a time %v", k, strings.Join(toks, " "), got, want)
			}
		}
	}
}

// TestTokenHashesAreFeatures: the hashes sumRows adds for a token are those of the
// features forEachFeature gives it, in its order, after any word, negated or not.
func TestTokenHashesAreFeatures(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	for i, toks := range testTexts(t, rng, 300) {
		if len(toks) == 0 { // emoji alone: no token
			continue
		}
		prev := toks[rng.IntN(len(toks))]
		tok := toks[rng.IntN(len(toks))]
		negated := i%2 == 0
		// the features of the token follow those of prev (and of the context: "hace ano")
		var before, want []uint32
		forEachFeature([]string{prev}, []bool{false}, 0, false, func(f feature) {
			if f.kind != kindContext {
				before = append(before, f.hash)
			}
		})
		forEachFeature([]string{prev, tok}, []bool{false, negated}, 0, false, func(f feature) {
			if f.kind != kindContext {
				want = append(want, f.hash)
			}
		})
		want = want[len(before):]
		prevWord := prev
		if isNumber(prev) {
			prevWord = "#"
		}
		var buf [2*maxGramWord + 8]uint32
		word, got := tokenHashes(buf[:0], tok, negated, prevWord)
		if !slices.Equal(got, want) {
			t.Fatalf("%q after %q, negated %v: hashes %v, features %v", tok, prev, negated, got, want)
		}
		if wantWord := map[bool]string{true: "#", false: tok}[isNumber(tok)]; word != wantWord {
			t.Fatalf("%q: word %q, want %q", tok, word, wantWord)
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
		w := make([]int8, labels<<4)
		for i := range w {
			w[i] = q
		}
		m := &Model{labels: make([]string, labels), bits: 4, rows: newWeightRows(w, labels, 4)}
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
