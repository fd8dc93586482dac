package flows

import (
	"math/bits"
	"slices"
	"strings"
	"unsafe"

	"github.com/faro-chat/faro/flows/understand"
)

// Matching forgives case, accents and emoji (see Normalize) and small typos. Every word
// of every list the engine knows (commands, danger phrases, option labels, topics) is
// put in one vocabulary; each message's tokens are compared with the vocabulary once,
// and then every phrase is checked with a few table look-ups.

// vocab is the set of known words.
type vocab struct {
	words []vword
	index map[string]int32
	// byStart lists the words that typos may be looked for in, by length in bytes and
	// by each of their first limit+1 letters: one edit leaves one of the first two
	// letters of a word among the first two of the typed token, two edits one of three.
	byStart [][27][]cand
	letters []uint32 // by length, bit c set when byStart has words in bucket c
	// whole is the vocabulary as a part, for the search by bit sets, and typosOf the
	// hits of each word as a token; nil until seal, and again once a list is compiled
	// after it
	whole   *part
	typosOf [][]hit
}

// cand is a word of a byStart bucket, with its letter set at hand: the cheap test
// that rules out almost every word reads no more than the bucket.
type cand struct {
	id    int32
	mask  uint32
	pairs uint64 // pairMask of the word
}

// part is a part of the vocabulary, for a text only some lists are looked for in (the
// words of danger, in a long story past what was read as the message): its words,
// and its byStart buckets.
type part struct {
	in      []uint64
	byStart [][27][]cand
	// letters has, by length, bit c set when byStart has words in bucket c
	letters []uint32
	// byLen are the words of the buckets by length, each once, and inBucket, by
	// length, the sets of those (bit i of word i/64 for byLen[l][i]) in each bucket:
	// bucket c's set is inBucket[l][c*n : c*n+n], n = (len(byLen[l])+63)/64. A token's
	// buckets are then a few ORs.
	byLen    [][]cand
	inBucket [][]uint64
	// atEnd are, like inBucket, by length and letter c, the sets of the words with c
	// among their last limit+1 letters: what an edit leaves at a word's start it
	// leaves at its end too, so a typo shares one of those with the token as well
	atEnd [][]uint64
	// endLetters are, by length, the letters atEnd has words for (as letters is to
	// the buckets)
	endLetters []uint32
}

// has tells whether word id is in the part.
func (p *part) has(id int32) bool {
	return int(id/64) < len(p.in) && p.in[id/64]&(1<<(id%64)) != 0
}

// part returns the part of the vocabulary made of the words of lists. Its buckets keep
// the vocabulary's order, so a text analyzed against it has the same hits, in the same
// order, for those words.
func (v *vocab) part(lists ...words) *part {
	p := &part{in: make([]uint64, (len(v.words)+63)/64)}
	for _, ws := range lists {
		for _, ph := range ws.list {
			for _, id := range ph {
				p.in[id/64] |= 1 << (id % 64)
			}
		}
	}
	return v.partOf(p)
}

// seal readies the vocabulary, once every list is compiled, for analyze: its search
// for typos by bit sets.
func (v *vocab) seal() {
	p := &part{in: make([]uint64, (len(v.words)+63)/64)}
	for id := range v.words {
		p.in[id/64] |= 1 << (id % 64)
	}
	v.whole = v.partOf(p)
	// each word's own hits, as a token: itself, and the typos of others it may be
	typosOf := make([][]hit, len(v.words))
	for id, w := range v.words {
		typosOf[id] = slices.Clip(v.analyze([]string{w.s}).hits)
	}
	v.typosOf = typosOf
}

// partOf fills in the buckets and bit sets of the part whose words p.in has.
func (v *vocab) partOf(p *part) *part {
	p.byStart = make([][27][]cand, len(v.byStart))
	p.letters = make([]uint32, len(v.byStart))
	for l := range v.byStart {
		for c, bucket := range v.byStart[l] {
			for _, cd := range bucket {
				if p.has(cd.id) {
					p.byStart[l][c] = append(p.byStart[l][c], cd)
					p.letters[l] |= 1 << c
				}
			}
		}
	}
	p.byLen = make([][]cand, len(p.byStart))
	p.inBucket = make([][]uint64, len(p.byStart))
	p.atEnd = make([][]uint64, len(p.byStart))
	p.endLetters = make([]uint32, len(p.byStart))
	for l := range p.byStart {
		for _, bucket := range p.byStart[l] {
			for _, cd := range bucket {
				if !slices.Contains(p.byLen[l], cd) {
					p.byLen[l] = append(p.byLen[l], cd)
				}
			}
		}
		n := (len(p.byLen[l]) + 63) / 64
		p.inBucket[l] = make([]uint64, 27*n)
		for c, bucket := range p.byStart[l] {
			for _, cd := range bucket {
				i := slices.Index(p.byLen[l], cd)
				p.inBucket[l][c*n+i/64] |= 1 << (i % 64)
			}
		}
		p.atEnd[l] = make([]uint64, 27*n)
		for i, cd := range p.byLen[l] {
			p.endLetters[l] |= v.words[cd.id].ends
			for m := v.words[cd.id].ends; m != 0; m &= m - 1 {
				p.atEnd[l][bits.TrailingZeros32(m)*n+i/64] |= 1 << (i % 64)
			}
		}
	}
	return p
}

