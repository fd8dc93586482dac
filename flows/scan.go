package flows

import (
	"cmp"
	"hash/maphash"
	"math/bits"
	"slices"
)

// A long story is searched, past what was read as the message, for the phrases of
// danger and self-harm alone. A phrase forgives a typo in one of its words only (see
// matchesAt): so a token is searched for the typos of a word of a phrase only where
// the rest of the phrase is said exactly around it, or when the word is a phrase by
// itself. The story's text then finds exactly the phrases, at exactly the places, that
// a search of every token for every word finds (TestScannerFindsWhatTheFullSearchFinds),
// at the cost of a look-up or two per token, however many distinct near-misses of the
// lists' words the story has.

// scanner searches a long story for the phrases of some lists.
type scanner struct {
	v   *vocab
	all *part // every word of the lists
	// single are the words of the lists' one-word phrases: a typo of one counts
	// anywhere
	single *part
	// after and before are, by word id, the words that follow it (that come before
	// it) in the lists' two-word phrases
	after, before [][]int32
	// long are the phrases of three words or more by two of their words said exactly
	// (see longKey), each with the word a typo may be in
	long map[uint64][]longAt
	// longBits has the bit longBit of each key of long set: a pair of words that begins
	// no phrase is passed over without a look-up
	longBits [1 << 10]uint64
	// starts has, by a word's first two letters (letterIndex), bit min(length, 63) set
	// for each word of the lists (see mayBe)
	starts [27 * 27]uint64
	// singlesOf are, for each word of the lists, the typos of the one-word phrases it
	// is, as a token
	singlesOf [][]hit
}

// startOf is the index in scanner.starts of a word's first two letters, and its bit.
func startOf(w string) (int, uint64) {
	second := 26
	if len(w) > 1 {
		second = letterIndex(w[1])
	}
	return letterIndex(w[0])*27 + second, 1 << min(len(w), 63)
}

// mayBe tells cheaply whether tok may be a word of the lists (it is not when no word
// of theirs begins with its two letters and is as long).
func (s *scanner) mayBe(tok string) bool {
	if tok == "" {
		return false
	}
	i, bit := startOf(tok)
	return s.starts[i]&bit != 0
}

// longBit is the bit of a key of scanner.long in scanner.longBits.
func longBit(key uint64) uint64 { return key * 0x9E3779B97F4A7C15 >> 48 }

// longAt is a phrase of three words or more whose words k may each carry the typo,
// when the phrase's words a and b (the first two others than k) are said exactly. A
// phrase is read once for all its words k of one key: one word of it not said exactly
// is the typo's place, two are too many, none is the phrase said exactly (its words'
// typos are not wanted: each token is its word).
type longAt struct {
	p phrase
	a int
	// lens are, by word of p, the lengths a token may have to be its typo
	// (vocab.typoLength, worked out once), for the words k of the key; an empty range
	// for the others
	lens []lengths
}

// lengths are the lengths lo to hi, an empty range when lo > hi.
type lengths struct{ lo, hi int }

// longKey is the key of two words said exactly, the second off places after the first.
func longKey(first, second int32, off int) uint64 {
	return uint64(uint32(first))<<32 | uint64(uint32(second))<<2 | uint64(off)
}

