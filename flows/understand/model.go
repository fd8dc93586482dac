package understand

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"slices"
	"sort"
	"sync"
	"unsafe"
)

//go:generate go run ./gen -corpus corpus/train -out model.bin

// MaxLabels bounds the number of intents a model may have, so that scores fit in an
// array on the caller's stack.
const MaxLabels = 64

// Model is a multinomial logistic regression over hashed features (see features.go)
// and a naive Bayes model of the language of the text. It is trained from the corpus
// by Train (`go generate ./flows/understand`) and is immutable: safe for concurrent use.
type Model struct {
	labels []string
	bits   uint       // log2 of the number of buckets
	scale  []float32  // per label: weight = int8 * scale
	bias   []float32  // per label
	rows   weightRows // per bucket, a weight per label (int8 * scale)

	langs    []string  // languages of the language model
	langBits uint      // log2 of its buckets
	langW    []float32 // bucket*len(langs) + lang: log P(gram | lang)
	langMiss []float32 // per lang: log P(unseen gram | lang)
}

//go:embed model.bin
var embedded []byte

var (
	defaultOnce  sync.Once
	defaultModel *Model
	defaultErr   error
)

// Default returns the model trained from the shipped corpus and embedded in the binary.
func Default() (*Model, error) {
	defaultOnce.Do(func() { defaultModel, defaultErr = Unmarshal(embedded) })
	return defaultModel, defaultErr
}

// Labels lists the model's intents; scores are in this order.
func (m *Model) Labels() []string { return m.labels }

// Label returns the index of an intent, or -1.
func (m *Model) Label(name string) int {
	for i, l := range m.labels {
		if l == name {
			return i
		}
	}
	return -1
}

// Probs writes into out (at least len(Labels()) long) the probability of each intent
// for the tokens of a normalized message, and returns it cut to length. It allocates
// nothing when neg is long enough for the tokens.
func (m *Model) Probs(tokens []string, neg []bool, ctx Context, out []float32) []float32 {
	return m.ProbsIn(tokens, nil, neg, ctx, out)
}

// ProbsIn is Probs of tokens with their classes (see Classify; nil to look them up).
func (m *Model) ProbsIn(tokens []string, cls []uint32, neg []bool, ctx Context, out []float32) []float32 {
	k := len(m.labels)
	out = out[:k]
	var acc [MaxLabels]int32
	n := 0
	if k%8 == 0 {
		n = m.sumRows(tokens, cls, neg, ctx, &acc)
	} else {
		forEachFeature(tokens, neg, ctx, false, func(f feature) {
			row := m.row(f.hash) // nil for a zero row, which still counts in n
			a := acc[:len(row)]
			for i, q := range row {
				a[i] += int32(q)
			}
			n++
		})
	}
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

// Contribution is one feature's part in the score of an intent, for explanations.
type Contribution struct {
	Feature string
	Weight  float32
}

// Explain lists the features of the tokens that weigh most for label, strongest first.
func (m *Model) Explain(tokens []string, neg []bool, ctx Context, label int, top int) []Contribution {
	var all []Contribution
	n := 0
	seen := map[string]bool{}
	forEachFeature(tokens, neg, ctx, true, func(f feature) {
		n++
		name := f.name()
		if seen[name] {
			return
		}
		seen[name] = true
		var q int8
		if row := m.row(f.hash); row != nil {
			q = row[label]
		}
		all = append(all, Contribution{name, float32(q) * m.scale[label]})
	})
	if n > 0 {
		for i := range all {
			all[i].Weight /= float32(math.Sqrt(float64(n)))
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].Weight > all[j].Weight })
	if len(all) > top {
		all = all[:top]
	}
	return all
}

func softmax(x []float32) {
	mx := float32(math.Inf(-1))
	for _, v := range x {
		mx = max(mx, v)
	}
	var sum float32
	for i, v := range x {
		x[i] = float32(math.Exp(float64(v - mx)))
		sum += x[i]
	}
	for i := range x {
		x[i] /= sum
	}
}