type vword struct {
	s     string
	limit int
	// the word's letterMask, pairMask and its first and last limit+1 letters (bit
	// letterIndex): the cheap tests of a typo
	mask         uint32
	pairs        uint64
	starts, ends uint32
}

// phrase is a known word or phrase, as word ids.
type phrase []int32

// words is a list of phrases, from a locale entry like "auxilio|me están pegando",
// with a bit set of the words its phrases begin with: a message that has none of them
// is passed over at the cost of a few word-wide ANDs.
type words struct {
	list  []phrase
	first []uint64
	// byFirst lists the phrases by the id of their first word, for long lists
	byFirst map[int32][]phrase
	// firstOf is byFirst by id, for the lists read the most (see dense)
	firstOf [][]phrase
}

// dense returns ws with its phrases by first word in a slice: a long story is read
// against the danger lists at every word.
func (ws words) dense() words {
	var top int32
	for id := range ws.byFirst {
		top = max(top, id)
	}
	ws.firstOf = make([][]phrase, top+1)
	for id, ps := range ws.byFirst {
		ws.firstOf[id] = ps
	}
	return ws
}

// phrasesFrom are the phrases of ws that begin with word id.
func (ws *words) phrasesFrom(id int32) []phrase {
	if ws.firstOf != nil {
		if int(id) < len(ws.firstOf) {
			return ws.firstOf[id]
		}
		return nil
	}
	return ws.byFirst[id]
}

// join returns the phrases of ws and more together.
func (ws words) join(more words) words {
	out := words{list: append(ws.list[:len(ws.list):len(ws.list)], more.list...)}
	out.byFirst = make(map[int32][]phrase, len(out.list))
	for _, p := range out.list {
		out.byFirst[p[0]] = append(out.byFirst[p[0]], p)
	}
	out.first = make([]uint64, max(len(ws.first), len(more.first)))
	copy(out.first, ws.first)
	for i, b := range more.first {
		out.first[i] |= b
	}
	return out
}

// mayStart tells whether the text has a word some phrase of ws begins with.
func (t *text) mayStart(ws words) bool {
	for i, b := range ws.first {
		if i < len(t.seen) && b&t.seen[i] != 0 {
			return true
		}
	}
	return false
}

func newVocab() *vocab { return &vocab{index: map[string]int32{}} }

func (v *vocab) id(w string) int32 {
	if id, ok := v.index[w]; ok {
		return id
	}
	id := int32(len(v.words))
	limit := fuzzyLimit(len(w))
	word := vword{s: w, limit: limit, mask: letterMask(w), pairs: pairMask(w)}
	word.starts, word.ends = edgeLetters(w, limit)
	v.words = append(v.words, word)
	v.index[w] = id
	if limit == 0 {
		return id
	}
	for len(v.byStart) <= len(w) {
		v.byStart = append(v.byStart, [27][]cand{})
		v.letters = append(v.letters, 0)
	}
	var done [27]bool
	for i := 0; i <= limit && i < len(w); i++ {
		c := letterIndex(w[i])
		if !done[c] {
			done[c] = true
			v.byStart[len(w)][c] = append(v.byStart[len(w)][c], cand{id: id, mask: word.mask, pairs: word.pairs})
			v.letters[len(w)] |= 1 << c
		}
	}
	return id
}