func newScanner(v *vocab, lists ...words) *scanner {
	s := &scanner{v: v, all: v.part(lists...), long: map[uint64][]longAt{},
		after: make([][]int32, len(v.words)), before: make([][]int32, len(v.words))}
	var single words
	for _, ws := range lists {
		for _, p := range ws.list {
			switch len(p) {
			case 1:
				single.list = append(single.list, p)
			case 2:
				if !slices.Contains(s.after[p[0]], p[1]) {
					s.after[p[0]] = append(s.after[p[0]], p[1])
				}
				if !slices.Contains(s.before[p[1]], p[0]) {
					s.before[p[1]] = append(s.before[p[1]], p[0])
				}
			default:
				for k := range p {
					a, b := 0, 1
					switch k {
					case 0:
						a, b = 1, 2
					case 1:
						a, b = 0, 2
					}
					lo, hi := v.typoLengths(p[k])
					if lo > hi {
						continue // no token is ever its typo
					}
					key := longKey(p[a], p[b], b-a)
					ls := s.long[key]
					if len(ls) == 0 || ls[len(ls)-1].a != a || !slices.Equal(ls[len(ls)-1].p, p) {
						lens := make([]lengths, len(p))
						for m := range lens {
							lens[m] = lengths{1, 0}
						}
						ls = append(ls, longAt{p: p, a: a, lens: lens})
						s.long[key] = ls
					}
					ls[len(ls)-1].lens[k] = lengths{lo, hi}
					s.longBits[longBit(key)/64] |= 1 << (longBit(key) % 64)
				}
			}
		}
	}
	s.single = v.part(single)
	// by length, so that a token is compared with the words of about its length alone
	byLen := func(a, b int32) int { return cmp.Or(len(v.words[a].s)-len(v.words[b].s), int(a-b)) }
	for _, ids := range s.after {
		slices.SortFunc(ids, byLen)
	}
	for _, ids := range s.before {
		slices.SortFunc(ids, byLen)
	}
	s.singlesOf = make([][]hit, len(v.words))
	for id, w := range v.words {
		if s.all.has(int32(id)) && w.s != "" {
			i, bit := startOf(w.s)
			s.starts[i] |= bit
			s.singlesOf[id] = slices.Clip(s.single.typos(v, nil, w.s))
		}
	}
	return s
}

// analyze compares the tokens with the words of the lists: the hits vocab.analyze
// gives for the lists' words, in the same order, but for the typos that no phrase of
// the lists can use (the rest of the vocabulary is not looked for). A token that prior
// (analyzed against all of the vocabulary) has at the same place keeps prior's hits of
// the lists' words.
func (s *scanner) analyze(tokens []string, prior *text) *text {
	return s.analyzeInto(nil, tokens, prior)
}

// analyzeInto is analyze into t's arrays (a new text when t is nil).
func (s *scanner) analyzeInto(t *text, tokens []string, prior *text) *text {
	var exactBuf [maxScanTokens]int32
	return s.textInto(t, tokens, prior, s.exactInto(exactBuf[:0], tokens, prior), true)
}

// samePrefix is how many of tokens are prior's, at the same places.
func samePrefix(tokens []string, prior *text) int {
	n := 0
	for prior != nil && n < len(tokens) && n < len(prior.tokens) && prior.tokens[n] == tokens[n] {
		n++
	}
	return n
}

// exactInto returns, in dst's array, the word of the lists each token is exactly, or
// -1 (prior's, for the tokens that are prior's).
func (s *scanner) exactInto(dst []int32, tokens []string, prior *text) []int32 {
	v := s.v
	exact := grow(dst, len(tokens))
	fromPrior := samePrefix(tokens, prior)
	for i, tok := range tokens {
		exact[i] = -1
		if i < fromPrior { // prior's exact hit comes first
			if hs := prior.hits[prior.from[i]:prior.from[i+1]]; len(hs) > 0 && hs[0].exact && s.all.has(hs[0].id) {
				exact[i] = hs[0].id
			}
			continue
		}
		if !s.mayBe(tok) {
			continue // no word of the lists begins so and is so long: no look-up
		}
		if id, ok := v.index[tok]; ok && s.all.has(id) {
			exact[i] = id
		}
	}
	return exact
}