// Lang guesses the language of the tokens (their first langMaxWords) among the
// model's languages: the best one and by how much its log-probability per gram beats
// the second (0 when nothing could be told, as for a bare number).
func (m *Model) Lang(tokens []string) (lang string, margin float32) {
	nl := len(m.langs)
	if nl == 0 {
		return "", 0
	}
	if len(tokens) > langMaxWords {
		tokens = tokens[:langMaxWords]
	}
	var acc [8]float32
	grams := 0
	mask := uint32(1)<<m.langBits - 1
	forEachLangGram(tokens, func(h uint32) {
		row := m.langW[int(h&mask)*nl : int(h&mask)*nl+nl]
		for i, v := range row {
			if v == 0 {
				v = m.langMiss[i]
			}
			acc[i] += v
		}
		grams++
	})
	if grams == 0 {
		return "", 0
	}
	best := 0
	for i := 1; i < nl; i++ {
		if acc[i] > acc[best] {
			best = i
		}
	}
	second := float32(math.Inf(-1))
	for i := 0; i < nl; i++ {
		if i != best {
			second = max(second, acc[i])
		}
	}
	if nl == 1 {
		return m.langs[best], 0
	}
	return m.langs[best], (acc[best] - second) / float32(grams)
}

// langMaxWords is how many words of a text Lang reads: a language is clear long before
// (faro eval gives the same on every split with 32 as with every word), and a flood of
// words costs no more.
const langMaxWords = 32

// forEachLangGram calls emit with the hash of each character 3-gram of each
// word with its boundaries, and of each whole word.
func forEachLangGram(tokens []string, emit func(uint32)) {
	for _, tok := range tokens {
		if isNumber(tok) || len(tok) > maxGramWord {
			continue
		}
		emit(hashString(hashByte(fnvOffset, 'W'), tok))
		forEachGram(hashByte(fnvOffset, 'G'), tok, 3, 3, func(h uint32, _, _ int) { emit(h) })
	}
}

// The model file, once gunzipped: a magic, then little-endian sections. Most weights
// are zero (buckets no feature of the corpus falls in), so gzip shrinks it fourfold.
var magic = []byte("FARO-NLU2\n")

// maxModelBytes bounds a model once unzipped.
const maxModelBytes = 64 << 20

// Marshal writes the model, gzipped, in the format Unmarshal reads. The same model
// gives the same bytes.
func (m *Model) Marshal() []byte {
	var z bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&z, gzip.BestCompression)
	_, _ = zw.Write(m.marshalRaw())
	_ = zw.Close()
	return z.Bytes()
}

func (m *Model) marshalRaw() []byte {
	var b bytes.Buffer
	b.Write(magic)
	le := binary.LittleEndian
	writeStrings := func(ss []string) {
		_ = binary.Write(&b, le, uint32(len(ss)))
		for _, s := range ss {
			_ = binary.Write(&b, le, uint32(len(s)))
			b.WriteString(s)
		}
	}
	writeLinear := func(m *Model) {
		writeStrings(m.labels)
		_ = binary.Write(&b, le, uint32(m.bits))
		_ = binary.Write(&b, le, m.scale)
		_ = binary.Write(&b, le, m.bias)
		_ = binary.Write(&b, le, m.denseWeights())
	}
	writeLinear(m)
	writeStrings(m.langs)
	_ = binary.Write(&b, le, uint32(m.langBits))
	_ = binary.Write(&b, le, m.langMiss)
	_ = binary.Write(&b, le, m.langW)
	return b.Bytes()
}

