package flows

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/faro-chat/faro/flows/understand"
	"github.com/faro-chat/faro/locales"
)

// TestScannerFindsWhatTheFullSearchFinds: in long stories made of the corpus's
// messages, with the lists' phrases put in whole, with a typo in one word, with typos
// in two, cut short or said around their words, the scanner's text finds the same
// phrase at the same place, for every list and every rule of where a phrase counts,
// as the text of a search of every token for every word of the lists.
func TestScannerFindsWhatTheFullSearchFinds(t *testing.T) {
	texts, v, lists := dangerVocab(t)
	// the rest of the vocabulary, as the engine has it: words the lists do not have
	v.compile(texts.Raw("es", "cmd.menu") + "|" + texts.Raw("es", "cmd.help") + "|pegar|pagando|matarte")
	s := newScanner(v, lists...)

	var corpus []string
	files, _ := filepath.Glob("understand/corpus/*/*.tsv")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			if parts := strings.Split(line, "\t"); len(parts) >= 3 && !strings.HasPrefix(line, "#") {
				corpus = append(corpus, parts[2])
			}
		}
	}
	var phrases []string
	for _, ws := range lists {
		for _, p := range ws.list {
			phrases = append(phrases, v.String(p))
		}
	}
	if len(corpus) < 1000 || len(phrases) < 300 {
		t.Fatalf("%d messages, %d phrases", len(corpus), len(phrases))
	}
	rng := rand.New(rand.NewPCG(12, 13))
	typo := func(w string) string {
		if len(w) < 2 {
			return w
		}
		return editOf(rng, w)
	}
	found := 0
	for n := range 1500 {
		var b strings.Builder
		for b.Len() < 200+rng.IntN(3000) {
			switch rng.IntN(3) {
			case 0: // a phrase of the lists, perhaps with typos, perhaps cut short
				ws := strings.Fields(phrases[rng.IntN(len(phrases))])
				for k := range rng.IntN(3) {
					_ = k
					j := rng.IntN(len(ws))
					ws[j] = typo(ws[j])
				}
				if len(ws) > 1 && rng.IntN(4) == 0 {
					ws = ws[:len(ws)-1]
				}
				b.WriteString(strings.Join(ws, " "))
			default:
				b.WriteString(corpus[rng.IntN(len(corpus))])
			}
			b.WriteString(" ")
		}
		tokens := tokensOf(understand.NormalizeN(b.String(), understand.MaxScanRunes))
		full := v.analyze(tokens) // every token, every word
		// half the time, what was read as the message is searched fully first
		var prior *text
		if n%2 == 0 {
			head := tokens[:rng.IntN(len(tokens)+1)]
			prior = v.analyze(head)
		}
		got := s.analyze(tokens, prior)
		// without the typos: the same phrases said exactly (the read of a long story asks
		// for the typos only when there is none)
		exactOnly := s.textInto(nil, tokens, prior, s.exactInto(nil, tokens, prior), false)
		negated := make([]bool, len(tokens))
		for i := range negated {
			negated[i] = rng.IntN(5) == 0
		}
		rules := []func(start, n int) bool{
			func(int, int) bool { return true },
			func(start, _ int) bool { return !negated[start] },
		}
		for li, ws := range lists {
			for _, exact := range []bool{true, false} {
				for ri, ok := range rules {
					p1, ok1 := full.findContained(ws, exact, ok)
					p2, ok2 := got.findContained(ws, exact, ok)
					if ok1 != ok2 || v.String(p1) != v.String(p2) {
						t.Fatalf("list %d, exact %v, rule %d: full search finds %v %q, the scanner %v %q in\n%s", li, exact, ri, ok1, v.String(p1), ok2, v.String(p2), strings.Join(tokens, " "))
					}
					if exact {
						if p3, ok3 := exactOnly.findContained(ws, exact, ok); ok3 != ok1 || v.String(p3) != v.String(p1) {
							t.Fatalf("list %d, rule %d: full search finds %v %q, the scanner without typos %v %q in\n%s", li, ri, ok1, v.String(p1), ok3, v.String(p3), strings.Join(tokens, " "))
						}
					}
					if ok1 {
						found++
					}
				}
			}
			if naive := slices.ContainsFunc(ws.list, full.contains); naive != full.anyContained(ws) {
				t.Fatalf("list %d: anyContained %v, each phrase at each place %v, in\n%s", li, !naive, naive, strings.Join(tokens, " "))
			}
			if full.anyContained(ws) != got.anyContained(ws) || full.anyEquals(ws) != got.anyEquals(ws) {
				t.Fatalf("list %d: anyContained or anyEquals differ in\n%s", li, strings.Join(tokens, " "))
			}
		}
	}
	t.Logf("%d phrases found", found)
	if found < 5000 {
		t.Fatalf("only %d phrases found: the comparison proves little", found)
	}
}

