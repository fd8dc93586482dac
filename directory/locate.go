package directory

import (
	"fmt"
	"math/bits"
	"slices"
	"sort"
	"unsafe"

	"github.com/faro-chat/faro/directory/internal/norm"
	"github.com/faro-chat/faro/flows"
)

// Limits of Locate: the longest text read, the longest name in words, how many
// places an ambiguous answer offers.
const (
	maxInputBytes = 300
	maxTokens     = 20
	maxSpan       = 6
	maxChoices    = 5
	// maxFuzzy bounds the runs of words searched for near spellings, in the text's
	// order: all of an answer of five words or so, the start of a longer text (each
	// search reads hundreds of names)
	maxFuzzy = 12
	// bigDistrict is the population above which a longer name that starts with what was
	// typed is offered too ("San Juan" -> San Juan de Lurigancho).
	bigDistrict = 100000
)

// Name match tiers: a place's own name (or an alias) beats a district capital's name,
// which beats a populated place.
const (
	tierName int8 = iota
	tierCapital
	tierPoblado
)

// abbreviations people write for the first words of place names.
var abbreviations = map[string][]string{
	"sj": {"san", "juan"}, "sn": {"san"}, "sta": {"santa"}, "sto": {"santo"},
	"stgo": {"santiago"}, "gral": {"general"}, "cnel": {"coronel"}, "mcal": {"mariscal"},
	"pto": {"puerto"}, "pte": {"puente"}, "vla": {"villa"}, "vlla": {"villa"}, "ntra": {"nuestra"},
}

// fillers are words of a reply that are never (part of) a place name at its edges.
var fillers = map[string]bool{
	"en": true, "a": true, "al": true, "por": true, "cerca": true, "vivo": true, "estoy": true, "soy": true,
	"trabajo": true, "distrito": true, "provincia": true, "departamento": true, "region": true,
	"ciudad": true, "zona": true, "barrio": true, "urbanizacion": true, "urb": true, "av": true,
	"avenida": true, "jr": true, "jiron": true, "calle": true, "pasaje": true, "mercado": true,
	"plaza": true, "parque": true, "hola": true, "buenas": true, "buenos": true, "dias": true,
	"tardes": true, "noches": true, "no": true, "si": true, "se": true, "donde": true, "aqui": true,
	"aca": true, "mi": true, "yo": true, "casa": true, "peru": true, "centro": true, "in": true,
	"near": true, "i": true, "am": true, "live": true, "the": true, "of": true, "district": true,
	"city": true, "from": true, "de": true, "del": true, "y": true, "o": true, "que": true,
}

type nameRef struct {
	p    *gplace
	tier int8
}

// nameIndex finds gazetteer places by typed names, in two layers searched in turn:
// departments, provinces, districts, their capitals and aliases first, then populated
// places, so that "Santa Rosa Lima" is the district in Lima and not a village called
// Santa Rosa de Lima.
type nameIndex struct {
	layers [2]nameLayer
	// admin lists departments, provinces and districts with the keys of their words,
	// to find longer names starting with what was typed.
	admin []wordsOf
	// adminByFirst lists admin by the key of the first word, in admin's order
	adminByFirst map[string][]wordsOf
	// generic holds the keys of landmark names that are also common phrases ("la
	// parada"): words inside one of them name no place, not even by a near spelling.
	generic map[string]bool
}

// nameLayer maps name keys to places.
type nameLayer struct {
	exact map[string][]nameRef
	byLen map[int][]fuzzyKey
	// byLead lists, by length, the indexes in byLen of the keys by each of their first
	// three bytes (mod 32): two edits leave one of a key's first three bytes among the
	// first three of the other, one edit one of the first two (see fuzzy)
	byLead map[int]*[32][]int32
	// minKey is the shortest key looked up: short village names ("Tía") are everyday
	// words.
	minKey int
}

type fuzzyKey struct {
	key   string
	sig   [32]uint8
	mask  uint32 // bit i set when sig[i] > 0
	lead  uint32 // bit b%32 set for each b of the key's first three bytes
	pairs uint64 // pairMask of the key
}