// Unmarshal reads a model written by Marshal.
func Unmarshal(zipped []byte) (*Model, error) {
	zr, err := gzip.NewReader(bytes.NewReader(zipped))
	if err != nil {
		return nil, fmt.Errorf("understand: model is not gzipped: %w", err)
	}
	data, err := io.ReadAll(io.LimitReader(zr, maxModelBytes+1))
	if err != nil {
		return nil, fmt.Errorf("understand: unzipping the model: %w", err)
	}
	if len(data) > maxModelBytes {
		return nil, errors.New("understand: model too large")
	}
	if !bytes.HasPrefix(data, magic) {
		return nil, errors.New("understand: not a model file")
	}
	r := bytes.NewReader(data[len(magic):])
	le := binary.LittleEndian
	u32 := func() uint32 {
		var v uint32
		if err == nil {
			err = binary.Read(r, le, &v)
		}
		return v
	}
	readStrings := func() []string {
		n := u32()
		if n > MaxLabels {
			err = errors.Join(err, fmt.Errorf("understand: %d names in model", n))
			return nil
		}
		ss := make([]string, n)
		for i := range ss {
			l := u32()
			if err != nil || l > 64 {
				err = errors.Join(err, errors.New("understand: bad name in model"))
				return nil
			}
			buf := make([]byte, l)
			if _, e := io.ReadFull(r, buf); e != nil {
				err = e
				return nil
			}
			ss[i] = string(buf)
		}
		return ss
	}
	readLinear := func() (*Model, error) {
		m := &Model{}
		m.labels = readStrings()
		m.bits = uint(u32())
		if err != nil || m.bits > 24 || len(m.labels) == 0 {
			return nil, fmt.Errorf("understand: bad model header: %v", err)
		}
		k := len(m.labels)
		m.scale = make([]float32, k)
		m.bias = make([]float32, k)
		w := make([]int8, k<<m.bits)
		for _, v := range []any{m.scale, m.bias, w} {
			if err == nil {
				err = binary.Read(r, le, v)
			}
		}
		if err == nil {
			m.rows = newWeightRows(w, k, m.bits)
		}
		return m, err
	}
	m, err := readLinear()
	if err != nil {
		return nil, err
	}
	m.langs = readStrings()
	m.langBits = uint(u32())
	if err != nil || m.langBits > 20 || len(m.langs) > 8 {
		return nil, fmt.Errorf("understand: bad language model: %v", err)
	}
	m.langMiss = make([]float32, len(m.langs))
	m.langW = make([]float32, len(m.langs)<<m.langBits)
	for _, v := range []any{m.langMiss, m.langW} {
		if err == nil {
			err = binary.Read(r, le, v)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("understand: reading model: %w", err)
	}
	if r.Len() != 0 {
		return nil, fmt.Errorf("understand: %d bytes after the model", r.Len())
	}
	return m, nil
}

// sumRows adds into acc the weight rows of every feature of the tokens (those
// forEachFeature gives) and returns how many features there were, for a model whose
// number of labels is a multiple of 8. The sums are the same as one feature at a time:
// eight weights are added at once, as 16-bit lanes of two 64-bit words, each offset by
// 128 so that it is not negative, and the lanes are moved to acc before they can
// overflow. A feature whose row is all zero adds nothing, so its row is not read (see
// addRows), but it counts in the number returned, which normalizes the scores. In a
// long message, the rows of a word's own features (all but the pair with the word
// before) are added up once per distinct word and negation.
func (m *Model) sumRows(tokens []string, cls []uint32, neg []bool, ctx Context, acc *[MaxLabels]int32) int {
	words := len(m.labels) / 8
	var total lanes
	n := 0
	merge := func(l *lanes) {
		if total.rows+l.rows > maxLaneRows {
			n += total.moveTo(acc, words)
		}
		for j := range words {
			total.lo[j] += l.lo[j]
			total.hi[j] += l.hi[j]
		}
		total.rows += l.rows
		total.features += l.features
	}
	// the rows not remembered are added in batches
	var batchBuf [maxLaneRows]uint32
	batch := batchBuf[:0]
	flush := func() {
		if total.rows+len(batch) > maxLaneRows { // a batch adds at most a row per hash
			n += total.moveTo(acc, words)
		}
		m.addRows(&total, batch, words)
		batch = batch[:0]
	}
	add := func(hs []uint32) {
		if len(batch)+len(hs) > cap(batch) {
			flush()
		}
		batch = append(batch, hs...)
	}
	var buf [2*maxGramWord + 8]uint32
	hs := buf[:0]
	if cls == nil {
		var cbuf [64]uint32
		cls = Classify(tokens, cbuf[:0])
	}
	if PastEventIn(tokens, cls) {
		ctx |= ctxPast
	}
	for i := range contextNames {
		if ctx&(1<<i) != 0 {
			hs = append(hs, contextHashes[i])
		}
	}
	add(hs)
	// the words remembered, with their negation, in a small table on the stack
	var memo [maxMemoWords]lanes
	var memoWord [memoSlots]string
	var memoNeg [memoSlots]bool
	var memoAt [memoSlots]int8
	remembered := 0
	remember := len(tokens) > memoWords
	prev := ""
	for i, tok := range tokens {
		word := tok
		if isNumber(tok) {
			word = "#"
		}
		if prev != "" { // the pair with the word before
			add(append(buf[:0], pairHash(neg[i], prev, word)))
		}
		prev = word
		if !remember || len(word) <= 2 {
			_, hs = tokenHashes(buf[:0], tok, neg[i], "")
			add(hs)
			continue
		}
		slot := int(hashString(fnvOffset, tok)) & (len(memoWord) - 1)
		for memoWord[slot] != "" && (memoWord[slot] != tok || memoNeg[slot] != neg[i]) {
			slot = (slot + 1) & (len(memoWord) - 1)
		}
		if memoWord[slot] != "" { // tok, as negated as it is here (tok is never "")
			merge(&memo[memoAt[slot]])
			continue
		}
		_, hs = tokenHashes(buf[:0], tok, neg[i], "")
		if remembered == maxMemoWords { // many distinct words: no more remembered
			add(hs)
			continue
		}
		memoWord[slot], memoNeg[slot], memoAt[slot] = tok, neg[i], int8(remembered)
		m.addRows(&memo[remembered], hs, words)
		merge(&memo[remembered])
		remembered++
	}
	flush()
	n += total.moveTo(acc, words)
	return n
}

// memoWords is the length from which sumRows adds a word's rows up once, for the first
// maxMemoWords distinct words, in a table of memoSlots (a power of two, more than
// twice as many).
const memoWords, maxMemoWords, memoSlots = 24, 48, 128

// lanes are sums of weight rows (see sumRows): weights 0, 2, 4, 6 of each eight in lo,
// 1, 3, 5, 7 in hi, each plus 128; how many rows they hold (each added 128 to every
// lane), and of how many features: a feature whose row is zero adds no row.
type lanes struct {
	lo, hi   [MaxLabels / 8]uint64
	rows     int
	features int
}

// maxLaneRows is how many rows lanes may hold: 256 × 255 fits 16 bits.
const maxLaneRows = 256

// addRows adds to l the rows of the features of hashes (at most maxLaneRows), and
// overwrites hashes. The places of the rows stored (not all zero) are found first, all
// of them, without a branch: half the features of a random text fall in zero rows, and
// a branch per feature would be mispredicted as often.
func (m *Model) addRows(l *lanes, hashes []uint32, words int) {
	features := len(hashes)
	places := m.rows.toPlaces(hashes, uint32(1)<<m.bits-1)
	k := len(m.labels)
	w := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(m.rows.w))), len(m.rows.w))
	if words == 4 { // 32 labels: the sums kept in registers
		const bias, even = 0x8080808080808080, 0x00ff00ff00ff00ff
		lo0, lo1, lo2, lo3 := l.lo[0], l.lo[1], l.lo[2], l.lo[3]
		hi0, hi1, hi2, hi3 := l.hi[0], l.hi[1], l.hi[2], l.hi[3]
		for _, p := range places {
			off := int(p) * 32
			row := w[off : off+32 : off+32]
			x0 := binary.LittleEndian.Uint64(row[0:8]) ^ bias
			x1 := binary.LittleEndian.Uint64(row[8:16]) ^ bias
			x2 := binary.LittleEndian.Uint64(row[16:24]) ^ bias
			x3 := binary.LittleEndian.Uint64(row[24:32]) ^ bias
			lo0, hi0 = lo0+x0&even, hi0+x0>>8&even
			lo1, hi1 = lo1+x1&even, hi1+x1>>8&even
			lo2, hi2 = lo2+x2&even, hi2+x2>>8&even
			lo3, hi3 = lo3+x3&even, hi3+x3>>8&even
		}
		l.lo[0], l.lo[1], l.lo[2], l.lo[3] = lo0, lo1, lo2, lo3
		l.hi[0], l.hi[1], l.hi[2], l.hi[3] = hi0, hi1, hi2, hi3
	} else {
		for _, p := range places {
			row := w[int(p)*k : int(p)*k+k]
			for j := range words {
				x := binary.LittleEndian.Uint64(row[j*8:]) ^ 0x8080808080808080
				l.lo[j] += x & 0x00ff00ff00ff00ff
				l.hi[j] += x >> 8 & 0x00ff00ff00ff00ff
			}
		}
	}
	l.rows += len(places)
	l.features += features
}