// textInto returns the text of the tokens in t's arrays (a new text when nil): prior's
// hits of the lists' words for its tokens, and for the others their exact hits and,
// with typos, the typos of the lists' words they may be. Without typos, a text finds
// the phrases said exactly as the whole one does (findContained exact); the read of a
// long story asks for the typos only when no phrase was said exactly.
func (s *scanner) textInto(t *text, tokens []string, prior *text, exact []int32, typos bool) *text {
	v := s.v
	t = v.newText(t, tokens)
	fromPrior := samePrefix(tokens, prior)
	if !typos {
		for i := range tokens {
			t.from[i] = int32(len(t.hits))
			if i < fromPrior {
				for _, h := range prior.hits[prior.from[i]:prior.from[i+1]] {
					if s.all.has(h.id) {
						t.add(h)
					}
				}
			} else if exact[i] >= 0 {
				t.add(hit{id: exact[i], exact: true, strict: true, loose: true})
			}
		}
		t.from[len(tokens)] = int32(len(t.hits))
		return t
	}
	// the words of three-word phrases or longer whose typo a token may be: the rest of
	// the phrase is said exactly around it
	// by token: wantAt[i] is 1 + the index in wants of the last word wanted at token i,
	// whose next is the one before (0: no more)
	type want struct {
		id   int32
		next int32
	}
	var wantsBuf [512]want // a flood of the lists' words wants a few hundred
	wants := wantsBuf[:0]
	var wantAtBuf [maxScanTokens]int32
	wantAt := wantAtBuf[:0]
	if len(tokens) > len(wantAtBuf) {
		wantAt = make([]int32, 0, len(tokens))
	}
	wantAt = wantAt[:len(tokens)]
	if len(s.long) > 0 {
		for i, x := range exact {
			if x < 0 {
				continue
			}
			for off := 1; off <= 2 && i+off < len(tokens); off++ {
				y := exact[i+off]
				if y < 0 {
					continue
				}
				key := longKey(x, y, off)
				if s.longBits[longBit(key)/64]&(1<<(longBit(key)%64)) == 0 {
					continue // no such key: most pairs of the lists' words, without a look-up
				}
			phrases:
				for _, l := range s.long[key] {
					start := i - l.a
					if start < 0 || start+len(l.p) > len(tokens) {
						continue
					}
					miss := -1 // the one word of the phrase not said exactly, if any
					for m, id := range l.p {
						if exact[start+m] != id {
							if miss >= 0 {
								continue phrases
							}
							miss = m
						}
					}
					if miss < 0 {
						continue // said exactly
					}
					at, id := start+miss, l.p[miss]
					if n := len(tokens[at]); n < l.lens[miss].lo || n > l.lens[miss].hi {
						continue // never its typo (or not a word k of this key): not worth remembering
					}
					for j := wantAt[at]; j != 0; j = wants[j-1].next {
						if wants[j-1].id == id {
							continue phrases // wanted there already
						}
					}
					wants = append(wants, want{id: id, next: wantAt[at]})
					wantAt[at] = int32(len(wants))
				}
			}
		}
	}
	var found []keyedHit
	var extra []hit
	// the typos of the one-word phrases depend on the token alone: each distinct token
	// is searched once (a story repeats words), its hits kept in singles at spans[i] of
	// its first place i, found by its hash in firstAt (1 + i, open addressing)
	type span struct{ from, to int32 }
	var firstBuf [2 * maxScanTokens]int32
	var spanBuf [maxScanTokens]span
	firstAt, spans := firstBuf[:], spanBuf[:]
	if len(tokens) > len(spans) {
		firstAt, spans = make([]int32, 2*len(tokens)), make([]span, len(tokens))
	}
	firstOf := func(i int) int {
		tok := tokens[i]
		slot := hashToken(tok) % len(firstAt)
		for firstAt[slot] != 0 {
			if j := int(firstAt[slot]) - 1; tokens[j] == tok {
				return j
			}
			slot = (slot + 1) % len(firstAt)
		}
		firstAt[slot] = int32(i + 1)
		return i
	}
	var singles []hit
	// the tests of a token against one word of the lists, the last of each of a few
	// (see typo; a token of fewer than 4 bytes, as the zero tok, is never tested)
	type typoTest struct {
		tok string
		id  int32
		h   hit
		ok  bool
	}
	var tested [128]typoTest
	// the typos of a token among the words said before (after) a word of the lists in
	// its two-word phrases: the last search of each of a few pairs is kept (in near), a
	// story repeating pairs
	type pairSearch struct {
		tok      string
		x        int32
		after    bool
		from, to int // to is one past, so that 0 is empty
	}
	var searched [64]pairSearch
	var near []hit
	for i, tok := range tokens {
		t.from[i] = int32(len(t.hits))
		if i < fromPrior {
			for _, h := range prior.hits[prior.from[i]:prior.from[i+1]] {
				if s.all.has(h.id) {
					t.add(h)
				}
			}
			continue
		}
		if exact[i] >= 0 {
			t.add(hit{id: exact[i], exact: true, strict: true, loose: true})
		}
		// the typos of the one-word phrases, and of the words of longer ones said
		// around the token
		extra = extra[:0]
		if x := exact[i]; x >= 0 {
			extra = append(extra, s.singlesOf[x]...) // a word of the lists: worked out once
		} else if len(tok) >= 4 { // a shorter token has no typo to look for
			j := firstOf(i)
			if j == i {
				from := len(singles)
				singles = s.single.typos(v, singles, tok)
				spans[i] = span{int32(from), int32(len(singles))}
			}
			extra = append(extra, singles[spans[j].from:spans[j].to]...)
		}
		// the words it is compared with one by one: its cheap tests worked out once, and
		// each test kept for the token said again (a flood repeats a few words around
		// the same words of the lists)
		var p probe
		probed, hash := false, -1
		typo := func(id int32) {
			if len(tok) < 4 {
				return // no word is 5 letters or more and one edit away
			}
			if hash < 0 {
				hash = hashToken(tok)
			}
			m := &tested[uint(hash+int(id)*0x9E3779B1)%uint(len(tested))]
			if m.tok != tok || m.id != id {
				if !probed {
					p, probed = newProbe(tok), true
				}
				h, ok := v.typoFor(&p, id)
				*m = typoTest{tok: tok, id: id, h: h, ok: ok}
			}
			if m.ok {
				extra = append(extra, m.h)
			}
		}
		// the typos among the words that follow (after) or precede word x
		around := func(x int32, after bool, ids []int32) {
			if len(ids) <= fewAround { // cheaper tested than remembered
				for _, id := range s.aboutAsLong(ids, len(tok)) {
					typo(id)
				}
				return
			}
			if hash < 0 {
				hash = hashToken(tok)
			}
			c := &searched[uint(hash+int(x)*2+b2i(after))%uint(len(searched))]
			if c.tok != tok || c.x != x || c.after != after || c.to == 0 {
				from := len(extra)
				for _, id := range s.aboutAsLong(ids, len(tok)) {
					typo(id)
				}
				*c = pairSearch{tok, x, after, len(near), len(near) + len(extra) - from + 1}
				near = append(near, extra[from:]...)
				return
			}
			extra = append(extra, near[c.from:c.to-1]...)
		}
		if i > 0 && exact[i-1] >= 0 && int(exact[i-1]) < len(s.after) {
			around(exact[i-1], true, s.after[exact[i-1]])
		}
		if i+1 < len(tokens) && exact[i+1] >= 0 && int(exact[i+1]) < len(s.before) {
			around(exact[i+1], false, s.before[exact[i+1]])
		}
		for j := wantAt[i]; j != 0; j = wants[j-1].next {
			typo(wants[j-1].id)
		}
		if len(extra) == 0 {
			continue
		}
		found = found[:0]
		for _, h := range extra {
			found = append(found, keyedHit{h, v.typoKey(tok, h.id)})
		}
		// in the order, and once, as the search of every word gives them
		slices.SortStableFunc(found, func(a, b keyedHit) int { return compareKeys(a.key, b.key) })
		for j, h := range found {
			if j > 0 && h.id == found[j-1].id {
				continue
			}
			t.add(h.hit)
		}
	}
	t.from[len(tokens)] = int32(len(t.hits))
	return t
}