// compile parses a "|"-separated list of words and phrases into the vocabulary.
func (v *vocab) compile(list string) words {
	v.whole, v.typosOf = nil, nil // sealed no more: the buckets are searched until seal
	var ws words
	for _, w := range strings.Split(list, "|") {
		fields := strings.Fields(Normalize(w))
		if len(fields) == 0 {
			continue
		}
		p := make(phrase, len(fields))
		for i, f := range fields {
			p[i] = v.id(f)
		}
		ws.list = append(ws.list, p)
		if ws.byFirst == nil {
			ws.byFirst = map[int32][]phrase{}
		}
		ws.byFirst[p[0]] = append(ws.byFirst[p[0]], p)
		for int(p[0]/64) >= len(ws.first) {
			ws.first = append(ws.first, 0)
		}
		ws.first[p[0]/64] |= 1 << (p[0] % 64)
	}
	return ws
}

// fuzzyLimit is how many edits a word of this length may carry and still match:
// short words must match exactly, or "pega" would match "paga".
func fuzzyLimit(n int) int {
	switch {
	case n >= 9:
		return 2
	case n >= 5:
		return 1
	default:
		return 0
	}
}

// hit says that a typed token is a known word, exactly or with a typo.
type hit struct {
	id int32
	// loose: within the word's typo limit; strict: one missing, extra or swapped
	// letter but no changed letter (inside a phrase, "pegando" must not be "pagando").
	exact, strict, loose bool
}

// text is one message compared with the vocabulary.
type text struct {
	tokens []string
	hits   []hit
	from   []int32 // hits of token i are hits[from[i]:from[i+1]]
	seen   []uint64
}

// analyze compares every token with the vocabulary once.
func (v *vocab) analyze(tokens []string) *text { return v.analyzeInto(nil, tokens) }

// analyzeInto is analyze into t's arrays (a new text when t is nil).
func (v *vocab) analyzeInto(t *text, tokens []string) *text {
	t = v.newText(t, tokens)
	// A long message repeats words: each distinct one is looked up once (a flood of
	// the same word costs what the word costs).
	var seen seenTokens
	memo := len(tokens) > memoTokens
	if memo && len(tokens) > len(seen.at)/2 {
		seen.more = make(map[string]int, len(tokens)/2) // longer than a message's start
	}
	for i, tok := range tokens {
		t.from[i] = int32(len(t.hits))
		if memo {
			if j := seen.first(tokens, i); j < i {
				for _, h := range t.hits[t.from[j]:t.from[j+1]] {
					t.add(h)
				}
				continue
			}
		}
		id, known := v.index[tok]
		if known && v.typosOf != nil {
			// a word of the vocabulary: its hits were worked out when it was sealed
			for _, h := range v.typosOf[id] {
				t.add(h)
			}
			continue
		}
		if known {
			t.add(hit{id: id, exact: true, strict: true, loose: true})
		}
		n := len(t.hits)
		if v.whole != nil {
			// in the order of the search of the buckets (see typoKey), each once
			t.hits = v.whole.typos(v, t.hits, tok)
			if typos := t.hits[n:]; len(typos) > 1 {
				slices.SortFunc(typos, func(a, b hit) int { return compareKeys(v.typoKey(tok, a.id), v.typoKey(tok, b.id)) })
			}
		} else {
			t.hits = v.typos(t.hits, tok, v.byStart, v.letters)
		}
		for _, h := range t.hits[n:] {
			t.seen[h.id/64] |= 1 << (h.id % 64)
		}
	}
	t.from[len(tokens)] = int32(len(t.hits))
	return t
}

// newText returns t (a new text when nil) emptied for the tokens, with room for a hit
// for each: a text of an earlier message keeps its arrays (see scratch).
func (v *vocab) newText(t *text, tokens []string) *text {
	if t == nil {
		t = &text{}
	}
	t.tokens = tokens
	t.from = grow(t.from, len(tokens)+1)
	t.seen = grow(t.seen, (len(v.words)+63)/64)
	clear(t.seen)
	t.hits = grow(t.hits, len(tokens)+8)[:0]
	return t
}

// grow returns s with length n, reusing its array when it is long enough.
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// seenTokens finds where a token was first seen: in a table on the stack, for the
// tokens of a message's start (MaxInputRunes runes are at most 250 words), or in a
// map, for longer lists.
type seenTokens struct {
	at   [512]int16 // 1 + the index of a token first seen, by its hash
	more map[string]int
}

// first returns the index of the first of tokens equal to tokens[i] (i itself the
// first time), and records it.
func (s *seenTokens) first(tokens []string, i int) int {
	tok := tokens[i]
	if s.more != nil {
		if j, ok := s.more[tok]; ok {
			return j
		}
		s.more[tok] = i
		return i
	}
	slot := hashToken(tok) & (len(s.at) - 1)
	for s.at[slot] != 0 {
		if j := int(s.at[slot]) - 1; tokens[j] == tok {
			return j
		}
		slot = (slot + 1) & (len(s.at) - 1)
	}
	s.at[slot] = int16(i + 1)
	return i
}

