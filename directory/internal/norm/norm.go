// Package norm folds place names and user text into comparable keys: lower case, no
// accents, no punctuation, with the spelling variants of Peruvian Spanish and Quechua
// place names ("Cuzco"/"Cusco", "Huaraz"/"Waraz", "Callao"/"Cayao") made equal.
package norm

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Fold lowercases s, removes accents (ñ becomes n) and turns every run of characters that
// are not letters or digits into one space. The result has no leading or trailing space.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := true // suppress leading spaces
	if !isASCII(s) {
		s = norm.NFD.String(s)
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

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// Tokens returns the words of Fold(s).
func Tokens(s string) []string {
	if isASCII(s) {
		return asciiTokens(s)
	}
	return strings.Fields(Fold(s))
}

// asciiTokens is Tokens of an ASCII text, without Fold's rune by rune work: the
// runs of letters and digits, in lower case (a run already in lower case is not
// copied). Like strings.Fields, it returns an empty slice, not nil, for no word.
func asciiTokens(s string) []string {
	n := 0
	for i := 0; i < len(s); i++ {
		if isWordByte(s[i]) && (i == 0 || !isWordByte(s[i-1])) {
			n++
		}
	}
	out := make([]string, 0, n)
	for i := 0; i < len(s); {
		for i < len(s) && !isWordByte(s[i]) {
			i++
		}
		start, upper := i, false
		for ; i < len(s) && isWordByte(s[i]); i++ {
			upper = upper || 'A' <= s[i] && s[i] <= 'Z'
		}
		switch {
		case i == start:
		case upper:
			out = append(out, strings.ToLower(s[start:i]))
		default:
			out = append(out, s[start:i])
		}
	}
	return out
}

// isWordByte reports whether an ASCII byte is a letter or a digit: what Fold keeps.
func isWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// particles are the small words of place names that people often leave out
// ("San Juan Lurigancho", "Agustino").
var particles = map[string]bool{"de": true, "del": true, "la": true, "las": true, "los": true, "el": true, "y": true}

// IsParticle reports whether a folded token is a particle that keys ignore.
func IsParticle(tok string) bool { return particles[tok] }

// Key returns the comparison key of a list of folded tokens: particles dropped, words
// joined without spaces, and spelling variants reduced by Phonetic.
func Key(tokens []string) string {
	var b strings.Builder
	for _, t := range tokens {
		if particles[t] {
			continue
		}
		b.WriteString(t)
	}
	return Phonetic(b.String())
}

// AppendKey appends Key(tokens) to dst.
func AppendKey(dst []byte, tokens []string) []byte {
	var buf [128]byte
	joined := buf[:0]
	for _, t := range tokens {
		if !particles[t] {
			joined = append(joined, t...)
		}
	}
	return AppendPhonetic(dst, joined)
}

// KeyOf is Key(Tokens(s)).
func KeyOf(s string) string { return Key(Tokens(s)) }

// Phonetic reduces a folded, space-free string to a key where letters that sound alike in
// Peruvian Spanish are equal: b/v, s/z/soft c, k/qu/hard c, y/ll/i, silent h, "hua"/"wa",
// and doubled letters. Digits are kept.
func Phonetic(s string) string { return string(AppendPhonetic(make([]byte, 0, len(s)), s)) }

// AppendPhonetic appends Phonetic(s) to dst. What it writes for a byte depends on
// the next two bytes at most, and only the last byte written can change when more
// text follows: the key of s followed by anything starts with the key of s less its
// last byte. Locate relies on it (see TestLongerTextKeyStartsAlike).
func AppendPhonetic[S string | []byte](dst []byte, s S) []byte {
	out, start := dst, len(dst)
	n := len(s)
	for i := 0; i < n; i++ {
		c := s[i]
		next := byte(0)
		if i+1 < n {
			next = s[i+1]
		}
		var w byte
		switch c {
		case 'h':
			if next == 'u' && i+2 < n && isVowel(s[i+2]) && s[i+2] != 'u' {
				w = 'w' // hua, hue, hui -> wa, we, wi
				i++
				break
			}
			continue // silent h (ch and sh are handled at c and s)
		case 'c':
			switch next {
			case 'h':
				w = 'C' // ch
				i++
			case 'e', 'i':
				w = 's'
			default:
				w = 'k'
			}
		case 's':
			if next == 'h' {
				w = 'S' // sh, Quechua
				i++
			} else {
				w = 's'
			}
		case 'q':
			w = 'k'
			if next == 'u' && i+2 < n && (s[i+2] == 'e' || s[i+2] == 'i') {
				i++ // qu before e/i: the u is silent
			}
		case 'z':
			w = 's'
		case 'v':
			w = 'b'
		case 'y':
			w = 'i'
		case 'l':
			if next == 'l' {
				w = 'i' // ll sounds like y
				i++
			} else {
				w = 'l'
			}
		case 'w':
			w = 'w'
		default:
			w = c
		}
		if len(out) > start && out[len(out)-1] == w {
			continue // doubled letters
		}
		out = append(out, w)
	}
	return out
}

func isVowel(c byte) bool {
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'
}
