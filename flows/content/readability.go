package content

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode"

	"github.com/faro-chat/faro/locales"
)

// Plain-language thresholds. A message helps only if someone scared, tired, or who
// reads with difficulty understands it at once.
const (
	// MinFernandezHuerta is the lowest Fernández-Huerta score of a Spanish message:
	// 70 is "bastante fácil" (fairly easy) on its scale.
	MinFernandezHuerta = 70
	// MinFleschPT is the lowest score of a Portuguese message on Flesch adapted to
	// Portuguese (Martins et al. 1996). It is MinFernandezHuerta carried over: a text
	// whose words and sentences are just long enough to score 70 on Fernández-Huerta
	// (about 2.1 syllables a word at 10 words a sentence, 2.0 at 15) scores 60 to 62
	// on Flesch–Martins, whose syllable weight is higher (84.6 against 60). 62 is the
	// stricter end.
	MinFleschPT = 62
	// MaxSentenceWords is the longest sentence, in words, in any language.
	MaxSentenceWords = 25
	// MinScoredWords is the fewest words a text needs for its readability score to
	// mean anything. Under it the text is a label («Enviar», «Escribe un mensaje»,
	// «Escribiendo…»): the formulas were fitted on passages of about 100 words, and
	// with one to three words, and no short function words to balance a long one,
	// they measure nothing but the syllables of one or two words («Escribiendo…»
	// scores −34.2, «Escribe un mensaje» 63.8). Labels still count against
	// MaxSentenceWords.
	MinScoredWords = 4
)

// Readability is the measure of one text.
type Readability struct {
	Words, Sentences, Syllables int
	// Score is Fernández-Huerta for Spanish, Flesch–Martins for Portuguese; 0 when
	// the language has no formula here (Scored is false).
	Score  float64
	Scored bool
	// Longest is the longest sentence and LongestWords its length in words.
	Longest      string
	LongestWords int
}

// FernandezHuerta is the Fernández-Huerta (1959) readability of Spanish text, as
// corrected by Law (2011, "Revisiting the Fernández Huerta formula"):
// 206.84 − 60·ASW − 1.02·ASL, with ASW syllables per word and ASL words per sentence.
// (The formula is often printed as 206.84 − 0.60·P − 1.02·F with F "sentences per
// 100 words", which rewards long sentences; Flesch's original, which Fernández Huerta
// adapted, and tools such as textstat use words per sentence.)
func FernandezHuerta(words, sentences, syllables int) float64 {
	if words == 0 || sentences == 0 {
		return 0
	}
	return 206.84 - 60*float64(syllables)/float64(words) - 1.02*float64(words)/float64(sentences)
}

// FleschPT is Flesch adapted to Portuguese by Martins et al. (1996):
// 248.835 − 1.015·ASL − 84.6·ASW, with ASL words per sentence and ASW syllables per
// word.
func FleschPT(words, sentences, syllables int) float64 {
	if words == 0 || sentences == 0 {
		return 0
	}
	return 248.835 - 1.015*float64(words)/float64(sentences) - 84.6*float64(syllables)/float64(words)
}

// sentenceEnd splits a text into sentences: at . ! ? … followed by a space or the end,
// and at every line break (a bullet or a numbered step is a sentence of its own).
var sentenceEnd = regexp.MustCompile(`[.!?…]+["»”)]*(\s+|$)|\n+`)

// Sentences splits text into its sentences, without empty ones.
func Sentences(text string) []string {
	var out []string
	for _, s := range sentenceEnd.Split(text, -1) {
		if len(Words(s)) > 0 {
			out = append(out, strings.TrimSpace(s))
		}
	}
	return out
}

// Words lists the words of text that have letters: numbers ("100", "24"), emoji and
// symbols are left out of every count, since they are read at a glance.
func Words(text string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(text, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' && r != '’' && r != '-'
	}) {
		f = strings.Trim(f, "'’-")
		if strings.IndexFunc(f, unicode.IsLetter) >= 0 {
			out = append(out, f)
		}
	}
	return out
}

// Measure measures text in lang ("es", "pt"; other languages get word and sentence
// counts only).
func Measure(text, lang string) Readability {
	var r Readability
	for _, s := range Sentences(text) {
		ws := Words(s)
		r.Sentences++
		r.Words += len(ws)
		for _, w := range ws {
			r.Syllables += Syllables(w, lang)
		}
		if len(ws) > r.LongestWords {
			r.LongestWords, r.Longest = len(ws), s
		}
	}
	switch lang {
	case "es":
		r.Score, r.Scored = FernandezHuerta(r.Words, r.Sentences, r.Syllables), true
	case "pt":
		r.Score, r.Scored = FleschPT(r.Words, r.Sentences, r.Syllables), true
	}
	return r
}