// memoTokens is the length from which analyze looks each distinct word up once.
const memoTokens = 32

func (t *text) add(h hit) {
	t.hits = append(t.hits, h)
	t.seen[h.id/64] |= 1 << (h.id % 64)
}

// is tells whether token i is word id: ok, and whether it took a typo to say so.
func (t *text) is(i int, id int32, strict bool) (ok, fuzzy bool) {
	for _, h := range t.hits[t.from[i]:t.from[i+1]] {
		if h.id != id {
			continue
		}
		if h.exact {
			return true, false
		}
		if (strict && h.strict) || (!strict && h.loose) {
			return true, true
		}
	}
	return false, false
}

// mentions tells cheaply whether every word of p occurs somewhere in the text.
func (t *text) mentions(p phrase) bool {
	for _, id := range p {
		if t.seen[id/64]&(1<<(id%64)) == 0 {
			return false
		}
	}
	return true
}

// matchesAt tells whether phrase p occurs at token start. A one-word phrase forgives
// any small typo; a longer phrase forgives one missing, extra or swapped letter in one
// of its words.
func (t *text) matchesAt(p phrase, start int) bool {
	strict := len(p) > 1
	fuzzies := 0
	for i, id := range p {
		ok, fuzzy := t.is(start+i, id, strict)
		if !ok {
			return false
		}
		if fuzzy {
			if fuzzies++; fuzzies > 1 {
				return false
			}
		}
	}
	return true
}

// contains tells whether phrase p occurs in the text.
func (t *text) contains(p phrase) bool {
	if len(p) == 0 || len(p) > len(t.tokens) || !t.mentions(p) {
		return false
	}
	for start := 0; start+len(p) <= len(t.tokens); start++ {
		if t.matchesAt(p, start) {
			return true
		}
	}
	return false
}

// equals tells whether the whole text is phrase p.
func (t *text) equals(p phrase) bool {
	return len(p) == len(t.tokens) && t.mentions(p) && t.matchesAt(p, 0)
}

// within tells whether the whole text occurs inside phrase p and says something
// ("derechos" names the option "Mis derechos"; "de" names nothing).
func (t *text) within(p phrase) bool {
	n := len(t.tokens)
	if n == 0 || n > len(p) {
		return false
	}
	long := false
	for _, tok := range t.tokens {
		long = long || len(tok) >= 4
	}
	if !long {
		return false
	}
outer:
	for start := 0; start+n <= len(p); start++ {
		fuzzies := 0
		for i := range n {
			ok, fuzzy := t.is(i, p[start+i], n > 1)
			if !ok {
				continue outer
			}
			if fuzzy {
				if fuzzies++; fuzzies > 1 {
					continue outer
				}
			}
		}
		return true
	}
	return false
}

// anyContained reports whether any phrase of ws occurs in the text.
func (t *text) anyContained(ws words) bool {
	if !t.mayStart(ws) {
		return false
	}
	// the phrases all of whose words the text has: usually none, or a few, each looked
	// for where it may start; many (a story of the lists' words): one reading of the
	// text by its words, as a phrase occurs only where its first word does
	var mentioned [8]phrase
	n := 0
	for _, p := range ws.list {
		if !t.mentions(p) {
			continue
		}
		if n == len(mentioned) {
			_, ok := t.findContained(ws, false, anywhere)
			return ok
		}
		mentioned[n] = p
		n++
	}
	return slices.ContainsFunc(mentioned[:n], t.contains)
}

// findContained finds a phrase of ws that occurs in the text at a start that ok
// accepts (not in the scope of a negation, for example). exact forbids typos.
func (t *text) findContained(ws words, exact bool, ok func(start, n int) bool) (phrase, bool) {
	var found phrase
	t.eachContained(ws, exact, func(p phrase, start int) bool {
		if ok(start, len(p)) {
			found = p
			return true
		}
		return false
	})
	return found, found != nil
}

// manyPhrases is how many phrases a word may begin before eachContained picks, once,
// those of them a long text (of more than memoTokens words) mentions.
const manyPhrases = 8

// eachContained calls yield with each phrase of ws that occurs in the text (exact
// forbids typos) and where, in the text's order, until yield returns true.
func (t *text) eachContained(ws words, exact bool, yield func(p phrase, start int) bool) {
	t.eachContainedOf(ws, exact, nil, yield)
}

