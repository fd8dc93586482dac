package directory

import (
	"encoding/binary"
	"fmt"
	"math/bits"
	"slices"
	"sort"
	"strings"
	"unsafe"

	"github.com/faro-chat/faro/directory/internal/norm"
	"github.com/faro-chat/faro/flows"
	"github.com/faro-chat/faro/flows/understand"
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
	// maxFuzzySpan is the longest run of words searched for near spellings.
	maxFuzzySpan = 4
	// maxQueryTokens bounds the words of a query: queryTokens stops at maxTokens,
	// after an abbreviation of up to two words.
	maxQueryTokens = maxTokens + 1
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
	// English nouns of landmarks ("near the market" found Marquez, Callao)
	"market": true, "mall": true, "station": true, "park": true, "square": true, "beach": true,
	"airport": true, "bridge": true, "church": true, "hospital": true, "street": true,
	// nouns of where she is, not places' names («en la posta de salud» found La Poza,
	// Amazonas; «en la esquina de la av abancay» La Esquina, Cusco; «no posto» Ponto)
	"posta": true, "salud": true, "esquina": true, "posto": true, "saude": true, "comisaria": true,
	"delegacia": true, "hostal": true, "hotel": true, "hospedaje": true, "cuarto": true,
	"paradero": true, "clinica": true, "discoteca": true, "cuadra": true, "frente": true,
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
	// listed holds every key of exact and generic: what a look-up by key can find
	listed keyList
}

// nameLayer maps name keys to places.
type nameLayer struct {
	exact map[string][]nameRef
	// byLen holds the keys of exact by their length (the index)
	byLen []keysOfLen
	// minKey is the shortest key looked up: short village names ("Tía") are everyday
	// words.
	minKey int
	// short holds the keys of departments, provinces and districts shorter than minKey
	// ("Moho": «mo», the h silent and the vowels run together): looked up all the same
	short map[string]bool
}

// keysOfLen are a layer's keys of one length, sorted by key: the order fuzzy reads
// them in. The tests fuzzy makes first, on every candidate, read arrays of their own.
type keysOfLen struct {
	keys  []fuzzyKey
	pairs []uint64 // pairMask of each key
	masks []uint32 // sigMask of each key
	// lead holds 32 bit sets over keys, one for each byte b%32, a word of each after
	// the other (lead[w*32+b] is word w of set b): keys[i] is in set b when b is among
	// its first three bytes. Two edits leave one of a key's first three bytes among the
	// first three of the other, one edit one of the first two (see fuzzy).
	lead []uint64
	// tail is lead for the last three bytes: edits are as far from the end of a key as
	// from the start of the key read backwards, at the same distance.
	tail []uint64
}

type fuzzyKey struct {
	key  string
	sig  [32]uint8
	refs []nameRef // exact[key]
}

// newKeysOfLen indexes keys, all of one length and sorted.
func newKeysOfLen(keys []fuzzyKey) keysOfLen {
	words := (len(keys) + 63) / 64
	kl := keysOfLen{keys: keys, lead: make([]uint64, 32*words), tail: make([]uint64, 32*words)}
	for i, fk := range keys {
		kl.pairs = append(kl.pairs, pairMask(fk.key))
		kl.masks = append(kl.masks, sigMask(&fk.sig))
		addToSets(kl.lead, i, leadOf(fk.key, 3))
		addToSets(kl.tail, i, tailOf(fk.key, 3))
	}
	return kl
}

// addToSets puts key i in the sets (lead or tail) of each byte of bytes.
func addToSets(sets []uint64, i int, bytes uint32) {
	for m := bytes; m != 0; m &= m - 1 {
		sets[i/64*32+bits.TrailingZeros32(m)] |= 1 << (i % 64)
	}
}

