package directory

import (
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/faro-chat/faro/directory/internal/norm"
)

// sameTexts makes texts to compare Locate with locateBefore: every name of the
// gazetteer (places, capitals, landmarks' other names, aliases) with zero to three
// random edits, alone or among runs of random words, fillers, particles and other
// names' words; the first words of long names; random strings of the letters the phonetic keys treat apart; and long
// texts like the benchmarks'.
func sameTexts(t *testing.T, g *gazetteer, rng *rand.Rand) []string {
	t.Helper()
	aliases, err := readAliases(Embedded())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range g.byCode {
		names = append(names, p.name)
		names = append(names, p.also...)
		if p.capital != "" {
			names = append(names, p.capital)
		}
	}
	for _, a := range aliases {
		names = append(names, a.Name)
	}
	slices.Sort(names)
	names = slices.Compact(names)
	var words []string
	for _, n := range names {
		words = append(words, norm.Tokens(n)...)
	}
	for w := range fillers {
		words = append(words, w)
	}
	for w := range abbreviations {
		words = append(words, w)
	}
	slices.Sort(words) // the same texts every time
	words = append(words, "de", "la", "las", "los", "el", "del", "y", "cercado", "lima", "h", "hh", "ll", "qu", "hu")
	run := func() string {
		var b []string
		for range rng.IntN(4) {
			if rng.IntN(3) == 0 {
				b = append(b, randomWord(rng, 1+rng.IntN(10)))
			} else {
				b = append(b, words[rng.IntN(len(words))])
			}
		}
		return strings.Join(b, " ")
	}
	var texts []string
	for _, n := range names {
		if ws := strings.Fields(n); len(ws) > 2 {
			// the first words of a long name (prefixSpans)
			texts = append(texts, run()+" "+strings.Join(ws[:2+rng.IntN(len(ws)-2)], " "))
		}
		for range 2 {
			typed := n
			for range rng.IntN(4) {
				typed = typo(rng, typed)
			}
			if rng.IntN(2) == 0 {
				typed = run() + " " + typed + " " + run()
			}
			texts = append(texts, typed)
		}
	}
	for range 3000 {
		texts = append(texts, randomText(rng, 1+rng.IntN(60)))
	}
	for range 300 {
		var b []string
		for len(strings.Join(b, " ")) < 4000 {
			b = append(b, randomWord(rng, 6+rng.IntN(5)), run())
		}
		texts = append(texts, strings.Join(b, " "))
	}
	return append(texts, strings.Repeat("en ", 1300), strings.Repeat("estoy en lima ", 290), "", " ", "de la", "h", "ll ll ll")
}

// phoneticLetters are the letters the phonetic key reads in pairs and triples (hu +
// vowel, qu + e/i, c + e/i/h, s + h, ll, doubled letters) with a few others, accents,
// digits and separators.
var phoneticLetters = []string{"a", "e", "i", "o", "u", "h", "q", "c", "s", "l", "ll", "k", "w", "y", "z", "v", "b", "n", "r", "t", "m", "hu", "qu", "ch", "sh", "á", "é", "ñ", "1", " ", " ", " ", "-", "A", "H", "U"}

// randomWord is n random pieces of phoneticLetters, no separator.
func randomWord(rng *rand.Rand, n int) string {
	var b strings.Builder
	for b.Len() < n {
		if p := phoneticLetters[rng.IntN(len(phoneticLetters))]; p != " " && p != "-" {
			b.WriteString(p)
		}
	}
	return b.String()
}

// randomText is n random pieces of phoneticLetters.
func randomText(rng *rand.Rand, n int) string {
	var b strings.Builder
	for range n {
		b.WriteString(phoneticLetters[rng.IntN(len(phoneticLetters))])
	}
	return b.String()
}

// typo makes one random edit to s: a letter (or space) changed, dropped, added, or
// two swapped.
func typo(rng *rand.Rand, s string) string {
	b := []byte(s)
	if len(b) == 0 {
		return s
	}
	const letters = "abcdefghijklmnopqrstuvwxyz hlqu"
	switch i := rng.IntN(len(b)); rng.IntN(4) {
	case 0:
		b[i] = letters[rng.IntN(len(letters))]
	case 1:
		b = append(b[:i], b[i+1:]...)
	case 2:
		b = slices.Insert(b, i, letters[rng.IntN(len(letters))])
	default:
		if i+1 < len(b) {
			b[i], b[i+1] = b[i+1], b[i]
		}
	}
	return string(b)
}

