package understand

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
)

// TrainOptions set how a model is trained. The zero value is not useful: start from
// DefaultTrainOptions.
type TrainOptions struct {
	Bits   uint    // log2 of the number of feature buckets
	Epochs int     // passes over the examples
	Rate   float64 // AdaGrad learning rate
	L2     float64 // weight decay per update
	// Weight multiplies the loss of the examples of an intent: missing danger costs
	// more than asking about it once too often.
	Weight map[string]float64
	// LangBits is log2 of the number of buckets of the language model.
	LangBits uint
	// Langs are the languages the language model tells apart.
	Langs []string
	Seed  uint64
}

// DefaultTrainOptions are the options `go generate` trains the shipped model with.
func DefaultTrainOptions() TrainOptions {
	return TrainOptions{
		Bits: 17, Epochs: 20, Rate: 0.3, L2: 1e-5,
		Weight:   map[string]float64{"danger": 1.0, "selfharm": 1.0},
		LangBits: 13, Langs: []string{"es", "en", "pt"}, Seed: 1,
	}
}

// sparse is one example's features: bucket and value.
type sparse struct {
	idx []int32
	val []float64
}

func vectorize(text string, mask uint32) sparse {
	tokens := Tokens(Normalize(text))
	neg := Negated(tokens, nil)
	counts := map[int32]float64{}
	n := 0
	forEachFeature(tokens, neg, ContextOf(text), false, func(f feature) {
		counts[int32(f.hash&mask)]++
		n++
	})
	var s sparse
	for b := range counts {
		s.idx = append(s.idx, b)
	}
	sort.Slice(s.idx, func(i, j int) bool { return s.idx[i] < s.idx[j] })
	norm := 1.0
	if n > 0 {
		norm = 1 / math.Sqrt(float64(n))
	}
	for _, b := range s.idx {
		s.val = append(s.val, counts[b]*norm)
	}
	return s
}

// Train fits a model to the examples: a multinomial logistic regression trained with
// AdaGrad over shuffled examples (deterministic for a seed), its weights then stored as
// 8-bit integers with a scale per intent; and a naive Bayes language model.
// Examples without a word (emoji alone: "😭😭") are left out: the model would learn
// from them only the emoji's context, which the rules read whole (flows: a message of
// distress emoji alone is asked about), and it would lean every message with that emoji.
func Train(examples []Example, opt TrainOptions) *Model {
	examples = slices.DeleteFunc(slices.Clone(examples), func(ex Example) bool { return strings.TrimSpace(Normalize(ex.Text)) == "" })
	m := trainLinear(examples, func(ex Example) string { return ex.Intent }, opt)
	trainLang(m, examples, opt)
	return m
}

// trainLinear fits the linear part of a model to the examples, labelled by label.
func trainLinear(examples []Example, label func(Example) string, opt TrainOptions) *Model {
	labelSet := map[string]bool{}
	for _, ex := range examples {
		labelSet[label(ex)] = true
	}
	labels := make([]string, 0, len(labelSet))
	for l := range labelSet {
		labels = append(labels, l)
	}
	sort.Strings(labels)
	index := map[string]int{}
	for i, l := range labels {
		index[l] = i
	}
	k := len(labels)
	mask := uint32(1)<<opt.Bits - 1
	xs := make([]sparse, len(examples))
	ys := make([]int, len(examples))
	for i, ex := range examples {
		xs[i] = vectorize(ex.Text, mask)
		ys[i] = index[label(ex)]
	}
	w := make([]float64, k<<opt.Bits)
	g2 := make([]float64, k<<opt.Bits)
	bias := make([]float64, k)
	bg2 := make([]float64, k)
	order := make([]int, len(examples))
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(opt.Seed, 0x9e3779b97f4a7c15))
	p := make([]float64, k)
	const eps = 1e-8
	for range opt.Epochs {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, e := range order {
			x, y := xs[e], ys[e]
			for c := range k {
				p[c] = bias[c]
			}
			for j, b := range x.idx {
				row := w[int(b)*k : int(b)*k+k]
				for c := range k {
					p[c] += row[c] * x.val[j]
				}
			}
			softmax64(p)
			cw := 1.0
			if v, ok := opt.Weight[examples[e].Intent]; ok {
				cw = v
			}
			for c := range k {
				g := p[c]
				if c == y {
					g -= 1
				}
				g *= cw
				if g == 0 {
					continue
				}
				bg2[c] += g * g
				bias[c] -= opt.Rate * g / (math.Sqrt(bg2[c]) + eps)
				for j, b := range x.idx {
					i := int(b)*k + c
					gi := g*x.val[j] + opt.L2*w[i]
					g2[i] += gi * gi
					w[i] -= opt.Rate * gi / (math.Sqrt(g2[i]) + eps)
				}
			}
		}
	}
	m := &Model{labels: labels, bits: opt.Bits, scale: make([]float32, k), bias: make([]float32, k)}
	q := make([]int8, k<<opt.Bits) // bucket*k + label
	for c := range k {
		mx := 0.0
		for b := 0; b < 1<<opt.Bits; b++ {
			mx = max(mx, math.Abs(w[b*k+c]))
		}
		scale := mx / 127
		if scale == 0 {
			scale = 1
		}
		m.scale[c] = float32(scale)
		m.bias[c] = float32(bias[c])
		for b := 0; b < 1<<opt.Bits; b++ {
			q[b*k+c] = int8(math.Round(w[b*k+c] / scale))
		}
	}
	m.rows = newWeightRows(q, k, opt.Bits)
	return m
}

// trainLang fits the naive Bayes language model: add-half smoothed gram frequencies.
func trainLang(m *Model, examples []Example, opt TrainOptions) {
	m.langs = opt.Langs
	m.langBits = opt.LangBits
	nl := len(m.langs)
	buckets := 1 << opt.LangBits
	counts := make([]float64, nl*buckets)
	totals := make([]float64, nl)
	mask := uint32(buckets - 1)
	for _, ex := range examples {
		li := -1
		for i, l := range m.langs {
			if l == ex.Lang {
				li = i
			}
		}
		if li < 0 {
			continue
		}
		forEachLangGram(Tokens(Normalize(ex.Text)), func(h uint32) {
			counts[int(h&mask)*nl+li]++
			totals[li]++
		})
	}
	const alpha = 0.5
	m.langW = make([]float32, nl*buckets)
	m.langMiss = make([]float32, nl)
	for li := range nl {
		den := totals[li] + alpha*float64(buckets)
		m.langMiss[li] = float32(math.Log(alpha / den))
		for b := range buckets {
			if c := counts[b*nl+li]; c > 0 {
				m.langW[b*nl+li] = float32(math.Log((c + alpha) / den))
			}
		}
	}
}

func softmax64(x []float64) {
	mx := math.Inf(-1)
	for _, v := range x {
		mx = max(mx, v)
	}
	sum := 0.0
	for i, v := range x {
		x[i] = math.Exp(v - mx)
		sum += x[i]
	}
	for i := range x {
		x[i] /= sum
	}
}