// aboutAsLong returns the words of ids (sorted by length) a token n bytes long may be a
// typo of: those of 5 bytes or more, and at most 2 shorter or longer.
func (s *scanner) aboutAsLong(ids []int32, n int) []int32 {
	if n < 4 {
		return nil // no word is 5 letters or more and one edit away
	}
	short, long := max(n-2, 5), n+2
	lo, _ := slices.BinarySearchFunc(ids, short, func(id int32, l int) int { return len(s.v.words[id].s) - l })
	hi, _ := slices.BinarySearchFunc(ids, long+1, func(id int32, l int) int { return len(s.v.words[id].s) - l })
	return ids[lo:hi]
}

// keyedHit is a typo's hit with its place in the order of analyze's search.
type keyedHit struct {
	hit
	key [3]int32
}

func compareKeys(a, b [3]int32) int {
	for i := range a {
		if a[i] != b[i] {
			return int(a[i] - b[i])
		}
	}
	return 0
}

// typoKey is where analyze's search finds the typo tok of word id: by the word's
// length, then by the first start letter of the token's whose bucket has the word,
// then in the bucket, by id.
func (v *vocab) typoKey(tok string, id int32) [3]int32 {
	w := v.words[id].s
	limit := v.words[id].limit
	cmin := int32(27)
	for k := 0; k <= limit && k < len(tok); k++ {
		c := int32(letterIndex(tok[k]))
		for x := 0; x <= limit && x < len(w); x++ {
			if int32(letterIndex(w[x])) == c {
				cmin = min(cmin, c)
			}
		}
	}
	return [3]int32{int32(len(w)), cmin, id}
}