// TestLocateAsBefore: Locate finds what it found before its runs of words were pruned
// by the listed keys and its fuzzy candidates taken from bit sets (locateBefore): the
// same places in the same order, on every name of the gazetteer with typos and among
// other words, on random texts and on long ones.
func TestLocateAsBefore(t *testing.T) {
	d, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	g := d.gaz
	before := newBeforeIndex(g.names)
	rng := rand.New(rand.NewPCG(81, 82))
	texts := sameTexts(t, g, rng)
	found, fuzzy := 0, 0
	for _, text := range texts {
		got, want := g.locate(text), g.locateBefore(before, text)
		if !slices.Equal(got, want) {
			t.Fatalf("Locate(%q) = %v\nbefore %v", text, got, want)
		}
		if len(want) > 0 {
			found++
		}
	}
	for _, k := range sameKeys(g.names, rng) {
		for li := range g.names.layers {
			got, gd := g.names.layers[li].fuzzy(k)
			want, wd := before.layers[li].fuzzy(k)
			if gd != wd || !slices.Equal(got, want) {
				t.Fatalf("layer %d, fuzzy(%q): %d places at %d, before %d at %d", li, k, len(got), gd, len(want), wd)
			}
			if len(want) > 0 {
				fuzzy++
			}
		}
	}
	if found < len(texts)/3 || fuzzy < 5000 {
		t.Fatalf("%d of %d texts found a place, %d fuzzy searches one: the comparison proves little", found, len(texts), fuzzy)
	}
}

// sameKeys are keys to search for near spellings: every listed key with one to three
// edits, and random ones.
func sameKeys(ix *nameIndex, rng *rand.Rand) []string {
	var keys []string
	for _, k := range ix.listed.keys {
		e := typo(rng, k)
		keys = append(keys, e, typo(rng, e), typo(rng, typo(rng, e)))
	}
	for range 3000 {
		keys = append(keys, norm.Phonetic(randomWord(rng, 1+rng.IntN(20))))
	}
	return keys
}

// TestKeyListFind: a key is listed when it is one of the index's exact or generic
// keys, and more is false only when no listed key starts with the key less its last
// byte.
func TestKeyListFind(t *testing.T) {
	d, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	ix := d.gaz.names
	all := map[string]bool{}
	for k := range ix.generic {
		all[k] = true
	}
	for li := range ix.layers {
		for k := range ix.layers[li].exact {
			all[k] = true
		}
	}
	if len(all) != len(ix.listed.keys) {
		t.Fatalf("%d keys listed, %d in the index", len(ix.listed.keys), len(all))
	}
	rng := rand.New(rand.NewPCG(91, 92))
	var tries []string
	for i, k := range slices.Sorted(maps.Keys(all)) {
		if i%3 == 0 {
			tries = append(tries, k, k[:rng.IntN(len(k)+1)], typo(rng, k), k+randomWord(rng, 1))
		}
	}
	for range 3000 {
		tries = append(tries, norm.Phonetic(randomWord(rng, rng.IntN(8))))
	}
	mores := 0
	for _, k := range tries {
		stem := k[:max(len(k)-1, 0)]
		more := false
		for l := range all {
			more = more || strings.HasPrefix(l, stem)
		}
		listed, gotMore := ix.listed.find(k)
		if listed != all[k] || gotMore != more {
			t.Fatalf("find(%q) = %v, %v; want %v, %v", k, listed, gotMore, all[k], more)
		}
		if more {
			mores++
		}
	}
	if mores < len(tries)/4 || mores == len(tries) {
		t.Fatalf("%d of %d keys begin listed ones: the comparison proves little", mores, len(tries))
	}
}

// TestLookPrunesUnlistedRunsOnly: a query's runs of words are listed when their keys
// are, and after a run said to have no more, no longer run from the same word has a
// listed key: on texts of names' words, particles, fillers and random words.
func TestLookPrunesUnlistedRunsOnly(t *testing.T) {
	d, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	ix := d.gaz.names
	rng := rand.New(rand.NewPCG(93, 94))
	texts := sameTexts(t, d.gaz, rng)
	pruned, listed := 0, 0
	for _, text := range texts {
		toks := ix.withoutQuechuaCase(withoutCercado(withoutStreets(queryTokens(text))))
		var q spanKeys
		q.reset(toks, &ix.listed)
		for i := range toks {
			stop := 0 // the length of the run that said no more
			for j := i + 1; j <= len(toks) && j-i <= maxSpan; j++ {
				key := norm.Key(toks[i:j])
				want, _ := ix.listed.find(key)
				got, more := q.look(i, j)
				if got != want || (stop > 0 && (want || more)) {
					t.Fatalf("%q, run %d-%d %q: listed %v more %v, want listed %v (no more after length %d)", toks, i, j, key, got, more, want, stop)
				}
				if !more && stop == 0 {
					stop = j - i
					pruned++
				}
				if want {
					listed++
				}
			}
		}
	}
	if pruned < 1000 || listed < 1000 {
		t.Fatalf("%d runs pruned, %d listed: the comparison proves little", pruned, listed)
	}
}

// TestQueryTokensFitSpanKeys: a query has at most maxQueryTokens words, so that
// spanKeys holds what it knows of every run of words in its arrays.
func TestQueryTokensFitSpanKeys(t *testing.T) {
	for abbr, words := range abbreviations {
		text := strings.Repeat("x ", maxTokens-1) + abbr + " y z"
		if len(words) > 2 || len(queryTokens(text)) > maxQueryTokens {
			t.Fatalf("%q: %d words", text, len(queryTokens(text)))
		}
	}
}