// pairMask has a bit set, of 64, for each pair of bytes side by side in k. An edit
// brings at most three pairs the other key does not have (a swap: the pair itself and
// the two around it), so keys d edits apart differ by at most 3d pairs each way.
func pairMask(k string) uint64 {
	var m uint64
	for i := 1; i < len(k); i++ {
		m |= 1 << ((uint32(k[i-1])*31 + uint32(k[i])) * 0x9E3779B1 >> 26)
	}
	return m
}

// leadOf is the lead of a key's first n bytes.
func leadOf(k string, n int) uint32 {
	var m uint32
	for i := 0; i < n && i < len(k); i++ {
		m |= 1 << (k[i] % 32)
	}
	return m
}

type wordsOf struct {
	words []string
	p     *gplace
}

func newNameIndex(g *gazetteer, aliases []alias) (*nameIndex, error) {
	ix := &nameIndex{generic: map[string]bool{}}
	for i := range ix.layers {
		ix.layers[i] = nameLayer{exact: map[string][]nameRef{}, byLen: map[int][]fuzzyKey{}, byLead: map[int]*[32][]int32{}, minKey: 3}
	}
	ix.layers[1].minKey = 5
	add := func(name string, r nameRef) {
		k := norm.KeyOf(name)
		if len(k) < 2 {
			return
		}
		l := &ix.layers[0]
		if r.tier == tierPoblado {
			l = &ix.layers[1]
		}
		for i, old := range l.exact[k] {
			if old.p == r.p {
				if r.tier < old.tier {
					l.exact[k][i] = r
				}
				return
			}
		}
		l.exact[k] = append(l.exact[k], r)
	}
	for _, p := range g.byCode {
		switch p.level {
		case lvPoblado:
			add(p.name, nameRef{p, tierPoblado})
		case lvLandmark:
			names := append([]string{p.name}, p.also...)
			if p.generic {
				// alone the name is a common phrase: only with its district's name
				names = append(append([]string(nil), p.also...), p.name+" "+p.parent.name, p.name+" de "+p.parent.name)
				ix.generic[norm.KeyOf(p.name)] = true
			}
			for _, n := range names {
				add(n, nameRef{p, tierName})
			}
		case lvDistrict:
			add(p.name, nameRef{p, tierName})
			if p.capital != "" && norm.KeyOf(p.capital) != norm.KeyOf(p.name) {
				add(p.capital, nameRef{p, tierCapital})
			}
			ix.admin = append(ix.admin, wordsOf{wordKeys(norm.Tokens(p.name)), p})
		default:
			add(p.name, nameRef{p, tierName})
			ix.admin = append(ix.admin, wordsOf{wordKeys(norm.Tokens(p.name)), p})
		}
	}
	for _, a := range aliases {
		p := g.byCode[a.Code]
		if p == nil {
			return nil, fmt.Errorf("%s: alias %q: unknown code %s", aliasesFile, a.Name, a.Code)
		}
		add(a.Name, nameRef{p, tierName})
	}
	for li := range ix.layers {
		l := &ix.layers[li]
		for k, refs := range l.exact {
			sort.Slice(refs, func(i, j int) bool { return refs[i].p.code < refs[j].p.code })
			sig := signature(k)
			l.byLen[len(k)] = append(l.byLen[len(k)], fuzzyKey{k, sig, sigMask(&sig), leadOf(k, 3), pairMask(k)})
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
	sort.Slice(ix.admin, func(i, j int) bool { return ix.admin[i].p.code < ix.admin[j].p.code })
	ix.adminByFirst = map[string][]wordsOf{}
	for _, a := range ix.admin {
		if len(a.words) > 0 {
			ix.adminByFirst[a.words[0]] = append(ix.adminByFirst[a.words[0]], a)
		}
	}
	return ix, nil
}

// wordKeys returns the phonetic keys of the words of a name, particles left out.
func wordKeys(toks []string) []string {
	var out []string
	for _, t := range toks {
		if !norm.IsParticle(t) {
			out = append(out, norm.Phonetic(t))
		}
	}
	return out
}

func signature(k string) [32]uint8 {
	var s [32]uint8
	for i := 0; i < len(k); i++ {
		s[k[i]%32]++
	}
	return s
}

// sigMask has bit i set when the signature counts letters in bucket i. An edit
// changes at most two buckets, so keys whose masks differ in more than 2d bits are
// more than d edits apart: a test of one instruction before sigBound's 32.
func sigMask(s *[32]uint8) uint32 {
	var m uint32
	for i, n := range s {
		if n > 0 {
			m |= 1 << i
		}
	}
	return m
}

// sigBound is a lower bound of the edit distance between keys with these signatures.
func sigBound(a, b *[32]uint8) int {
	d := 0
	for i := range a {
		if a[i] > b[i] {
			d += int(a[i] - b[i])
		} else {
			d += int(b[i] - a[i])
		}
	}
	return (d + 1) / 2
}

// queryTokens folds a reply into words, expanding abbreviations.
func queryTokens(text string) []string {
	if len(text) > maxInputBytes {
		text = text[:maxInputBytes]
	}
	var toks []string
	for _, t := range norm.Tokens(text) {
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

// withoutCercado drops "cercado" when it qualifies another place ("Arequipa cercado",
// "cercado de Cusco"): the place's own name says where. Alone, or with Lima, it is
// Cercado de Lima, an alias.
func withoutCercado(toks []string) []string {
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

// spanMatch is a run of words, toks[i:j], that names some places.
type spanMatch struct {
	i, j  int
	refs  []nameRef
	edits int
	fuzzy bool
}

func (m spanMatch) contains(o spanMatch) bool { return m.i <= o.i && o.j <= m.j }
func (m spanMatch) overlaps(o spanMatch) bool { return m.i < o.j && o.i < m.j }

// locate implements Directory.Locate.
func (g *gazetteer) locate(text string) []flows.Place {
	toks := withoutCercado(queryTokens(text))
	var keys spanKeys
	common := g.names.genericSpans(toks, &keys)
	var matches []spanMatch
	for i := range g.names.layers {
		l := &g.names.layers[i]
		matches = outside(l.matchSpans(toks, &keys, false, nil), common)
		if len(matches) == 0 && i == 0 {
			// The first words of a long name ("Víctor Larco" for Víctor Larco Herrera).
			matches = outside(g.names.prefixSpans(toks), common)
		}
		if len(matches) == 0 || !matches[0].fuzzy {
			// Typos: a longer run of words that nearly names a place beats an exact
			// shorter one inside it ("San Juan de Luriganco"), and may name a province or
			// department; with no exact match at all, the nearest spelling ("Trujilo").
			skip := append(slices.Clip(matches), common...)
			matches = append(matches, l.matchSpans(toks, &keys, true, skip)...)
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
			// "Pucallpa" is the capital of Callería: say what was typed, and where.
			pl.Name = r.p.capital
			pl.Region = r.p.name + ", " + r.p.region
		}
		out = append(out, pl)
	}
	return out
}

// spanKeys are the keys of a text's runs of words, each worked out once for the layers
// and the passes that read it.
type spanKeys struct {
	key  [maxTokens][maxSpan + 1]string
	done [maxTokens][maxSpan + 1]bool
	// arena holds the keys' bytes, appended and never written again: one allocation
	// for all of a text's keys
	arena []byte
}

// of is norm.Key(toks[i:j]).
func (k *spanKeys) of(toks []string, i, j int) string {
	if i >= maxTokens || j-i > maxSpan {
		return norm.Key(toks[i:j])
	}
	if !k.done[i][j-i] {
		if k.arena == nil {
			k.arena = make([]byte, 0, 4096)
		}
		from := len(k.arena)
		k.arena = norm.AppendKey(k.arena, toks[i:j])
		key := ""
		if n := len(k.arena) - from; n > 0 {
			// the bytes are not written again (a longer arena is a new array)
			key = unsafe.String(&k.arena[from], n)
		}
		k.key[i][j-i], k.done[i][j-i] = key, true
	}
	return k.key[i][j-i]
}

// genericSpans finds the runs of words that are a common phrase also used as a
// landmark's name ("la parada": a bus stop, or Lima's market).
func (ix *nameIndex) genericSpans(toks []string, keys *spanKeys) []spanMatch {
	var out []spanMatch
	for i := range toks {
		for j := i + 1; j <= len(toks) && j-i <= maxSpan; j++ {
			if ix.generic[keys.of(toks, i, j)] {
				out = append(out, spanMatch{i: i, j: j})
			}
		}
	}
	return out
}

// outside drops the matches that lie inside one of the spans of common: words of a
// common phrase ("mercado san pedro") name no place of their own ("San Pedro").
func outside(matches, common []spanMatch) []spanMatch {
	if len(common) == 0 {
		return matches
	}
	out := matches[:0]
	for _, m := range matches {
		if !insideAny(m.i, m.j, common) {
			out = append(out, m)
		}
	}
	return out
}

// matchSpans finds runs of words that name places: exactly (up to spelling variants),
// or with fuzzy set within a small edit distance, skipping runs inside one of the exact
// matches. Only the best fuzzy distance is kept.
func (ix *nameLayer) matchSpans(toks []string, keys *spanKeys, fuzzy bool, exact []spanMatch) []spanMatch {
	var out []spanMatch
	best := 3
	searched := 0 // fuzzy searches so far (at most maxFuzzy)
	for i := range toks {
		for j := i + 1; j <= len(toks) && j-i <= maxSpan; j++ {
			// A run may not end with a particle; a single filler word ("centro") or, for
			// typos, a run starting or ending with one is not a place.
			last := toks[j-1]
			edgeFiller := fillers[toks[i]] || fillers[last]
			if norm.IsParticle(last) || (edgeFiller && (fuzzy || j-i == 1)) {
				continue
			}
			key := keys.of(toks, i, j)
			if len(key) < ix.minKey {
				continue
			}
			if !fuzzy {
				if refs := ix.exact[key]; len(refs) > 0 {
					out = append(out, spanMatch{i: i, j: j, refs: refs})
				}
				continue
			}
			if j-i > 4 || len(key) < 5 || ix.exact[key] != nil || insideAny(i, j, exact) {
				continue
			}
			if searched++; searched > maxFuzzy {
				return out // a long text: its first runs of words only
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

// prefixSpans finds runs of at least two words that begin the name of a province or
// district, as fuzzy matches.
func (ix *nameIndex) prefixSpans(toks []string) []spanMatch {
	var out []spanMatch
	// each word's key once ("" for a particle): a run's keys are its words' (wordKeys)
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
		first := i // the run's first word that is not a particle
		for first < len(keys) && keys[first] == "" {
			first++
		}
		if first == len(keys) || len(ix.adminByFirst[keys[first]]) == 0 {
			continue // no name begins with the run's first word
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
			for _, a := range ix.adminByFirst[typed[0]] { // the names that begin with its first word
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

func insideAny(i, j int, spans []spanMatch) bool {
	for _, s := range spans {
		if s.i <= i && j <= s.j {
			return true
		}
	}
	return false
}

// fuzzy returns the places whose keys are nearest to key, and the distance, allowing one
// edit up to 8 letters and two beyond.
func (ix *nameLayer) fuzzy(key string) ([]nameRef, int) {
	max := 1
	if len(key) > 8 {
		max = 2
	}
	sig := signature(key)
	mask, pairs := sigMask(&sig), pairMask(key)
	// Only the keys that share one of their first max+1 bytes with key's first max+1
	// (bucketed by their first three: a superset), read in byLen's order.
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
		// the candidates, as a bit set over keys: read in byLen's order, each once
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
				// a key more than max edits away never counts, whatever best is
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

// resolve chooses among the places of the matched spans: longest names first; a place
// whose province or department is also named wins ("Miraflores Arequipa"); a place
// hides its same-named capital ("Lima" is the department, not also the district); and
// well-populated longer names starting with the typed words are offered too.
func (g *gazetteer) resolve(toks []string, matches []spanMatch) []nameRef {
	sort.SliceStable(matches, func(a, b int) bool {
		la, lb := matches[a].j-matches[a].i, matches[b].j-matches[b].i
		if la != lb {
			return la > lb
		}
		if matches[a].fuzzy != matches[b].fuzzy {
			return !matches[a].fuzzy
		}
		return matches[a].i < matches[b].i
	})
	var spans []spanMatch
	for _, m := range matches {
		inside := false
		for _, s := range spans {
			if s.contains(m) {
				inside = true
				break
			}
		}
		if !inside {
			m.refs = bestTier(m.refs)
			spans = append(spans, m)
		}
	}
	// Places confirmed by another span naming what contains them; the closest
	// container wins ("Miraflores Lima": the province of Lima, not the department).
	var result []nameRef
	bestSupport := level(-1)
	for si, s := range spans {
		for _, r := range s.refs {
			lv := support(r.p, si, spans)
			switch {
			case lv < 0 || lv < bestSupport:
			case lv > bestSupport:
				bestSupport, result = lv, append(result[:0], r)
			default:
				result = appendRef(result, r)
			}
		}
	}
	single := false
	if len(result) == 0 {
		// The longest runs, exact ones before typos (spans are sorted that way).
		longest, fuzzy := spans[0].j-spans[0].i, spans[0].fuzzy
		n := 0
		for _, s := range spans {
			if s.j-s.i == longest && s.fuzzy == fuzzy {
				n++
				for _, r := range s.refs {
					result = appendRef(result, r)
				}
			}
		}
		single = n == 1
	}
	result = dropSameNamedDescendants(result)
	if single && !spans[0].fuzzy && spans[0].refs[0].tier == tierName {
		result = g.names.extend(result, wordKeys(toks[spans[0].i:spans[0].j]))
	}
	sort.SliceStable(result, func(a, b int) bool {
		x, y := result[a], result[b]
		if x.tier != y.tier {
			return x.tier < y.tier
		}
		if x.p.pop != y.p.pop {
			return x.p.pop > y.p.pop
		}
		if x.p.rank != y.p.rank {
			return x.p.rank < y.p.rank
		}
		return x.p.code < y.p.code
	})
	if len(result) > maxChoices {
		result = result[:maxChoices]
	}
	return result
}

func bestTier(refs []nameRef) []nameRef {
	t := tierPoblado
	for _, r := range refs {
		t = min(t, r.tier)
	}
	var out []nameRef
	for _, r := range refs {
		if r.tier == t {
			out = append(out, r)
		}
	}
	return out
}

// support returns the level of the most specific place named by another span, not
// overlapping span si, that contains p; -1 if none does.
func support(p *gplace, si int, spans []spanMatch) level {
	best := level(-1)
	for sj, s := range spans {
		if sj == si || s.overlaps(spans[si]) {
			continue
		}
		for _, a := range s.refs {
			if a.p.isAncestor(p) && a.p.level > best {
				best = a.p.level
			}
		}
	}
	return best
}

func appendRef(list []nameRef, r nameRef) []nameRef {
	for i, x := range list {
		if x.p == r.p {
			if r.tier < x.tier {
				list[i] = r
			}
			return list
		}
	}
	return append(list, r)
}

// dropSameNamedDescendants keeps a department and drops its province and district of
// the same name: they are the same city.
func dropSameNamedDescendants(refs []nameRef) []nameRef {
	var out []nameRef
	for _, r := range refs {
		hidden := false
		for _, a := range refs {
			if a.p.isAncestor(r.p) && norm.KeyOf(a.p.name) == norm.KeyOf(r.p.name) {
				hidden = true
				break
			}
		}
		if !hidden {
			out = append(out, r)
		}
	}
	return out
}

// extend adds districts and provinces of more than bigDistrict people whose names start
// with the typed words and are longer, and more populous than the provinces and
// districts found ("San Martín": the region, and San Martín de Porres in Lima).
func (ix *nameIndex) extend(result []nameRef, typed []string) []nameRef {
	if len(typed) == 0 {
		return result
	}
	threshold := int64(bigDistrict)
	for _, r := range result {
		if r.p.level != lvDepartment && r.p.pop > threshold {
			threshold = r.p.pop
		}
	}
	for _, a := range ix.admin {
		if len(a.words) <= len(typed) || a.p.pop <= threshold || a.p.level == lvDepartment {
			continue
		}
		if slices.Equal(a.words[:len(typed)], typed) {
			result = appendRef(result, nameRef{a.p, tierName})
		}
	}
	return result
}