// candidates returns, in buf when it is long enough, the set of the keys that have
// one of the bytes of lead (a leadOf) among their first three and one of those of tail
// (a tailOf) among their last three.
func (kl *keysOfLen) candidates(lead, tail uint32, buf []uint64) []uint64 {
	set := buf[:0]
	for w := 0; w < len(kl.lead)/32; w++ {
		set = append(set, unionOf(kl.lead[w*32:w*32+32], lead)&unionOf(kl.tail[w*32:w*32+32], tail))
	}
	return set
}

// unionOf is the union of one word of the sets of each byte of bytes.
func unionOf(sets []uint64, bytes uint32) uint64 {
	var u uint64
	for m := bytes; m != 0; m &= m - 1 {
		u |= sets[bits.TrailingZeros32(m)]
	}
	return u
}

// keysOfLen returns the layer's keys of length n, none for a length out of range.
func (ix *nameLayer) keysOfLen(n int) *keysOfLen {
	if n < 0 || n >= len(ix.byLen) {
		return &keysOfLen{}
	}
	return &ix.byLen[n]
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

// tailOf is the lead of a key's last n bytes.
func tailOf(k string, n int) uint32 {
	return leadOf(k[max(len(k)-n, 0):], n)
}

type wordsOf struct {
	words []string
	p     *gplace
}

func newNameIndex(g *gazetteer, aliases []alias) (*nameIndex, error) {
	ix := &nameIndex{generic: map[string]bool{}}
	for i := range ix.layers {
		ix.layers[i] = nameLayer{exact: map[string][]nameRef{}, minKey: 3, short: map[string]bool{}}
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
		if len(k) < l.minKey && r.tier == tierName && r.p.level <= lvDistrict {
			l.short[k] = true
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
		ix.layers[li].indexKeys()
	}
	ix.listed = newKeyList(ix)
	sort.Slice(ix.admin, func(i, j int) bool { return ix.admin[i].p.code < ix.admin[j].p.code })
	ix.adminByFirst = map[string][]wordsOf{}
	for _, a := range ix.admin {
		if len(a.words) > 0 {
			ix.adminByFirst[a.words[0]] = append(ix.adminByFirst[a.words[0]], a)
		}
	}
	return ix, nil
}

// indexKeys sorts the places of each key and indexes the keys by length for fuzzy.
func (l *nameLayer) indexKeys() {
	byLen := map[int][]fuzzyKey{}
	longest := 0
	for k, refs := range l.exact {
		sort.Slice(refs, func(i, j int) bool { return refs[i].p.code < refs[j].p.code })
		byLen[len(k)] = append(byLen[len(k)], fuzzyKey{k, signature(k), refs})
		longest = max(longest, len(k))
	}
	l.byLen = make([]keysOfLen, longest+1)
	for n, keys := range byLen {
		sort.Slice(keys, func(i, j int) bool { return keys[i].key < keys[j].key })
		l.byLen[n] = newKeysOfLen(keys)
	}
}

// keyList is every key a look-up by exact key can find (both layers' names and the
// common phrases), sorted. The phonetic key of a longer run of words starts with the
// key of a shorter one less its last byte (see norm.AppendPhonetic), so when no key
// listed starts so, no longer run is worth a key of its own for exact look-ups.
type keyList struct {
	keys []string
	// from[b] is the index in keys of the first key whose first byte is b or more
	from [257]int32
}

// newKeyList lists the keys of ix's layers and generic phrases.
func newKeyList(ix *nameIndex) keyList {
	var l keyList
	for k := range ix.generic {
		l.keys = append(l.keys, k)
	}
	for li := range ix.layers {
		for k := range ix.layers[li].exact {
			l.keys = append(l.keys, k)
		}
	}
	slices.Sort(l.keys)
	l.keys = slices.Compact(l.keys)
	for b := range l.from {
		l.from[b] = int32(sort.Search(len(l.keys), func(i int) bool { return l.keys[i] != "" && int(l.keys[i][0]) >= b }))
	}
	return l
}

// find reports whether key is listed, and whether a listed key starts with key less
// its last byte (when not, no key of a run of words that starts with key's is listed).
func (l *keyList) find(key string) (listed, more bool) {
	stem := key[:max(len(key)-1, 0)]
	keys := l.keys
	if stem != "" {
		keys = keys[l.from[stem[0]]:l.from[int(stem[0])+1]]
	}
	at, _ := slices.BinarySearch(keys, stem)
	if at == len(keys) || !strings.HasPrefix(keys[at], stem) {
		return false, false
	}
	_, listed = slices.BinarySearch(keys[at:], key)
	return listed, true
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

// maskOf is sigMask of k's signature, without the signature. A count in the
// signature wraps to 0 at 256: a key that long takes the long way.
func maskOf(k string) uint32 {
	if len(k) >= 256 {
		sig := signature(k)
		return sigMask(&sig)
	}
	return leadOf(k, len(k))
}

// sigBound is a lower bound of the edit distance between keys with these signatures.
// It reads eight counts at a time (absDiffSum), those of 128 or more one by one.
func sigBound(a, b *[32]uint8) int {
	d := 0
	for w := 0; w < len(a); w += 8 {
		x, y := binary.LittleEndian.Uint64(a[w:]), binary.LittleEndian.Uint64(b[w:])
		if (x|y)&highBits != 0 {
			for i := w; i < w+8; i++ {
				d += int(max(a[i], b[i]) - min(a[i], b[i]))
			}
			continue
		}
		d += absDiffSum(x, y)
	}
	return (d + 1) / 2
}

// highBits is the high bit of each byte of a word.
const highBits = 0x8080808080808080

// absDiffSum is the sum of |x_i - y_i| over the eight bytes of x and y, each less
// than 128. Each byte of (x|highBits)-y is 128+x_i-y_i, which borrows from no other:
// its high bit says which is larger, its low bits are x_i-y_i, and those of its
// negation (borrowing from none either) y_i-x_i.
func absDiffSum(x, y uint64) int {
	const ones, low = 0x0101010101010101, 0x7f7f7f7f7f7f7f7f
	v := (x | highBits) - y
	larger := (v & highBits >> 7) * 0xff // 0xff where x_i >= y_i
	diff := v&low&larger | (^v+ones)&low&^larger
	// the eight differences (at most 127 each) in four lanes of 16 bits, then added
	pairs := diff&0x00ff00ff00ff00ff + diff>>8&0x00ff00ff00ff00ff
	return int(pairs * 0x0001000100010001 >> 48)
}

// queryTokens folds a reply into words, expanding abbreviations.
func queryTokens(text string) []string {
	if len(text) > maxInputBytes {
		text = text[:maxInputBytes]
	}
	toks := make([]string, 0, maxQueryTokens)
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

// quechuaCases are the case endings Quechua puts on a place's name: «limapi
// kachkani» (I am in Lima), «cuscoman» (to Cusco), «punomanta» (from Puno).
var quechuaCases = []string{"manta", "pim", "man", "pi"}

// withoutQuechuaCase takes a case ending off a word that names no place as written
// when what is left is the name of a district, a province or a region, or one of their
// capitals («limapi» is Lima). toks is not changed: a copy is, when needed.
func (ix *nameIndex) withoutQuechuaCase(toks []string) []string {
	out := toks
	for i, t := range toks {
		for _, c := range quechuaCases {
			stem, ok := strings.CutSuffix(t, c)
			if !ok || len(stem) < 3 {
				continue
			}
			if listed, _ := ix.listed.find(norm.Key(toks[i : i+1])); listed || len(ix.layers[0].exact[norm.Key([]string{stem})]) == 0 {
				break // a name as written («Huamanga»), or no place's with the ending off
			}
			if &out[0] == &toks[0] {
				out = slices.Clone(toks)
			}
			out[i] = stem
			break
		}
	}
	return out
}

// withoutStreets drops the streets named in toks: the words after a street word
// ("av arequipa", "jr ica", "calle lima"), up to a word that says where else ("av
// arequipa en lince"), name a street, not the region, the city or the district of the
// same name hundreds of kilometres away, and are not looked up (understand.Street).
func withoutStreets(toks []string) []string {
	if j := slices.IndexFunc(toks, understand.StreetAfter); j > 0 {
		// «colonial avenue»: the word before it is the street's name
		toks = slices.Delete(slices.Clone(toks), j-1, j+1)
	}
	i := slices.IndexFunc(toks, understand.Street)
	if i < 0 {
		return toks
	}
	out := slices.Clone(toks[:i])
	for street := false; i < len(toks); i++ {
		t := toks[i]
		switch {
		case understand.Street(t):
			street = true
		case street && understand.StreetEnd(t):
			street = false
			out = append(out, t)
		case !street:
			out = append(out, t)
		}
	}
	return out
}

// withoutCercado drops "cercado" when it qualifies another place ("Arequipa cercado",
// "cercado de Cusco"): the place's own name says where. Alone, or with Lima, it is
// Cercado de Lima, an alias.
func withoutCercado(toks []string) []string {
	if !slices.Contains(toks, "cercado") {
		return toks
	}
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
	var q spanKeys
	q.reset(g.names.withoutQuechuaCase(withoutCercado(withoutStreets(queryTokens(text)))), &g.names.listed)
	common := g.names.genericSpans(&q)
	var matches []spanMatch
	for i := range g.names.layers {
		l := &g.names.layers[i]
		matches = outside(l.exactSpans(&q), common)
		if len(matches) == 0 && i == 0 {
			// The first words of a long name ("Víctor Larco" for Víctor Larco Herrera).
			matches = outside(g.names.prefixSpans(&q), common)
		}
		if len(matches) == 0 || !matches[0].fuzzy {
			// Typos: a longer run of words that nearly names a place beats an exact
			// shorter one inside it ("San Juan de Luriganco"), and may name a province or
			// department; with no exact match at all, the nearest spelling ("Trujilo").
			skip := append(slices.Clip(matches), common...)
			matches = append(matches, l.fuzzySpans(&q, skip)...)
		}
		if len(matches) > 0 {
			break
		}
	}
	if len(matches) == 0 {
		return nil
	}
	found := g.resolve(q.toks, matches)
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

// wordFlags tell what a word of a query is, worked out once: every run of words in
// every pass asks whether its edges are fillers or particles.
type wordFlags uint8

const (
	wordFiller wordFlags = 1 << iota
	wordParticle
	wordEveryday
)

// flagsOf works out the flags of a word.
func flagsOf(t string) wordFlags {
	var f wordFlags
	if fillers[t] {
		f |= wordFiller
	}
	if norm.IsParticle(t) {
		f |= wordParticle
	}
	if understand.Everyday(t) {
		f |= wordEveryday
	}
	return f
}

// What spanKeys knows of a run of words.
const (
	runKeyed  uint8 = 1 << iota // its key is worked out
	runLooked                   // runListed and runMore are known
	runListed                   // its key is listed
	runMore                     // a listed key starts with its key less the last byte
)

// spanKeys are a query's words and the keys of its runs of words, each worked out
// once for the layers and the passes that read it, with what the index's keyList says
// of them.
type spanKeys struct {
	toks  []string
	list  *keyList
	words [maxQueryTokens]wordFlags // of each word
	// key[i][n] is the key of toks[i:i+n]; state[i][n] what is known of it (the run
	// bits)
	key   [maxQueryTokens][maxSpan + 1]string
	state [maxQueryTokens][maxSpan + 1]uint8
	// pruned[i] is the length of a run from toks[i] after which no run from there has
	// a listed key (0: none known yet)
	pruned [maxQueryTokens]int8
	// arena holds the keys' bytes, appended and never written again: one allocation
	// for all of a text's keys
	arena []byte
}

// reset makes k the keys of toks, listed or not in list, none worked out yet.
func (k *spanKeys) reset(toks []string, list *keyList) {
	*k = spanKeys{toks: toks, list: list}
	for i, t := range toks[:min(len(toks), maxQueryTokens)] {
		k.words[i] = flagsOf(t)
	}
}

// flags returns the flags of toks[i].
func (k *spanKeys) flags(i int) wordFlags {
	if i < maxQueryTokens {
		return k.words[i]
	}
	return flagsOf(k.toks[i])
}

// filler reports whether toks[i] is one of fillers.
func (k *spanKeys) filler(i int) bool { return k.flags(i)&wordFiller != 0 }

// particle reports whether toks[i] is a particle.
func (k *spanKeys) particle(i int) bool { return k.flags(i)&wordParticle != 0 }

// everydayRun reports whether toks[i:j] is made only of everyday words, fillers and
// particles: words people write for something else, never a place's near spelling.
func (k *spanKeys) everydayRun(i, j int) bool {
	for ; i < j; i++ {
		if k.flags(i)&(wordEveryday|wordFiller|wordParticle) == 0 {
			return false
		}
	}
	return true
}

// of is norm.Key(toks[i:j]).
func (k *spanKeys) of(i, j int) string {
	if i >= maxQueryTokens || j-i > maxSpan {
		return norm.Key(k.toks[i:j])
	}
	if k.state[i][j-i]&runKeyed == 0 {
		k.key[i][j-i] = k.keyOf(i, j)
		k.state[i][j-i] |= runKeyed
	}
	return k.key[i][j-i]
}

// keyOf works out norm.Key(toks[i:j]) into the arena.
func (k *spanKeys) keyOf(i, j int) string {
	if j-i > 1 && k.particle(j-1) {
		return k.of(i, j-1) // keys leave particles out
	}
	if k.arena == nil {
		k.arena = make([]byte, 0, 1024)
	}
	from := len(k.arena)
	k.arena = norm.AppendKey(k.arena, k.toks[i:j])
	if n := len(k.arena) - from; n > 0 {
		// the bytes are not written again (a longer arena is a new array)
		return unsafe.String(&k.arena[from], n)
	}
	return ""
}

// look reports whether the key of toks[i:j] is listed, and whether that of a longer
// run from toks[i] may be (more): a run's key is worked out only when it may.
func (k *spanKeys) look(i, j int) (listed, more bool) {
	n := j - i
	if i >= maxQueryTokens || n > maxSpan {
		return k.list.find(k.of(i, j))
	}
	if p := k.pruned[i]; p != 0 && n > int(p) {
		return false, false
	}
	st := &k.state[i][n]
	if *st&runLooked == 0 {
		listed, more := k.list.find(k.of(i, j))
		*st |= runLooked
		if listed {
			*st |= runListed
		}
		if more {
			*st |= runMore
		} else if k.pruned[i] == 0 || n < int(k.pruned[i]) {
			k.pruned[i] = int8(n)
		}
	}
	return *st&runListed != 0, *st&runMore != 0
}

// genericSpans finds the runs of words that are a common phrase also used as a
// landmark's name ("la parada": a bus stop, or Lima's market).
func (ix *nameIndex) genericSpans(q *spanKeys) []spanMatch {
	var out []spanMatch
	for i := range q.toks {
		for j := i + 1; j <= len(q.toks) && j-i <= maxSpan; j++ {
			listed, more := q.look(i, j)
			if listed && ix.generic[q.of(i, j)] {
				out = append(out, spanMatch{i: i, j: j})
			}
			if !more {
				break // no longer run from toks[i] is listed
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

// exactSpans finds runs of words that name places exactly (up to spelling variants).
func (ix *nameLayer) exactSpans(q *spanKeys) []spanMatch {
	var out []spanMatch
	for i := range q.toks {
		for j := i + 1; j <= len(q.toks) && j-i <= maxSpan; j++ {
			// A run may not end with a particle; a single filler word ("centro"), with its
			// article or not ("la esquina", "la posta"), is not a place.
			if q.particle(j-1) || (j-i == 1 && q.filler(i)) || (j-i == 2 && q.particle(i) && q.filler(i+1)) {
				continue
			}
			listed, more := q.look(i, j)
			if listed {
				out = ix.appendExact(out, i, j, q.of(i, j))
			}
			if !more {
				break // no longer run from toks[i] is listed
			}
		}
	}
	return out
}

// appendExact appends the run of words toks[i:j] to out when its key names places.
func (ix *nameLayer) appendExact(out []spanMatch, i, j int, key string) []spanMatch {
	if refs := ix.exact[key]; (len(key) >= ix.minKey || ix.short[key]) && len(refs) > 0 {
		return append(out, spanMatch{i: i, j: j, refs: refs})
	}
	return out
}

// fuzzySpans finds runs of words that name places within a small edit distance,
// skipping runs inside one of the exact matches. Only the best distance is kept.
func (ix *nameLayer) fuzzySpans(q *spanKeys, exact []spanMatch) []spanMatch {
	var out []spanMatch
	best := 3
	searched := 0                 // fuzzy searches so far (at most maxFuzzy)
	shortest := max(ix.minKey, 5) // shorter keys are not searched for typos
	for i := range q.toks {
		for j := i + 1; j <= len(q.toks) && j-i <= min(maxSpan, maxFuzzySpan); j++ {
			// A run may not end with a particle, nor start or end with a filler.
			if q.particle(j-1) || q.filler(i) || q.filler(j-1) {
				continue
			}
			key := q.of(i, j)
			if len(key) < shortest || insideAny(i, j, exact) || q.everydayRun(i, j) {
				continue
			}
			if listed, _ := q.look(i, j); listed && ix.exact[key] != nil {
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
func (ix *nameIndex) prefixSpans(q *spanKeys) []spanMatch {
	var out []spanMatch
	toks := q.toks
	// a run's keys are its words' (wordKeys): each word's key is its run of one
	// ("" for a particle)
	var typedBuf [maxSpan]string
	for i := range toks {
		if q.filler(i) {
			continue // no run from a filler is read
		}
		first := i // the run's first word with a key
		for first < len(toks) && q.of(first, first+1) == "" {
			first++
		}
		if first == len(toks) || len(ix.adminByFirst[q.of(first, first+1)]) == 0 {
			continue // no name begins with the run's first word
		}
		for j := i + 2; j <= len(toks) && j-i <= maxSpan; j++ {
			if q.filler(j-1) || q.particle(j-1) {
				continue
			}
			typed := typedBuf[:0]
			for w := i; w < j; w++ {
				if k := q.of(w, w+1); k != "" {
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
	// sig is worked out for the first key that passes the cheaper tests: most do not
	var sig [32]uint8
	sigDone := false
	mask, pairs := maskOf(key), pairMask(key)
	// Only the keys that share one of their first max+1 bytes with key's first max+1
	// (bucketed by their first three: a superset), and so at the end, read in byLen's
	// order.
	lead, tail := leadOf(key, max+1), tailOf(key, max+1)
	var refs []nameRef
	best := max + 1
	var setBuf [16]uint64
	for l := len(key) - max; l <= len(key)+max; l++ {
		kl := ix.keysOfLen(l)
		for w, bitsOf := range kl.candidates(lead, tail, setBuf[:]) {
			for ; bitsOf != 0; bitsOf &= bitsOf - 1 {
				i := w*64 + bits.TrailingZeros64(bitsOf)
				// a key more than max edits away never counts, whatever best is
				bound := min(best, max)
				if bits.OnesCount32(mask^kl.masks[i]) > 2*bound || bits.OnesCount64(pairs&^kl.pairs[i]) > 3*bound {
					continue
				}
				fk := &kl.keys[i]
				if !sigDone {
					sig, sigDone = signature(key), true
				}
				if sigBound(&sig, &fk.sig) > bound {
					continue
				}
				d := norm.Distance(key, fk.key, bound)
				switch {
				case d < best:
					best, refs = d, append(refs[:0], fk.refs...)
				case d == best:
					refs = append(refs, fk.refs...)
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