// moveTo adds the sums of l to acc, empties l and returns of how many features they
// were.
func (l *lanes) moveTo(acc *[MaxLabels]int32, words int) int {
	for j := range words {
		for b := range 4 {
			acc[j*8+2*b] += int32(l.lo[j]>>(16*b)&0xffff) - 128*int32(l.rows)
			acc[j*8+2*b+1] += int32(l.hi[j]>>(16*b)&0xffff) - 128*int32(l.rows)
		}
	}
	n := l.features
	*l = lanes{}
	return n
}

// weightRows are a model's weights: for each bucket of the hashed features, a row of
// one int8 per label. Two thirds of the rows are all zero (buckets no feature of the
// corpus falls in), so only the others are stored, in the order of their buckets: 1.4
// MB instead of 4 for the shipped model, which fits a core's L2 cache (the table is
// read cold in production, between other work), and a zero row is not read at all. A
// bit per bucket tells whether its row is stored, and the row's place among those
// stored is the number stored before its word of 64 bits plus the bits set below it
// in the word (a rank index: 24 KB for 2^17 buckets).
type weightRows struct {
	nonzero []uint64 // bit b%64 of word b/64: the row of bucket b is stored
	before  []uint32 // per word of nonzero: how many rows are stored before it
	w       []int8   // the rows stored, in the order of their buckets
}

