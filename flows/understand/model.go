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
	bits   uint      // log2 of the number of buckets
	scale  []float32 // per label: weight = int8 * scale
	bias   []float32 // per label
	w      []int8    // bucket*len(labels) + label

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
		mask := uint32(1)<<m.bits - 1
		forEachFeature(tokens, neg, ctx, false, func(f feature) {
			row := m.w[int(f.hash&mask)*k : int(f.hash&mask)*k+k]
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
	k := len(m.labels)
	mask := uint32(1)<<m.bits - 1
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
		all = append(all, Contribution{name, float32(m.w[int(f.hash&mask)*k+label]) * m.scale[label]})
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
		_ = binary.Write(&b, le, m.w)
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
		m.w = make([]int8, k<<m.bits)
		for _, v := range []any{m.scale, m.bias, m.w} {
			if err == nil {
				err = binary.Read(r, le, v)
			}
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
// forEachFeature gives) and returns how many there were, for a model whose number of
// labels is a multiple of 8. The sums are the same as one feature at a time: eight
// weights are added at once, as 16-bit lanes of two 64-bit words, each offset by 128
// so that it is not negative, and the lanes are moved to acc before they can overflow.
// In a long message, the rows of a word's own features (all but the pair with the word
// before) are added up once per distinct word.
func (m *Model) sumRows(tokens []string, cls []uint32, neg []bool, ctx Context, acc *[MaxLabels]int32) int {
	words := len(m.labels) / 8
	var total lanes
	n := 0
	merge := func(l *lanes) {
		if total.n+l.n > maxLaneRows {
			n += total.moveTo(acc, words)
		}
		for j := range words {
			total.lo[j] += l.lo[j]
			total.hi[j] += l.hi[j]
		}
		total.n += l.n
	}
	// the rows not remembered are added in batches
	var batchBuf [maxLaneRows]uint32
	batch := batchBuf[:0]
	flush := func() {
		if total.n+len(batch) > maxLaneRows {
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
	// the words remembered, in a small table on the stack
	var memo [maxMemoWords]lanes
	var memoWord [memoSlots]string
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
		if !remember || neg[i] || len(word) <= 2 {
			_, hs = tokenHashes(buf[:0], tok, neg[i], "")
			add(hs)
			continue
		}
		slot := int(hashString(fnvOffset, tok)) & (len(memoWord) - 1)
		for memoWord[slot] != "" && memoWord[slot] != tok {
			slot = (slot + 1) & (len(memoWord) - 1)
		}
		if memoWord[slot] == tok {
			merge(&memo[memoAt[slot]])
			continue
		}
		_, hs = tokenHashes(buf[:0], tok, false, "")
		if remembered == maxMemoWords { // many distinct words: no more remembered
			add(hs)
			continue
		}
		memoWord[slot], memoAt[slot] = tok, int8(remembered)
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
// 1, 3, 5, 7 in hi, each plus 128, and how many rows.
type lanes struct {
	lo, hi [MaxLabels / 8]uint64
	n      int
}

// maxLaneRows is how many rows lanes may hold: 256 × 255 fits 16 bits.
const maxLaneRows = 256

// addRows adds the rows of hashes (at most maxLaneRows in all) to l.
func (m *Model) addRows(l *lanes, hashes []uint32, words int) {
	k := len(m.labels)
	w := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(m.w))), len(m.w))
	mask := uint32(1)<<m.bits - 1
	if words == 4 { // 32 labels: the sums kept in registers
		const bias, even = 0x8080808080808080, 0x00ff00ff00ff00ff
		lo0, lo1, lo2, lo3 := l.lo[0], l.lo[1], l.lo[2], l.lo[3]
		hi0, hi1, hi2, hi3 := l.hi[0], l.hi[1], l.hi[2], l.hi[3]
		for _, h := range hashes {
			off := int(h&mask) * 32
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
		l.n += len(hashes)
		return
	}
	for _, h := range hashes {
		row := w[int(h&mask)*k : int(h&mask)*k+k]
		for j := range words {
			x := binary.LittleEndian.Uint64(row[j*8:]) ^ 0x8080808080808080
			l.lo[j] += x & 0x00ff00ff00ff00ff
			l.hi[j] += x >> 8 & 0x00ff00ff00ff00ff
		}
	}
	l.n += len(hashes)
}

// moveTo adds the sums of l to acc, empties l and returns how many rows it held.
func (l *lanes) moveTo(acc *[MaxLabels]int32, words int) int {
	for j := range words {
		for b := range 4 {
			acc[j*8+2*b] += int32(l.lo[j]>>(16*b)&0xffff) - 128*int32(l.n)
			acc[j*8+2*b+1] += int32(l.hi[j]>>(16*b)&0xffff) - 128*int32(l.n)
		}
	}
	n := l.n
	*l = lanes{}
	return n
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
// prev of the next token). dst must have room for 2*maxGramWord+4 hashes.
func tokenHashes(dst []uint32, tok string, negated bool, prev string) (string, []uint32) {
	base := fnvOffset
	if negated {
		base = hashByte(base, '!')
	}
	word := tok
	if isNumber(tok) {
		word = "#"
	}
	dst = append(dst, hashString(hashByte(base, kindWord), word))
	if word != "#" {
		if st := Stem(word); st != word {
			dst = append(dst, hashString(hashByte(base, kindStem), st))
		}
	}
	if prev != "" {
		h := hashString(hashByte(base, kindPair), prev)
		dst = append(dst, hashString(hashByte(h, '|'), word))
	}
	if word == "#" || len(word) > maxGramWord || len(word) <= 2 {
		return word, dst
	}
	// character grams of "<word>"
	var padded [maxGramWord + 2]byte
	padded[0] = '<'
	copy(padded[1:], word)
	padded[len(word)+1] = '>'
	p := padded[:len(word)+2]
	gbase := hashByte(base, kindGram)
	for gram := 3; gram <= 4; gram++ {
		start := hashByte(gbase, byte('0'+gram))
		for s := 0; s+gram <= len(p); s++ {
			h := start
			for _, c := range p[s : s+gram] {
				h = hashByte(h, c)
			}
			dst = append(dst, h)
		}
	}
	return word, dst
}