// TestPartTyposAreTheBucketsTypos: a part's search by bit sets finds, for every
// token, the same typos as the search of its buckets: for the words of the lists with
// one, two and three edits, and random letters.
func TestPartTyposAreTheBucketsTypos(t *testing.T) {
	_, v, lists := dangerVocab(t)
	p := v.part(lists...) // every word of the lists: some lengths have more than 64
	rng := rand.New(rand.NewPCG(3, 4))
	edit := func(w string) string { return editOf(rng, w) }
	var toks []string
	for _, w := range v.words {
		toks = append(toks, w.s)
		for range 4 {
			toks = append(toks, edit(w.s), edit(edit(w.s)), edit(edit(edit(w.s))))
		}
	}
	toks = append(toks, randomWords(rng, 20000)...)
	ids := func(hs []hit) []hit {
		slices.SortFunc(hs, func(a, b hit) int { return int(a.id - b.id) })
		return hs
	}
	found := 0
	for _, tok := range toks {
		want := ids(v.typos(nil, tok, p.byStart, p.letters))
		got := ids(p.typos(v, nil, tok))
		if !slices.Equal(got, want) {
			t.Fatalf("%q: bit sets find %v, buckets %v", tok, got, want)
		}
		found += len(want)
	}
	if found < 2000 {
		t.Fatalf("only %d typos found: the comparison proves little", found)
	}
}

// TestSealedAnalyzeIsTheBucketsAnalyze: once sealed, the vocabulary's analysis (typos
// searched by bit sets, then put in the buckets' order) gives every token the same
// hits, in the same order, as the search of the buckets: for a vocabulary of every
// entry of every locale, on its words with up to three edits and on random letters.
func TestSealedAnalyzeIsTheBucketsAnalyze(t *testing.T) {
	v := localesVocab(t, nil)
	sealed := *v
	sealed.seal()
	if v.whole != nil || sealed.whole == nil {
		t.Fatal("seal did not seal a copy alone")
	}
	rng := rand.New(rand.NewPCG(5, 6))
	edit := func(w string) string { return editOf(rng, w) }
	var toks []string
	for _, w := range v.words {
		toks = append(toks, w.s, edit(w.s), edit(edit(w.s)), edit(edit(edit(w.s))))
	}
	toks = append(toks, randomWords(rng, 5000)...)
	rng.Shuffle(len(toks), func(i, j int) { toks[i], toks[j] = toks[j], toks[i] })
	many := 0
	for i := 0; i < len(toks); i += 40 {
		text := toks[i:min(i+40, len(toks))]
		want, got := v.analyze(text), sealed.analyze(text)
		if !slices.Equal(got.hits, want.hits) || !slices.Equal(got.from, want.from) {
			t.Fatalf("in %q:\nsealed  %v\nbuckets %v", text, got.hits, want.hits)
		}
		for j := range text {
			if want.from[j+1]-want.from[j] > 2 {
				many++
			}
		}
	}
	if len(v.words) < 1000 || many < 200 {
		t.Fatalf("%d words, %d tokens with more than two hits: the comparison proves little", len(v.words), many)
	}
}

// TestAnalyzeLooksRepeatsUpOnce: in a long text (its repeated words looked up once, in
// the table for a message's start or the map past it), each token has the hits it has
// alone.
func TestAnalyzeLooksRepeatsUpOnce(t *testing.T) {
	v := localesVocab(t, []string{"es"})
	v.seal()
	rng := rand.New(rand.NewPCG(8, 9))
	pool := []string{"a", "ayuda", "ayda", "policia", "polisia", "me", "pegan", "pegandp", "derechos", "derexhos", "zzz", "1"}
	for _, w := range v.words {
		pool = append(pool, w.s)
	}
	for _, n := range []int{10, 40, 250, 300, 800} {
		tokens := make([]string, n)
		for i := range tokens {
			tokens[i] = pool[rng.IntN(len(pool))]
		}
		got := v.analyze(tokens)
		for i, tok := range tokens {
			alone := v.analyze([]string{tok})
			if !slices.Equal(got.hits[got.from[i]:got.from[i+1]], alone.hits) {
				t.Fatalf("%d tokens: %q at %d has %v, alone %v", n, tok, i, got.hits[got.from[i]:got.from[i+1]], alone.hits)
			}
		}
	}
}