// eachContainedOf is eachContained of the phrases want wants (nil: all), asked before
// each is looked for at a place.
func (t *text) eachContainedOf(ws words, exact bool, want func(p phrase) bool, yield func(p phrase, start int) bool) {
	if !t.mayStart(ws) {
		return
	}
	// the words none of whose phrases the text mentions in whole: a flood repeats a
	// word, and its phrases are ruled out once
	var unmentioned [8]int32
	nUnmentioned := 0
	// and of a word that begins many phrases ("me"), those the text mentions in whole,
	// picked once: a flood repeats the word, and its phrases were read at each place
	var mentionedFrom map[int32][]phrase
	// only the phrases that begin with a word the text has, at that word
	for start := range t.tokens {
	hits:
		for _, h := range t.hits[t.from[start]:t.from[start+1]] {
			if int(h.id/64) >= len(ws.first) || ws.first[h.id/64]&(1<<(h.id%64)) == 0 {
				continue // no phrase begins with the word
			}
			for _, id := range unmentioned[:nUnmentioned] {
				if id == h.id {
					continue hits
				}
			}
			from := ws.phrasesFrom(h.id)
			if len(from) > manyPhrases && len(t.tokens) > memoTokens {
				if mentionedFrom == nil {
					mentionedFrom = map[int32][]phrase{}
				}
				m, ok := mentionedFrom[h.id]
				if !ok {
					m = slices.DeleteFunc(slices.Clone(from), func(p phrase) bool { return !t.mentions(p) })
					mentionedFrom[h.id] = m
				}
				from = m
			}
			if nUnmentioned < len(unmentioned) && !slices.ContainsFunc(from, t.mentions) {
				unmentioned[nUnmentioned] = h.id
				nUnmentioned++
				continue
			}
			// the words said next, as bits id%64: a phrase whose second word is none of
			// them is not said here
			var next uint64
			if start+1 < len(t.tokens) {
				for _, h := range t.hits[t.from[start+1]:t.from[start+2]] {
					next |= 1 << (h.id % 64)
				}
			}
		phrases:
			for _, p := range from {
				if start+len(p) > len(t.tokens) || len(p) > 1 && next&(1<<(p[1]%64)) == 0 || !t.mentions(p) || want != nil && !want(p) {
					continue
				}
				if exact {
					for i, id := range p {
						if hit, fuzzy := t.is(start+i, id, true); !hit || fuzzy {
							continue phrases
						}
					}
				} else if !t.matchesAt(p, start) {
					continue
				}
				if yield(p, start) {
					return
				}
			}
		}
	}
}

// bytes are the phrase's words as bytes (its own memory), to key a map by string.
func (p phrase) bytes() []byte {
	if len(p) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&p[0])), len(p)*4)
}

// String spells a phrase out, for explanations.
func (v *vocab) String(p phrase) string {
	parts := make([]string, len(p))
	for i, id := range p {
		parts[i] = v.words[id].s
	}
	return strings.Join(parts, " ")
}

// anyEquals reports whether the text is one of the phrases.
func (t *text) anyEquals(ws words) bool {
	if !t.mayStart(ws) {
		return false
	}
	for _, p := range ws.list {
		if t.equals(p) {
			return true
		}
	}
	return false
}

// anyNear reports whether the text contains one of the phrases and is not much longer
// than it ("quiero borrar mis datos", not a long story that mentions a word).
func (t *text) anyNear(ws words, slack int) bool {
	if !t.mayStart(ws) {
		return false
	}
	for _, p := range ws.list {
		if len(t.tokens) <= len(p)+slack && t.contains(p) {
			return true
		}
	}
	return false
}

