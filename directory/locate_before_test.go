package directory

import (
	"math/bits"
	"slices"
	"sort"
	"strings"
	"unicode"

	unorm "golang.org/x/text/unicode/norm"

	"github.com/faro-chat/faro/directory/internal/norm"
	"github.com/faro-chat/faro/flows"
	"github.com/faro-chat/faro/flows/understand"
)

// This file keeps Locate as it was before the keys of runs of words were pruned by
// keyList, the words' flags worked out once and the fuzzy candidates taken from bit
// sets: the reference that locate_test compares it with. Only the names end in
// Before; the code is the code it replaces.

// beforeIndex is the name index as it was: keys by length in maps, and their indexes
// by lead byte.
type beforeIndex struct {
	ix     *nameIndex
	layers [2]beforeLayer
}

// beforeLayer is nameLayer as it was.
type beforeLayer struct {
	exact  map[string][]nameRef
	byLen  map[int][]beforeKey
	byLead map[int]*[32][]int32
	minKey int
	short  map[string]bool // looked up exactly though shorter than minKey (since 2026-12-02)
}

// beforeKey is fuzzyKey as it was.
type beforeKey struct {
	key   string
	sig   [32]uint8
	mask  uint32
	lead  uint32
	pairs uint64
}

// newBeforeIndex indexes ix's keys as newNameIndex did.
func newBeforeIndex(ix *nameIndex) *beforeIndex {
	b := &beforeIndex{ix: ix}
	for li := range ix.layers {
		l := &b.layers[li]
		*l = beforeLayer{exact: ix.layers[li].exact, byLen: map[int][]beforeKey{}, byLead: map[int]*[32][]int32{}, minKey: ix.layers[li].minKey, short: ix.layers[li].short}
		for k := range l.exact {
			sig := signature(k)
			l.byLen[len(k)] = append(l.byLen[len(k)], beforeKey{k, sig, sigMask(&sig), leadOf(k, 3), pairMask(k)})
		}
		for n, keys := range l.byLen {
			sort.Slice(keys, func(i, j int) bool { return keys[i].key < keys[j].key })
			lead := new([32][]int32)
			for i, fk := range keys {
				for m := fk.lead; m != 0; m &= m - 1 {
					c := bits.TrailingZeros32(m)
					lead[c] = append(lead[c], int32(i))
				}
			}
			l.byLead[n] = lead
		}
	}
	return b
}

// foldBefore is norm.Fold as it was.
func foldBefore(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := true // suppress leading spaces
	if !isASCIIBefore(s) {
		s = unorm.NFD.String(s)
	}
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r):
			// combining accent: dropped
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
			space = false
		default:
			if !space {
				b.WriteByte(' ')
				space = true
			}
		}
	}
	return strings.TrimRight(b.String(), " ")
}