// Syllables counts the syllables of one Spanish or Portuguese word from its vowels: a
// run of vowels is one syllable, split in two where two strong vowels (a, e, o, and
// the accented ones) meet or where an accented i or u (í, ú) breaks a diphthong
// ("pa-ís", "dí-a"); the u of que, qui, gue, gui is silent; a final y after a vowel
// is part of a diphthong ("hoy", "muy") and a lone y is a syllable. In Portuguese
// the nasal diphthongs ão, ãe, õe are one syllable. Every word has at least one.
func Syllables(word, lang string) int {
	rs := []rune(strings.ToLower(word))
	n := 0
	prev := rune(0) // the previous vowel in the current run, 0 outside a run
	for i, r := range rs {
		if r == 'u' && i > 0 && (rs[i-1] == 'q' || rs[i-1] == 'g') && i+1 < len(rs) && strings.ContainsRune("eéêiíî", rs[i+1]) {
			continue // silent u: que, guitarra (not güe, which has ü)
		}
		if r == 'y' {
			switch {
			case len(rs) == 1:
				return 1
			case i == len(rs)-1 && prev != 0:
				continue // hoy, muy, rey: y closes the diphthong
			}
			prev = 0
			continue
		}
		if !isVowel(r) {
			prev = 0
			continue
		}
		switch {
		case prev == 0:
			n++
		case lang == "pt" && nasalDiphthong(prev, r):
		case isStrong(prev) && isStrong(r), r == 'í' || r == 'ú', prev == 'í' || prev == 'ú':
			n++ // hiatus
		case (prev == 'i' && r == 'i') || (prev == 'u' && r == 'u'):
			n++ // leer-like doubling of weak vowels: chiita
		}
		prev = r
	}
	if n == 0 {
		return 1
	}
	return n
}

func isVowel(r rune) bool { return strings.ContainsRune("aeiouáéíóúàâêôãõü", r) }

// isStrong tells the open vowels, and the accented ones, which make a hiatus together.
func isStrong(r rune) bool { return strings.ContainsRune("aeoáéóàâêôãõ", r) }

func nasalDiphthong(a, b rune) bool {
	return (a == 'ã' && (b == 'o' || b == 'e')) || (a == 'õ' && b == 'e')
}

// measured says which keys are messages to measure: not word lists, labels, card
// fragments or the lines written in another language than the catalog's.
func measured(lang, key string) bool {
	for _, p := range []string{"cmd.", "answer.", "card.", "button.", "nav.", "language.name.", "language.alias.", "language.words.", "language.short.", "opt."} {
		if strings.HasPrefix(key, p) {
			return false
		}
	}
	if strings.HasPrefix(key, "language.welcome.") {
		return false // a language's name and the word to write: no sentence to measure
	}
	for _, p := range []string{"language.offer.", "language.notice."} {
		if l, ok := strings.CutPrefix(key, p); ok {
			return l == lang
		}
	}
	if strings.Contains(key, ".opt.") {
		return false
	}
	switch key {
	case "erase.confirm", "erase.cancel", "check.yes", "check.no", "more.intro",
		"services.ask.item": // a place's name and its card's fields: a card fragment
		return false
	}
	return true
}

// Scored is one message's readability, for the report of the worst.
type Scored struct {
	Lang, Key string
	Readability
}

// PlainLanguage measures every message of every locale: Spanish against
// MinFernandezHuerta, Portuguese against MinFleschPT (texts of MinScoredWords words or
// more: shorter ones are labels), and every sentence, in any language, against
// MaxSentenceWords. It returns the problems and, per language, the
// messages sorted from the hardest to read (lowest score; for languages without a
// formula, longest sentence first).
func PlainLanguage(c *locales.Catalog) ([]Problem, map[string][]Scored) {
	return plainLanguageIn(c, "locales/", nil)
}

// plainLanguageIn is PlainLanguage of a catalog in folder dir ("locales/flyer/"), for
// the keys keep keeps (nil: all).
func plainLanguageIn(c *locales.Catalog, dir string, keep func(string) bool) ([]Problem, map[string][]Scored) {
	var ps []Problem
	worst := map[string][]Scored{}
	for _, l := range c.All() {
		min := 0.0
		switch l {
		case "es":
			min = MinFernandezHuerta
		case "pt":
			min = MinFleschPT
		}
		for _, k := range c.Keys(l) {
			if !measured(l, k) || (keep != nil && !keep(k)) {
				continue
			}
			text, err := c.Render(l, k, sampleData)
			if err != nil {
				continue // Texts reports it
			}
			m := Measure(text, l)
			if m.Words == 0 {
				continue
			}
			where := dir + l + ".toml key " + k
			if m.Words < MinScoredWords {
				m.Score, m.Scored = 0, false // a label: no score (see MinScoredWords)
			} else {
				worst[l] = append(worst[l], Scored{l, k, m})
			}
			if m.Scored && m.Score < min {
				ps = append(ps, Problem{Error, where, fmt.Sprintf("readability %.1f, under %.0f (%s): use shorter sentences and shorter words",
					m.Score, min, formulaName(l))})
			}
			if m.LongestWords > MaxSentenceWords {
				ps = append(ps, Problem{Error, where, fmt.Sprintf("a sentence of %d words, at most %d: %q", m.LongestWords, MaxSentenceWords, m.Longest)})
			}
		}
		sort.SliceStable(worst[l], func(i, j int) bool {
			a, b := worst[l][i], worst[l][j]
			if a.Scored && a.Score != b.Score {
				return a.Score < b.Score
			}
			return a.LongestWords > b.LongestWords
		})
	}
	return ps, worst
}

func formulaName(lang string) string {
	if lang == "pt" {
		return "Flesch adapted to Portuguese, Martins et al. 1996"
	}
	return "Fernández-Huerta"
}