// TestScratchForgetsTheWords: the arrays a Step gives back to the pool hold none of the
// message's words.
func TestScratchForgetsTheWords(t *testing.T) {
	sc := new(scratch)
	sc.tokens = tokensInto(sc.tokens, "me llamo canarioxyz y estoy en lima")
	sc.scanTokens, _ = scanTokensInto(sc.scanTokens, strings.Repeat("canarioxyz ", 900))
	v := newVocab()
	v.compile("canarioxyz")
	v.analyzeInto(&sc.text, sc.tokens)
	newScanner(v, v.compile("canarioxyz")).analyzeInto(&sc.scan, sc.scanTokens, &sc.text)
	tokens, scanTokens := sc.tokens[:cap(sc.tokens)], sc.scanTokens[:cap(sc.scanTokens)]
	sc.release()
	for _, toks := range [][]string{tokens, scanTokens} {
		for i, w := range toks {
			if w != "" {
				t.Fatalf("word %d of %d left in the pool: %q", i, len(toks), w)
			}
		}
	}
	if sc.text.tokens != nil || sc.scan.tokens != nil {
		t.Fatal("the texts still hold the words")
	}
}

// TestListLangInOneReading: the language of the lists' phrases said, found in one
// reading of the lists of every language, is the one found by reading each language's
// lists in turn, in texts of their phrases (with typos, in any language) and the
// corpus's messages.
func TestListLangInOneReading(t *testing.T) {
	texts, err := locales.Default()
	if err != nil {
		t.Fatal(err)
	}
	langs := texts.Langs()
	e := &Engine{vocab: newVocab(), langs: langs, emergency: map[string]words{}, crisisByLang: map[string]words{},
		aloneByLang: map[string]words{}, phraseLangs: map[string]uint64{}}
	var phrases []string
	for i, l := range langs {
		e.emergency[l] = e.vocab.compile(texts.Raw(l, KeyCmdEmergency))
		e.crisisByLang[l] = e.vocab.compile(texts.Raw(l, KeyCmdCrisis))
		e.aloneByLang[l] = e.vocab.compile(texts.Raw(l, KeyCmdAlone))
		e.emergencyAll = e.emergencyAll.join(e.emergency[l])
		e.crisis = e.crisis.join(e.crisisByLang[l])
		for _, ws := range []words{e.emergency[l], e.crisisByLang[l]} {
			for _, p := range ws.list {
				e.phraseLangs[string(p.bytes())] |= 1 << i
				phrases = append(phrases, e.vocab.String(p))
			}
		}
	}
	e.vocab.seal()
	e.crisis, e.emergencyAll = e.crisis.dense(), e.emergencyAll.dense()
	each := func(tx *text) string { // listLang as it was
		for _, l := range langs {
			if slices.ContainsFunc(e.emergency[l].list, tx.contains) || slices.ContainsFunc(e.crisisByLang[l].list, tx.contains) || tx.anyEquals(e.aloneByLang[l]) {
				return l
			}
		}
		return ""
	}
	rng := rand.New(rand.NewPCG(41, 42))
	said := map[string]int{}
	for range 3000 {
		var b strings.Builder
		for range 1 + rng.IntN(4) {
			p := []byte(phrases[rng.IntN(len(phrases))])
			if rng.IntN(2) == 0 {
				p[rng.IntN(len(p))] = 'x'
			}
			b.Write(p)
			b.WriteString(" y luego ")
		}
		if rng.IntN(5) == 0 {
			b.Reset()
			b.WriteString(phrases[rng.IntN(len(phrases))])
		}
		tx := e.vocab.analyze(tokensOf(understand.NormalizeN(b.String(), understand.MaxScanRunes)))
		want := each(tx)
		if got := e.listLang(tx); got != want {
			t.Fatalf("%q: %q, each language in turn %q", b.String(), got, want)
		}
		said[want]++
	}
	if len(said) < 3 {
		t.Fatalf("only the languages %v found: the comparison proves little", said)
	}
}

