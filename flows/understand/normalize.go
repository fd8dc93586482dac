// Package understand reads what a person typed: normalization, negation scope, the
// language of the text, intent scores from a linear model trained on the labeled corpus
// in corpus/, and slots (a name, a place, a number). It is pure: no I/O, no clock.
package understand

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaxInputRunes bounds how much of a message is matched against options and topics:
// nobody picks an option in the 501st character, and it keeps huge messages cheap.
const MaxInputRunes = 500

// MaxScanRunes bounds how much of a message is searched for words of danger: a long
// story may end with "auxilio". Telegram's own limit is 4,096.
const MaxScanRunes = 4096

// Normalize turns typed text into the form matching works on: lower case, no accents,
// letters and digits only, single spaces, a letter repeated three or more times
// ("auxiliooo") shortened to one, keycap digits ("1️⃣") made plain and the SOS emoji
// and a few emoji that answer by themselves (👍, 🙏, 👋, ⬅️) made words.
func Normalize(s string) string { return NormalizeN(s, MaxInputRunes) }

// NormalizeN is Normalize of the first limit runes of s.
func NormalizeN(s string, limit int) string {
	if isPlainASCII(s) {
		return squeeze(normalizeASCII(s, limit))
	}
	if t, ok := latinToASCII(s, limit); ok {
		return squeeze(normalizeASCII(t, limit))
	}
	if len(s) > limit*4 {
		s = s[:limit*4]
	}
	var b strings.Builder
	b.Grow(len(s))
	space := true // suppresses leading and repeated spaces
	n := 0
	var it norm.Iter
	it.InitString(norm.NFD, s)
	for !it.Done() && n < limit {
		seg := it.Next()
		for len(seg) > 0 {
			r, size := utf8.DecodeRune(seg)
			seg = seg[size:]
			n++
			switch {
			case emojiWords[r] != "":
				if !space {
					b.WriteByte(' ')
				}
				b.WriteString(emojiWords[r])
				b.WriteByte(' ')
				space = true
			case unicode.Is(unicode.Mn, r) || r == 0xFE0F || r == 0x20E3:
				// combining accents, emoji variation selector, keycap: dropped
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
	}
	return squeeze(strings.TrimRight(b.String(), " "))
}

// emojiWords are emoji that people send as a whole answer, and the word they mean.
var emojiWords = map[rune]string{
	'🆘': "sos",
	'👍': "ok", '👌': "ok", '✅': "ok", '✔': "ok",
	'👎': "no", '❌': "no",
	'🙏': "gracias",
	'👋': "hola",
	'⬅': "atras", '🔙': "atras",
	'🏠': "menu",
}

// latinLetters are the accented letters of Spanish and Portuguese and their bases.
var latinLetters = map[rune]byte{
	'á': 'a', 'é': 'e', 'í': 'i', 'ó': 'o', 'ú': 'u', 'ü': 'u', 'ñ': 'n', 'à': 'a', 'â': 'a',
	'ã': 'a', 'ê': 'e', 'ô': 'o', 'õ': 'o', 'ç': 'c', 'Á': 'a', 'É': 'e', 'Í': 'i', 'Ó': 'o',
	'Ú': 'u', 'Ü': 'u', 'Ñ': 'n', 'À': 'a', 'Â': 'a', 'Ã': 'a', 'Ê': 'e', 'Ô': 'o', 'Õ': 'o',
	'Ç': 'c', '¿': ' ', '¡': ' ', '«': ' ', '»': ' ', '“': ' ', '”': ' ', '‘': ' ', '’': ' ', '–': ' ', '—': ' ',
}

// latinToASCII spells text whose only non-ASCII runes are Spanish and Portuguese
// letters and punctuation in ASCII, the common case: no Unicode decomposition needed.
// It reports false for any other rune (emoji, other scripts), left to the full path.
func latinToASCII(s string, limit int) (string, bool) {
	if len(s) > limit*2 {
		s = s[:limit*2]
	}
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if r < utf8.RuneSelf {
			b = append(b, byte(r))
			continue
		}
		c, ok := latinLetters[r]
		if !ok {
			return "", false
		}
		b = append(b, c)
	}
	return string(b), true
}

func isPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// normalizeASCII is Normalize's first pass for plain ASCII text, the common case.
func normalizeASCII(s string, limit int) string {
	if len(s) > limit {
		s = s[:limit]
	}
	b := make([]byte, 0, len(s))
	space := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if ('a' <= c && c <= 'z') || ('0' <= c && c <= '9') {
			b = append(b, c)
			space = false
		} else if !space {
			b = append(b, ' ')
			space = true
		}
	}
	for len(b) > 0 && b[len(b)-1] == ' ' {
		b = b[:len(b)-1]
	}
	return string(b)
}

// squeeze shortens every run of three or more equal letters to one letter ("ayudaaa" →
// "ayuda", "socorrooo" → "socorro") and keeps pairs ("rr", "ll"). Digits are kept as
// they are. It allocates only when there is something to shorten.
func squeeze(s string) string {
	if !hasLongRun(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		j := i + size
		count := 1
		for j < len(s) {
			r2, size2 := utf8.DecodeRuneInString(s[j:])
			if r2 != r {
				break
			}
			j += size2
			count++
		}
		if count >= 3 && unicode.IsLetter(r) {
			b.WriteRune(r)
		} else {
			b.WriteString(s[i:j])
		}
		i = j
	}
	return b.String()
}

func hasLongRun(s string) bool {
	var prev, prev2 rune = -1, -2
	for _, r := range s {
		if r == prev && r == prev2 && unicode.IsLetter(r) {
			return true
		}
		prev2, prev = prev, r
	}
	return false
}

// Tokens splits normalized text into words.
func Tokens(norm string) []string {
	if norm == "" {
		return nil
	}
	return strings.Split(norm, " ")
}