// typos appends the hits of tok's typos of the words of the buckets byStart (the
// vocabulary's or a part's; not its exact hit), in the order of the search: by the
// word's length, then by the token's start letter, then in the bucket.
//
// Matching forgives small typos: a word of 5 to 8 letters one edit, longer words two.
// One edit keeps one of the word's first two letters among the token's first two; two
// edits, among the first three: only those buckets are read.
//
// letters, when not nil, says by length which buckets have words (see part).
func (v *vocab) typos(dst []hit, tok string, byStart [][27][]cand, letters []uint32) []hit {
	if len(tok) < 4 {
		return dst // no word is 5 letters or more and one edit away
	}
	var counts tokenCounts
	mask := letterMask(tok)
	start := len(dst)
	// one edit keeps one of the word's first two letters among the token's first two;
	// two edits, among the first three: the token's start letters by limit, each once,
	// in letter order
	var starts [3][3]int
	var nStarts [3]int
	var startMask [3]uint32
	for limit := 1; limit <= 2; limit++ {
	letters:
		for k := 0; k <= limit && k < len(tok); k++ {
			c := letterIndex(tok[k])
			n := nStarts[limit]
			for j := range n {
				if starts[limit][j] == c {
					continue letters
				}
			}
			j := n
			for j > 0 && starts[limit][j-1] > c {
				starts[limit][j] = starts[limit][j-1]
				j--
			}
			starts[limit][j] = c
			nStarts[limit]++
			startMask[limit] |= 1 << c
		}
	}
	for l := max(len(tok)-2, 5); l <= len(tok)+2 && l < len(byStart); l++ {
		limit := fuzzyLimit(l)
		if abs(len(tok)-l) > limit {
			continue // words of this length are too long or short to be a typo of it
		}
		if letters != nil && letters[l]&startMask[limit] == 0 {
			continue // no word in the buckets read
		}
		for _, c := range starts[limit][:nStarts[limit]] {
			for _, cd := range byStart[l][c] {
				// Each edit adds or removes at most two letters from the set of letters
				// a word uses: a cheap test that rules out almost every pair. (All the
				// words of the bucket are l long, and their limit is limit.)
				if bits.OnesCount32(mask^cd.mask) > 2*limit {
					continue
				}
				// a word sits in the bucket of each of its first letters
				if slices.ContainsFunc(dst[start:], func(h hit) bool { return h.id == cd.id }) {
					continue
				}
				if h, ok := v.typoOf(tok, cd.id, &counts); ok {
					dst = append(dst, h)
				}
			}
		}
	}
	return dst
}

// typos appends the hits of tok's typos of the part's words: those v.typos finds in
// the part's buckets, in another order (by length, then by word), each once.
func (p *part) typos(v *vocab, dst []hit, tok string) []hit {
	if len(tok) < 4 {
		return dst // no word is 5 letters or more and one edit away
	}
	var counts tokenCounts
	// the token's masks, worked out for the first word that may be near (most tokens
	// have none)
	var mask uint32
	var pairs uint64
	masked := false
	// the token's start and end letters by limit: its first and last limit+1 (see
	// v.typos and part.atEnd)
	var startMask, endMask [3]uint32
	for limit := 1; limit <= 2; limit++ {
		startMask[limit], endMask[limit] = edgeLetters(tok, limit)
	}
	for l := max(len(tok)-2, 5); l <= len(tok)+2 && l < len(p.inBucket); l++ {
		limit := fuzzyLimit(l)
		if abs(len(tok)-l) > limit || p.letters[l]&startMask[limit] == 0 || p.endLetters[l]&endMask[limit] == 0 {
			continue
		}
		n := (len(p.byLen[l]) + 63) / 64
		for w := range n {
			var set, atEnd uint64
			for sm := startMask[limit]; sm != 0; sm &= sm - 1 {
				set |= p.inBucket[l][bits.TrailingZeros32(sm)*n+w]
			}
			if set == 0 {
				continue
			}
			for em := endMask[limit]; em != 0; em &= em - 1 {
				atEnd |= p.atEnd[l][bits.TrailingZeros32(em)*n+w]
			}
			set &= atEnd
			if set != 0 && !masked {
				mask, pairs, masked = letterMask(tok), pairMask(tok), true
			}
			for ; set != 0; set &= set - 1 {
				cd := p.byLen[l][w*64+bits.TrailingZeros64(set)]
				if bits.OnesCount32(mask^cd.mask) > 2*limit || bits.OnesCount64(pairs&^cd.pairs) > 3*limit {
					continue
				}
				if h, ok := v.typoOf(tok, cd.id, &counts); ok {
					dst = append(dst, h)
				}
			}
		}
	}
	return dst
}