// editOf returns w with one random edit: a letter changed, dropped, added, or swapped
// with the next.
func editOf(rng *rand.Rand, w string) string {
	const letters = "abcdefghijklmnopqrstuvwxyz"
	b := []byte(w)
	if len(b) == 0 {
		return w
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

// randomWords returns n words of 3 to 14 random letters.
func randomWords(rng *rand.Rand, n int) []string {
	words := make([]string, n)
	for k := range words {
		b := make([]byte, 3+rng.IntN(12))
		for i := range b {
			b[i] = byte('a' + rng.IntN(26))
		}
		words[k] = string(b)
	}
	return words
}

// dangerVocab is a vocabulary of the danger, self-harm and alone lists of every
// language, and the lists.
func dangerVocab(t *testing.T) (*locales.Catalog, *vocab, []words) {
	t.Helper()
	texts, err := locales.Default()
	if err != nil {
		t.Fatal(err)
	}
	v := newVocab()
	var lists []words
	for _, l := range texts.Langs() {
		for _, key := range []string{KeyCmdEmergency, KeyCmdCrisis, KeyCmdAlone} {
			lists = append(lists, v.compile(texts.Raw(l, key)))
		}
	}
	return texts, v, lists
}

// localesVocab is a vocabulary of every entry of the locales of langs (nil: all).
func localesVocab(t *testing.T, langs []string) *vocab {
	t.Helper()
	texts, err := locales.Default()
	if err != nil {
		t.Fatal(err)
	}
	if langs == nil {
		langs = texts.Langs()
	}
	v := newVocab()
	for _, l := range langs {
		for _, key := range texts.Keys(l) {
			v.compile(strings.ReplaceAll(texts.Raw(l, key), "\n", "|"))
		}
	}
	return v
}

// TestScannerFindsEveryPhraseInFloods: in floods of a few words said again and again
// (words of the lists, their typos, words of two-word phrases in other pairs), the
// scanner finds every phrase of the lists at every place the full search finds it,
// with and without typos: what it keeps of a token said again (its tests against a
// word, its typos among a pair's words) is that token's, beside that word.
func TestScannerFindsEveryPhraseInFloods(t *testing.T) {
	_, v, lists := dangerVocab(t)
	v.compile("pegar|pagando|matarte|gracias|hola")
	s := newScanner(v, lists...)
	var words []string
	for _, ws := range lists {
		for _, p := range ws.list {
			words = append(words, strings.Fields(v.String(p))...)
		}
	}
	// the words said before many others in two-word phrases ("me"), and those others
	var heads []int32
	for id, after := range s.after {
		if len(after) > fewAround {
			heads = append(heads, int32(id))
		}
	}
	if len(heads) < 2 {
		t.Fatalf("only %d words begin more than %d two-word phrases", len(heads), fewAround)
	}
	rng := rand.New(rand.NewPCG(71, 72))
	found := 0
	for n := range 600 {
		unit := make([]string, 2+rng.IntN(4))
		for i := range unit {
			w := words[rng.IntN(len(words))]
			if rng.IntN(2) == 0 {
				w = editOf(rng, w)
			}
			unit[i] = w
		}
		if n%2 == 0 {
			// one typo said after two such words: a typo of what follows the first
			x, y := heads[rng.IntN(len(heads))], heads[rng.IntN(len(heads))]
			after := s.after[x]
			typo := editOf(rng, v.words[after[rng.IntN(len(after))]].s)
			unit = []string{v.words[x].s, typo, v.words[y].s, typo}
		}
		var tokens []string
		for len(tokens) < 200 {
			tokens = append(tokens, unit...)
			if rng.IntN(3) == 0 { // the unit beside other words
				tokens = append(tokens, words[rng.IntN(len(words))])
			}
		}
		full, got := v.analyze(tokens), s.analyze(tokens, nil)
		type at struct {
			p     string
			start int
		}
		for _, ws := range lists {
			for _, exact := range []bool{true, false} {
				var want, have []at
				full.eachContained(ws, exact, func(p phrase, start int) bool {
					want = append(want, at{v.String(p), start})
					return false
				})
				got.eachContained(ws, exact, func(p phrase, start int) bool {
					have = append(have, at{v.String(p), start})
					return false
				})
				if !slices.Equal(want, have) {
					t.Fatalf("exact %v: the full search finds %v, the scanner %v, in\n%s", exact, want, have, strings.Join(tokens, " "))
				}
				found += len(want)
			}
		}
	}
	if found < 2000 {
		t.Fatalf("only %d phrases found", found)
	}
}

// TestTypoLengthsAreTypoLength: the range of lengths worked out once for a word of the
// lists is the lengths of the tokens that may be its typo, as the search had them: the
// word has 5 bytes or more and a limit, and the lengths differ by no more than 2 and
// than its limit; for every word of the lists.
func TestTypoLengthsAreTypoLength(t *testing.T) {
	_, v, _ := dangerVocab(t)
	some := 0
	for id := range v.words {
		w := &v.words[id]
		lo, hi := v.typoLengths(int32(id))
		for n := range 40 {
			l := len(w.s)
			want := w.limit > 0 && l >= max(n-2, 5) && l <= n+2 && abs(n-l) <= w.limit
			if got := n >= lo && n <= hi; got != want || v.typoLength(n, int32(id)) != want {
				t.Fatalf("%q, a token of %d bytes: typoLengths %d-%d says %v, want %v", w.s, n, lo, hi, got, want)
			}
		}
		if lo <= hi {
			some++
		}
	}
	if some < 100 {
		t.Fatalf("only %d words have typos by length", some)
	}
}
