package norm

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Accents restores the accents of words written in capitals without them ("JESUS MARIA"
// -> "Jesús María"). It learns from text that has them (see Learn).
type Accents struct {
	counts map[string]map[string]int // folded word -> spelling (lower case) -> count
}

// NewAccents returns an empty dictionary.
func NewAccents() *Accents { return &Accents{counts: map[string]map[string]int{}} }

// Learn counts the spellings of the words of s, a text with correct accents (for example
// "San Jerónimo"). Words in capitals are skipped: capitals often drop accents.
func (a *Accents) Learn(s string) {
	for _, w := range strings.FieldsFunc(s, isSep) {
		if strings.ToUpper(w) == w && strings.ToLower(w) != w {
			continue
		}
		lw := strings.ToLower(w)
		f := Fold(lw)
		if f == "" || strings.Contains(f, " ") {
			continue
		}
		m := a.counts[f]
		if m == nil {
			m = map[string]int{}
			a.counts[f] = m
		}
		m[lw]++
	}
}

// Spell returns the most frequent learned spelling of a lower-case word (ties broken
// alphabetically), or the word itself when none was learned.
func (a *Accents) Spell(lw string) string {
	best, bestN := lw, 0
	for s, n := range a.counts[Fold(lw)] {
		if n > bestN || (n == bestN && s < best) {
			best, bestN = s, n
		}
	}
	return best
}

func isSep(r rune) bool { return r == ' ' || r == '-' || r == '(' || r == ')' || r == ',' || r == '/' }

// smallWords stay in lower case inside a title; articles only after a preposition
// ("Carmen de la Legua" but "Villa El Salvador").
var (
	smallWords   = map[string]bool{"de": true, "del": true, "y": true, "e": true, "en": true, "a": true}
	articles     = map[string]bool{"la": true, "las": true, "los": true, "el": true}
	prepositions = map[string]bool{"de": true, "del": true, "en": true, "a": true, "y": true}
)

// Title writes a name in title case ("SAN JUAN DE LURIGANCHO" -> "San Juan de
// Lurigancho"), restoring accents with acc when it is not nil. Words that look like
// Roman numerals or acronyms given in keep stay in capitals.
func Title(s string, acc *Accents, keep map[string]bool) string {
	var b strings.Builder
	first := true
	prev := ""
	word := func(w string) {
		if w == "" {
			return
		}
		up := strings.ToUpper(w)
		switch {
		case keep[up], isRoman(up):
			b.WriteString(up)
		default:
			lw := strings.ToLower(w)
			if acc != nil {
				lw = acc.Spell(lw)
			}
			if !first && (smallWords[lw] || (articles[lw] && prepositions[prev])) {
				b.WriteString(lw)
			} else {
				r, n := utf8.DecodeRuneInString(lw)
				b.WriteRune(unicode.ToUpper(r))
				b.WriteString(lw[n:])
			}
		}
		first = false
		prev = strings.ToLower(w)
	}
	start := 0
	for i, r := range s {
		if isSep(r) || r == '.' || r == '"' || r == '\'' {
			word(s[start:i])
			b.WriteRune(r)
			start = i + utf8.RuneLen(r)
		}
	}
	word(s[start:])
	return strings.Join(strings.Fields(b.String()), " ")
}

func isRoman(w string) bool {
	switch w {
	case "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X":
		return true
	}
	return false
}