// isASCIIBefore is norm.isASCII.
func isASCIIBefore(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// queryTokensBefore is queryTokens as it was, on norm.Tokens as it was.
func queryTokensBefore(text string) []string {
	if len(text) > maxInputBytes {
		text = text[:maxInputBytes]
	}
	var toks []string
	for _, t := range strings.Fields(foldBefore(text)) {
		if exp, ok := abbreviations[t]; ok {
			toks = append(toks, exp...)
		} else {
			toks = append(toks, t)
		}
		if len(toks) >= maxTokens {
			break
		}
	}
	return toks
}

// withoutCercadoBefore is withoutCercado as it was.
func withoutCercadoBefore(toks []string) []string {
	other := false
	for _, t := range toks {
		if t != "cercado" && t != "de" && t != "lima" && !fillers[t] {
			other = true
		}
	}
	if !other {
		return toks
	}
	out := toks[:0:0]
	for _, t := range toks {
		if t != "cercado" {
			out = append(out, t)
		}
	}
	return out
}

// locateBefore is locate as it was.
func (g *gazetteer) locateBefore(b *beforeIndex, text string) []flows.Place {
	toks := g.names.withoutQuechuaCase(withoutCercadoBefore(withoutStreets(queryTokensBefore(text))))
	common := b.genericSpans(toks)
	var matches []spanMatch
	for i := range b.layers {
		l := &b.layers[i]
		matches = outside(l.matchSpans(toks, false, nil), common)
		if len(matches) == 0 && i == 0 {
			matches = outside(b.prefixSpans(toks), common)
		}
		if len(matches) == 0 || !matches[0].fuzzy {
			skip := append(slices.Clip(matches), common...)
			matches = append(matches, l.matchSpans(toks, true, skip)...)
		}
		if len(matches) > 0 {
			break
		}
	}
	if len(matches) == 0 {
		return nil
	}
	found := g.resolve(toks, matches)
	out := make([]flows.Place, 0, len(found))
	for _, r := range found {
		pl := r.p.toPlace()
		if r.tier == tierCapital && r.p.capital != "" {
			pl.Name = r.p.capital
			pl.Region = r.p.name + ", " + r.p.region
		}
		out = append(out, pl)
	}
	return out
}

// genericSpans is nameIndex.genericSpans as it was.
func (b *beforeIndex) genericSpans(toks []string) []spanMatch {
	var out []spanMatch
	for i := range toks {
		for j := i + 1; j <= len(toks) && j-i <= maxSpan; j++ {
			if b.ix.generic[norm.Key(toks[i:j])] {
				out = append(out, spanMatch{i: i, j: j})
			}
		}
	}
	return out
}

// matchSpans is what nameLayer.exactSpans and fuzzySpans were, in one.
func (ix *beforeLayer) matchSpans(toks []string, fuzzy bool, exact []spanMatch) []spanMatch {
	var out []spanMatch
	best := 3
	searched := 0
	for i := range toks {
		for j := i + 1; j <= len(toks) && j-i <= maxSpan; j++ {
			last := toks[j-1]
			edgeFiller := fillers[toks[i]] || fillers[last]
			if norm.IsParticle(last) || (edgeFiller && (fuzzy || j-i == 1)) {
				continue
			}
			key := norm.Key(toks[i:j])
			if len(key) < ix.minKey && (fuzzy || !ix.short[key]) {
				continue
			}
			if !fuzzy {
				if refs := ix.exact[key]; len(refs) > 0 {
					out = append(out, spanMatch{i: i, j: j, refs: refs})
				}
				continue
			}
			if j-i > 4 || len(key) < 5 || ix.exact[key] != nil || insideAny(i, j, exact) || everydayRunOf(toks[i:j]) {
				continue
			}
			if searched++; searched > maxFuzzy {
				return out
			}
			refs, d := ix.fuzzy(key)
			if len(refs) == 0 || d > best {
				continue
			}
			if d < best {
				best, out = d, out[:0]
			}
			out = append(out, spanMatch{i: i, j: j, refs: refs, edits: d, fuzzy: true})
		}
	}
	return out
}

// prefixSpans is nameIndex.prefixSpans as it was.
func (b *beforeIndex) prefixSpans(toks []string) []spanMatch {
	ix := b.ix
	var out []spanMatch
	var keyBuf [maxTokens]string
	keys := keyBuf[:0]
	for _, t := range toks {
		k := ""
		if !norm.IsParticle(t) {
			k = norm.Phonetic(t)
		}
		keys = append(keys, k)
	}
	var typedBuf [maxSpan]string
	for i := range toks {
		first := i
		for first < len(keys) && keys[first] == "" {
			first++
		}
		if first == len(keys) || len(ix.adminByFirst[keys[first]]) == 0 {
			continue
		}
		for j := i + 2; j <= len(toks) && j-i <= maxSpan; j++ {
			if fillers[toks[i]] || fillers[toks[j-1]] || norm.IsParticle(toks[j-1]) {
				continue
			}
			typed := typedBuf[:0]
			for _, k := range keys[i:j] {
				if k != "" {
					typed = append(typed, k)
				}
			}
			if len(typed) < 2 {
				continue
			}
			var refs []nameRef
			for _, a := range ix.adminByFirst[typed[0]] {
				if a.p.level != lvDepartment && len(a.words) > len(typed) && slices.Equal(a.words[:len(typed)], typed) {
					refs = append(refs, nameRef{a.p, tierName})
				}
			}
			if len(refs) > 0 {
				out = append(out, spanMatch{i: i, j: j, refs: refs, edits: 1, fuzzy: true})
			}
		}
	}
	return out
}

// fuzzy is nameLayer.fuzzy as it was.
func (ix *beforeLayer) fuzzy(key string) ([]nameRef, int) {
	max := 1
	if len(key) > 8 {
		max = 2
	}
	sig := signature(key)
	mask, pairs := sigMask(&sig), pairMask(key)
	var lead [3]int
	nLead := 0
	for m := leadOf(key, max+1); m != 0; m &= m - 1 {
		lead[nLead] = bits.TrailingZeros32(m)
		nLead++
	}
	var refs []nameRef
	best := max + 1
	for l := len(key) - max; l <= len(key)+max; l++ {
		keys, buckets := ix.byLen[l], ix.byLead[l]
		if buckets == nil {
			continue
		}
		var setBuf [16]uint64
		set := setBuf[:]
		if n := (len(keys) + 63) / 64; n > len(setBuf) {
			set = make([]uint64, n)
		}
		for _, c := range lead[:nLead] {
			for _, i := range buckets[c] {
				set[i/64] |= 1 << (i % 64)
			}
		}
		for w, bitsOf := range set {
			for ; bitsOf != 0; bitsOf &= bitsOf - 1 {
				fk := &keys[w*64+bits.TrailingZeros64(bitsOf)]
				bound := min(best, max)
				if bits.OnesCount64(pairs&^fk.pairs) > 3*bound || bits.OnesCount32(mask^fk.mask) > 2*bound || sigBound(&sig, &fk.sig) > bound {
					continue
				}
				d := norm.Distance(key, fk.key, min(max, best))
				switch {
				case d < best:
					best, refs = d, append(refs[:0], ix.exact[fk.key]...)
				case d == best:
					refs = append(refs, ix.exact[fk.key]...)
				}
			}
		}
	}
	if best > max {
		return nil, best
	}
	return refs, best
}

// everydayRunOf is spanKeys.everydayRun, on words.
func everydayRunOf(toks []string) bool {
	for _, t := range toks {
		if !understand.Everyday(t) && !fillers[t] && !norm.IsParticle(t) {
			return false
		}
	}
	return true
}