// probe is a token with what the cheap tests of a typo read of it, worked out once for
// the words it is compared with one by one.
type probe struct {
	tok   string
	mask  uint32
	pairs uint64
	// by limit, the token's first and last limit+1 letters
	starts, ends [3]uint32
	counts       tokenCounts
}

func newProbe(tok string) probe {
	p := probe{tok: tok, mask: letterMask(tok), pairs: pairMask(tok)}
	for limit := 1; limit <= 2; limit++ {
		p.starts[limit], p.ends[limit] = edgeLetters(tok, limit)
	}
	return p
}

// typoFor tells whether the probe's token is a typo of word id, as analyze's search
// would find it.
func (v *vocab) typoFor(p *probe, id int32) (hit, bool) {
	if !v.typoLength(len(p.tok), id) {
		return hit{}, false
	}
	w := &v.words[id]
	limit := w.limit
	if p.starts[limit]&w.starts == 0 || p.ends[limit]&w.ends == 0 { // not a typo the search reads
		return hit{}, false
	}
	if bits.OnesCount32(p.mask^w.mask) > 2*limit || bits.OnesCount64(p.pairs&^w.pairs) > 3*limit {
		return hit{}, false
	}
	return v.typoOf(p.tok, id, &p.counts)
}

// typoLength tells whether a token n bytes long may be a typo of word id by their
// lengths alone: the word has 5 bytes or more, and they differ by no more than its
// limit.
func (v *vocab) typoLength(n int, id int32) bool {
	lo, hi := v.typoLengths(id)
	return n >= lo && n <= hi
}

// typoLengths are the lengths lo to hi of the tokens that may be a typo of word id
// (see typoLength), an empty range (lo > hi) when none: the word's length, give or
// take its limit, and at most 2.
func (v *vocab) typoLengths(id int32) (lo, hi int) {
	w := &v.words[id]
	l := len(w.s)
	if w.limit <= 0 || l < 5 {
		return 1, 0
	}
	m := min(w.limit, 2)
	return l - m, l + m
}

// typoOf is the search's test of word id, in a bucket it reads, against tok.
func (v *vocab) typoOf(tok string, id int32, counts *tokenCounts) (hit, bool) {
	w := &v.words[id]
	limit := w.limit
	if w.s == tok {
		return hit{}, false
	}
	// Two edits change the letter counts by at most four.
	if limit == 2 {
		if !counts.done {
			letterCounts(tok, &counts.n)
			counts.done = true
		}
		if countDiff(&counts.n, w.s) > 4 {
			return hit{}, false
		}
	}
	// a strict match (no changed letter) is also a loose one, so a word that is not
	// even loosely near needs no second look
	strict := withinOne(tok, w.s, false)
	if !strict && !withinOne(tok, w.s, true) && (limit < 2 || editDistance(tok, w.s, limit, true) > limit) {
		return hit{}, false
	}
	return hit{id: id, strict: strict, loose: true}, true
}

// tokenCounts are a token's letter counts, counted when a word first needs them.
type tokenCounts struct {
	n    [27]int8
	done bool
}

// hashToken is a token's hash for the tables and caches of a message's words, seeded
// at random when the process starts: no text can be crafted whose words all fall in
// one place of a table (FNV, known to all, let them), which would make its look-ups
// read the whole table.
func hashToken(tok string) int {
	return int(maphash.String(tokenSeed, tok) >> 1)
}

// tokenSeed is hashToken's seed.
var tokenSeed = maphash.MakeSeed()

// fewAround is how many words of two-word phrases a token may be a typo of, beside a
// word of the lists, that the scanner tests again rather than remember.
const fewAround = 4

// b2i is 1 for true, 0 for false.
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