// anyWithin reports whether the text occurs inside one of the phrases.
func (t *text) anyWithin(ws words) bool {
	for _, p := range ws.list {
		if t.within(p) {
			return true
		}
	}
	return false
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// editDistance is the optimal-string-alignment distance between a and b (insertions,
// deletions, transpositions and, with subst, substitutions), or limit+1 when it is
// larger than limit. It does not allocate for words of up to 31 bytes.
func editDistance(a, b string, limit int, subst bool) int {
	if len(a) > 31 || len(b) > 31 {
		if a == b {
			return 0
		}
		return limit + 1
	}
	if abs(len(a)-len(b)) > limit {
		return limit + 1
	}
	// Only the cells within limit of the diagonal are computed: a path through any
	// other costs more than limit. The cells beside the band read as inf.
	const inf = 1 << 6
	var rows [3][33]int8
	prev2, prev, cur := &rows[0], &rows[1], &rows[2]
	for j := 0; j <= len(b); j++ {
		prev[j] = inf
		if j <= limit {
			prev[j] = int8(j)
		}
	}
	for i := 1; i <= len(a); i++ {
		lo, hi := max(1, i-limit), min(len(b), i+limit)
		cur[lo-1] = inf
		if lo == 1 {
			cur[0] = int8(i)
		}
		best := cur[lo-1]
		for j := lo; j <= hi; j++ {
			v := int8(inf)
			if a[i-1] == b[j-1] {
				v = prev[j-1]
			} else if subst {
				v = prev[j-1] + 1
			}
			v = min(v, prev[j]+1, cur[j-1]+1)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			best = min(best, v)
		}
		cur[hi+1] = inf
		if int(best) > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return int(min(prev[len(b)], int8(limit+1)))
}

// letterCounts counts the letters of w by letterIndex into n.
func letterCounts(w string, n *[27]int8) {
	for i := 0; i < len(w); i++ {
		n[letterIndex(w[i])]++
	}
}

// countDiff is the sum over letters (a to z, and the rest as one) of how much more
// often one word uses it than the other, given the first word's counts: an edit
// changes it by at most two.
func countDiff(counts *[27]int8, b string) int {
	n := *counts
	for i := 0; i < len(b); i++ {
		n[letterIndex(b[i])]--
	}
	d := 0
	for _, c := range n {
		d += abs(int(c))
	}
	return d
}

// withinOne tells in linear time whether a and b differ by at most one edit: a
// missing, extra or swapped letter, or, with subst, a changed one.
func withinOne(a, b string, subst bool) bool {
	if len(a) < len(b) {
		a, b = b, a
	}
	i := 0
	for i < len(b) && a[i] == b[i] {
		i++
	}
	switch len(a) - len(b) {
	case 0:
		if i == len(a) {
			return true
		}
		if subst && a[i+1:] == b[i+1:] {
			return true
		}
		return i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
	case 1:
		return a[i+1:] == b[i:]
	}
	return false
}

// letterIndex is 0..25 for a..z and 26 for anything else.
func letterIndex(c byte) int {
	if 'a' <= c && c <= 'z' {
		return int(c - 'a')
	}
	return 26
}

// letterMask has bit i set when the word uses the i-th letter of a..z (any other
// rune sets bit 26).
func letterMask(w string) uint32 {
	var m uint32
	for i := 0; i < len(w); i++ {
		c := w[i]
		if 'a' <= c && c <= 'z' {
			m |= 1 << (c - 'a')
		} else {
			m |= 1 << 26
		}
	}
	return m
}

// pairMask has a bit set, of 64, for each pair of letters side by side in w. An edit
// brings at most three pairs a word does not have (a swap of two letters: the two
// pairs around them and the pair itself), so a token with more than 3×limit pairs
// missing from a word's mask is not a typo of it.
func pairMask(w string) uint64 {
	var m uint64
	for i := 1; i < len(w); i++ {
		m |= 1 << ((uint32(w[i-1])*31 + uint32(w[i])) * 0x9E3779B1 >> 26)
	}
	return m
}

// tokensOf splits normalized text into tokens.
func tokensOf(norm string) []string { return understand.Tokens(norm) }

// tokensInto is tokensOf into dst's array.
func tokensInto(dst []string, norm string) []string {
	dst = dst[:0]
	if norm == "" {
		return dst
	}
	if n := strings.Count(norm, " ") + 1; cap(dst) < n {
		dst = make([]string, 0, n)
	}
	for {
		w, rest, more := strings.Cut(norm, " ")
		dst = append(dst, w)
		if !more {
			return dst
		}
		norm = rest
	}
}

// Normalize turns typed text into the form matching works on (see understand.Normalize).
func Normalize(s string) string { return understand.Normalize(s) }

// edgeLetters are the first and the last limit+1 letters of w, as bits letterIndex.
func edgeLetters(w string, limit int) (starts, ends uint32) {
	for i := 0; i <= limit && i < len(w); i++ {
		starts |= 1 << letterIndex(w[i])
		ends |= 1 << letterIndex(w[len(w)-1-i])
	}
	return starts, ends
}

// anywhere accepts a phrase wherever it is found, negated or not (findContained).
func anywhere(int, int) bool { return true }