// newWeightRows stores the rows of w (bucket*k + label, for 1<<logBuckets buckets)
// that are not all zero.
func newWeightRows(w []int8, k int, logBuckets uint) weightRows {
	buckets := 1 << logBuckets
	r := weightRows{nonzero: make([]uint64, (buckets+63)/64), before: make([]uint32, (buckets+63)/64)}
	stored := 0
	for b := range buckets {
		if slices.ContainsFunc(w[b*k:b*k+k], func(q int8) bool { return q != 0 }) {
			r.nonzero[b/64] |= 1 << (b % 64)
			stored++
		}
	}
	r.w = make([]int8, 0, stored*k)
	for b := range buckets {
		if b%64 == 0 {
			r.before[b/64] = uint32(len(r.w) / k)
		}
		if r.nonzero[b/64]>>(b%64)&1 != 0 {
			r.w = append(r.w, w[b*k:b*k+k]...)
		}
	}
	return r
}

// toPlaces overwrites hashes with the places (in rows of r.w) of the rows of their
// buckets that are stored, in order, and returns them. Each hash's place is written
// over it (or over an earlier one, already read), and kept only when its bucket's bit
// is set: no branch.
func (r *weightRows) toPlaces(hashes []uint32, mask uint32) []uint32 {
	nonzero, before := r.nonzero, r.before
	j := 0
	for _, h := range hashes {
		b := h & mask
		x := nonzero[b/64]
		hashes[j] = before[b/64] + uint32(bits.OnesCount64(x&(1<<(b%64)-1)))
		j += int(x >> (b % 64) & 1)
	}
	return hashes[:j]
}

