package directory

import (
	"fmt"
	"slices"
	"sort"

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
	// generic holds the keys of landmark names that are also common phrases ("la
	// parada"): words inside one of them name no place, not even by a near spelling.
	generic map[string]bool
}

// nameLayer maps name keys to places.
type nameLayer struct {
	exact map[string][]nameRef
	byLen map[int][]fuzzyKey
	// minKey is the shortest key looked up: short village names ("Tía") are everyday
	// words.
	minKey int
}

type fuzzyKey struct {
	key string
	sig [32]uint8
}

type wordsOf struct {
	words []string
	p     *gplace
}

func newNameIndex(g *gazetteer, aliases []alias) (*nameIndex, error) {
	ix := &nameIndex{generic: map[string]bool{}}
	for i := range ix.layers {
		ix.layers[i] = nameLayer{exact: map[string][]nameRef{}, byLen: map[int][]fuzzyKey{}, minKey: 3}
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
			l.byLen[len(k)] = append(l.byLen[len(k)], fuzzyKey{k, signature(k)})
		}
		for _, keys := range l.byLen {
			sort.Slice(keys, func(i, j int) bool { return keys[i].key < keys[j].key })
		}
	}
	sort.Slice(ix.admin, func(i, j int) bool { return ix.admin[i].p.code < ix.admin[j].p.code })
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
	common := g.names.genericSpans(toks)
	var matches []spanMatch
	for i := range g.names.layers {
		l := &g.names.layers[i]
		matches = outside(l.matchSpans(toks, false, nil), common)
		if len(matches) == 0 && i == 0 {
			// The first words of a long name ("Víctor Larco" for Víctor Larco Herrera).
			matches = outside(g.names.prefixSpans(toks), common)
		}
		if len(matches) == 0 || !matches[0].fuzzy {
			// Typos: a longer run of words that nearly names a place beats an exact
			// shorter one inside it ("San Juan de Luriganco"), and may name a province or
			// department; with no exact match at all, the nearest spelling ("Trujilo").
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
			// "Pucallpa" is the capital of Callería: say what was typed, and where.
			pl.Name = r.p.capital
			pl.Region = r.p.name + ", " + r.p.region
		}
		out = append(out, pl)
	}
	return out
}

// genericSpans finds the runs of words that are a common phrase also used as a
// landmark's name ("la parada": a bus stop, or Lima's market).
func (ix *nameIndex) genericSpans(toks []string) []spanMatch {
	var out []spanMatch
	for i := range toks {
		for j := i + 1; j <= len(toks) && j-i <= maxSpan; j++ {
			if ix.generic[norm.Key(toks[i:j])] {
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
func (ix *nameLayer) matchSpans(toks []string, fuzzy bool, exact []spanMatch) []spanMatch {
	var out []spanMatch
	best := 3
	for i := range toks {
		for j := i + 1; j <= len(toks) && j-i <= maxSpan; j++ {
			// A run may not end with a particle; a single filler word ("centro") or, for
			// typos, a run starting or ending with one is not a place.
			last := toks[j-1]
			edgeFiller := fillers[toks[i]] || fillers[last]
			if norm.IsParticle(last) || (edgeFiller && (fuzzy || j-i == 1)) {
				continue
			}
			key := norm.Key(toks[i:j])
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
	for i := range toks {
		for j := i + 2; j <= len(toks) && j-i <= maxSpan; j++ {
			if fillers[toks[i]] || fillers[toks[j-1]] || norm.IsParticle(toks[j-1]) {
				continue
			}
			typed := wordKeys(toks[i:j])
			if len(typed) < 2 {
				continue
			}
			var refs []nameRef
			for _, a := range ix.admin {
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
	var refs []nameRef
	best := max + 1
	for l := len(key) - max; l <= len(key)+max; l++ {
		for i := range ix.byLen[l] {
			fk := &ix.byLen[l][i]
			if sigBound(&sig, &fk.sig) > best {
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
