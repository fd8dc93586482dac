package directory

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/faro-chat/faro/directory/internal/norm"
)

// TestFuzzyReadsTheKeysThatMayBeNear: the search for near names among the keys that
// share one of their first bytes finds what reading every key of the lengths found
// (the same places in the same order, at the same distance), for every name of every
// layer with one, two and three edits, and random keys.
func TestFuzzyReadsTheKeysThatMayBeNear(t *testing.T) {
	d, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(51, 52))
	const letters = "abcdefghijklmnopqrstuvwxyz"
	edit := func(k string) string {
		b := []byte(k)
		if len(b) == 0 {
			return k
		}
		switch i := rng.IntN(len(b)); rng.IntN(4) {
		case 0:
			b[i] = letters[rng.IntN(26)]
		case 1:
			b = append(b[:i], b[i+1:]...)
		case 2:
			b = append(b[:i], append([]byte{letters[rng.IntN(26)]}, b[i:]...)...)
		default:
			if i+1 < len(b) {
				b[i], b[i+1] = b[i+1], b[i]
			}
		}
		return string(b)
	}
	found := 0
	for li := range d.gaz.names.layers {
		l := &d.gaz.names.layers[li]
		var keys []string
		for _, kl := range l.byLen {
			for _, fk := range kl.keys {
				keys = append(keys, fk.key)
			}
		}
		slices.Sort(keys)
		var tries []string
		for _, k := range keys[:min(len(keys), 3000)] {
			tries = append(tries, k, edit(k), edit(edit(k)), edit(edit(edit(k))))
		}
		for range 2000 {
			b := make([]byte, 4+rng.IntN(14))
			for i := range b {
				b[i] = letters[rng.IntN(26)]
			}
			tries = append(tries, string(b))
		}
		for _, key := range tries {
			got, gd := l.fuzzy(key)
			want, wd := l.fuzzyEveryKey(key)
			if gd != wd || !slices.Equal(got, want) {
				t.Fatalf("layer %d, %q: %d places at %d, every key %d at %d", li, key, len(got), gd, len(want), wd)
			}
			found += len(want)
		}
	}
	if found < 5000 {
		t.Fatalf("only %d places found: the comparison proves little", found)
	}
}

// fuzzyEveryKey is fuzzy as it was: every key of the lengths read.
func (ix *nameLayer) fuzzyEveryKey(key string) ([]nameRef, int) {
	max := 1
	if len(key) > 8 {
		max = 2
	}
	sig := signature(key)
	var refs []nameRef
	best := max + 1
	for l := len(key) - max; l <= len(key)+max; l++ {
		keys := ix.keysOfLen(l).keys
		for i := range keys {
			fk := &keys[i]
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

// TestPrefixSpansByFirstWord: the runs of words that begin the name of a province or
// district, found through the names' first words, are those found by comparing every
// run with every name: in texts of the names' words, particles and fillers.
func TestPrefixSpansByFirstWord(t *testing.T) {
	d, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	ix := d.gaz.names
	var words []string
	var long [][]string // names of three words or more, whose starts are runs to find
	for _, a := range ix.admin {
		toks := norm.Tokens(a.p.name)
		words = append(words, toks...)
		if len(toks) >= 3 {
			long = append(long, toks)
		}
	}
	words = append(words, "de", "la", "el", "centro", "mercado", "lima", "x")
	rng := rand.New(rand.NewPCG(61, 62))
	found := 0
	for range 3000 {
		toks := make([]string, 1+rng.IntN(maxTokens))
		for i := range toks {
			toks[i] = words[rng.IntN(len(words))]
		}
		if name := long[rng.IntN(len(long))]; rng.IntN(4) > 0 {
			start := name[:2+rng.IntN(len(name)-2)] // the start of a longer name
			at := rng.IntN(len(toks))
			toks = append(toks[:at], append(slices.Clone(start), toks[at:]...)...)
			toks = toks[:min(len(toks), maxTokens)]
		}
		var q spanKeys
		q.reset(toks, &ix.listed)
		got, want := ix.prefixSpans(&q), ix.prefixSpansEveryName(toks)
		if len(got) != len(want) {
			t.Fatalf("%q: %d runs, every name %d", toks, len(got), len(want))
		}
		for k := range got {
			if got[k].i != want[k].i || got[k].j != want[k].j || !slices.Equal(got[k].refs, want[k].refs) {
				t.Fatalf("%q: run %d differs", toks, k)
			}
		}
		found += len(want)
	}
	if found < 500 {
		t.Fatalf("only %d runs found: the comparison proves little", found)
	}
}

// prefixSpansEveryName is prefixSpans as it was: every run against every name.
func (ix *nameIndex) prefixSpansEveryName(toks []string) []spanMatch {
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

// TestSpanKeysAreTheKeys: the keys of a text's runs, appended to one array, are the
// keys norm.Key gives, in any order asked, however many (the array grows).
func TestSpanKeysAreTheKeys(t *testing.T) {
	words := []string{"san", "juan", "de", "lurigancho", "la", "victoria", "chorrillos", "huancayo", "quillabamba", "cercado", "lima", "x", "hh", "ate", "ica", "arequipa", "ancon", "nazca", "olmos"}
	rng := rand.New(rand.NewPCG(71, 72))
	for range 500 {
		toks := make([]string, 1+rng.IntN(maxTokens))
		for i := range toks {
			toks[i] = words[rng.IntN(len(words))]
		}
		var keys spanKeys
		keys.reset(toks, &keyList{})
		keys.arena = make([]byte, 0, rng.IntN(64)) // small: it grows
		for range 3 {
			for i := range toks {
				for j := i + 1; j <= len(toks) && j-i <= maxSpan; j++ {
					if got, want := keys.of(i, j), norm.Key(toks[i:j]); got != want {
						t.Fatalf("%q: %q, norm.Key %q", toks[i:j], got, want)
					}
				}
			}
		}
	}
}

// TestSigBoundIsTheCountsApart: sigBound, eight counts at a time, is half (rounded up)
// the sum of how far apart the counts are, one by one: for random signatures of
// small counts, of counts near 127 and 128, and of counts that wrapped (up to 255).
func TestSigBoundIsTheCountsApart(t *testing.T) {
	rng := rand.New(rand.NewPCG(91, 92))
	for n := range 200000 {
		var a, b [32]uint8
		top := []int{4, 130, 256}[n%3]
		for i := range a {
			a[i], b[i] = uint8(rng.IntN(top)), uint8(rng.IntN(top))
		}
		d := 0
		for i := range a {
			d += max(int(a[i]), int(b[i])) - min(int(a[i]), int(b[i]))
		}
		if got := sigBound(&a, &b); got != (d+1)/2 {
			t.Fatalf("sigBound(%v, %v) = %d, want %d", a, b, got, (d+1)/2)
		}
	}
}