// row returns the weights of the bucket of hash h, one per label, or nil when they are
// all zero.
func (m *Model) row(h uint32) []int8 {
	b := h & (uint32(1)<<m.bits - 1)
	x := m.rows.nonzero[b/64]
	if x>>(b%64)&1 == 0 {
		return nil
	}
	k := len(m.labels)
	i := (int(m.rows.before[b/64]) + bits.OnesCount64(x&(1<<(b%64)-1))) * k
	return m.rows.w[i : i+k : i+k]
}

// denseWeights returns the rows of every bucket, zero ones too, as the model file
// has them: bucket*len(labels) + label.
func (m *Model) denseWeights() []int8 {
	k := len(m.labels)
	w := make([]int8, k<<m.bits)
	for b := range 1 << m.bits {
		copy(w[b*k:], m.row(uint32(b)))
	}
	return w
}

// pairHash is the hash of the feature of word after prev.
func pairHash(negated bool, prev, word string) uint32 {
	base := fnvOffset
	if negated {
		base = hashByte(base, '!')
	}
	h := hashString(hashByte(base, kindPair), prev)
	return hashString(hashByte(h, '|'), word)
}

// contextHashes are the hashes of the context features.
var contextHashes = func() []uint32 {
	hs := make([]uint32, len(contextNames))
	for i, name := range contextNames {
		hs[i] = hashString(hashByte(fnvOffset, kindContext), name)
	}
	return hs
}()

// tokenHashes appends to dst the hashes of the features of one token (negated or not,
// after the word prev) that forEachFeature gives, and returns the token's word (the
// prev of the next token). Nothing is allocated when dst has room for 2*maxGramWord+4
// hashes.
func tokenHashes(dst []uint32, tok string, negated bool, prev string) (string, []uint32) {
	base := fnvOffset
	if negated {
		base = hashByte(base, '!')
	}
	word := tok
	if isNumber(tok) {
		word = "#"
	}
	hw := hashByte(base, kindWord)
	if st := Stem(word); word != "#" && st != word {
		// the stem begins the word: both are hashed in one pass over it, two chains of
		// multiplications that overlap
		hs := hashByte(base, kindStem)
		for i := 0; i < len(st); i++ {
			hw, hs = hashByte(hw, word[i]), hashByte(hs, word[i])
		}
		dst = append(dst, hashString(hw, word[len(st):]), hs)
	} else {
		dst = append(dst, hashString(hw, word))
	}
	if prev != "" {
		h := hashString(hashByte(base, kindPair), prev)
		dst = append(dst, hashString(hashByte(h, '|'), word))
	}
	if word == "#" || len(word) > maxGramWord || len(word) <= 2 {
		return word, dst
	}
	// character grams of "<word>": its 3-grams, then its 4-grams. Each is hashed from
	// the start of its length (so no gram's hash is the prefix of another's), and the
	// 3-gram and the 4-gram at one place are hashed in one step: the two chains of
	// multiplications overlap, where one gram at a time waits for each.
	var padded [maxGramWord + 2]byte
	padded[0] = '<'
	copy(padded[1:], word)
	padded[len(word)+1] = '>'
	p := padded[:len(word)+2]
	gbase := hashByte(base, kindGram)
	start3, start4 := hashByte(gbase, '3'), hashByte(gbase, '4')
	n3 := len(p) - 2 // 3-grams; one 4-gram fewer
	at := len(dst)
	dst = slices.Grow(dst, 2*n3-1)[:at+2*n3-1]
	g3, g4 := dst[at:at+n3], dst[at+n3:]
	for s := range g4 {
		a, b, c := p[s], p[s+1], p[s+2]
		g3[s] = hashByte(hashByte(hashByte(start3, a), b), c)
		g4[s] = hashByte(hashByte(hashByte(hashByte(start4, a), b), c), p[s+3])
	}
	g3[n3-1] = hashByte(hashByte(hashByte(start3, p[n3-1]), p[n3]), p[n3+1])
	return word, dst
}
