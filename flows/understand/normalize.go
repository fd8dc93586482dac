// Package understand reads what a person typed: normalization, negation scope, the
// language of the text, intent scores from a linear model trained on the labeled corpus
// in corpus/, and slots (a name, a place, a number). It is pure: no I/O, no clock.
package understand

import (
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
	"unsafe"

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
		return normalizeASCII(s, limit)
	}
	if t, ok := normalizeLatin(s, limit); ok {
		return t
	}
	if len(s) > limit*4 {
		s = s[:limit*4]
	}
	s = capAccents(s)
	if t, ok := normalizeSimple(s, limit); ok {
		return t
	}
	return normalizeDecomposed(s, limit)
}

// maxAccentRun is how many combining accents in a row capAccents keeps. No language
// stacks more than a few on one letter; "Zalgo" text stacks dozens, which would send it
// down the slow decomposing path for nothing (they are all dropped).
const maxAccentRun = 8

// capAccents returns s with runs of more than maxAccentRun combining accents (the
// blocks U+0300–036F, U+1DC0–1DFF and U+FE20–FE2F, all nonspacing marks, which
// Normalize drops) cut to maxAccentRun. The letters are the same; only more of them
// fit within the limit, which counts the accents too. s itself when there is no such
// run.
func capAccents(s string) string {
	// only the runes that begin with the blocks' first bytes are read; an accent
	// continues the run when it begins where the last one ended
	run, cut, end := 0, -1, -1
	for i := 0; i < len(s); {
		if !accentLead[s[i]] {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if stackedAccent(r) {
			if i != end {
				run = 0
			}
			if run++; run > maxAccentRun {
				cut = i
				break
			}
			end = i + size
		}
		i += size
	}
	if cut < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:cut])
	run = maxAccentRun + 1
	for _, r := range s[cut:] {
		if !stackedAccent(r) {
			run = 0
		} else if run++; run > maxAccentRun {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// accentLead are the first bytes of the runes of the blocks capAccents cuts.
var accentLead = func() (t [256]bool) {
	for _, c := range []byte{0xCC, 0xCD, 0xE1, 0xEF} {
		t[c] = true
	}
	return t
}()

// stackedAccent tells a rune of the blocks capAccents cuts.
func stackedAccent(r rune) bool {
	return r >= 0x300 && r <= 0x36F || r >= 0x1DC0 && r <= 0x1DFF || r >= 0xFE20 && r <= 0xFE2F
}

// normalizeDecomposed is NormalizeN of any text, through its decomposition (NFD).
func normalizeDecomposed(s string, limit int) string {
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
			space = normalizeRune(&b, r, space)
		}
	}
	return squeeze(strings.TrimRight(b.String(), " "))
}

// normalizeRune writes one rune of the decomposed text (NFD) as Normalize does and
// returns whether the text now ends with a space (or is empty).
func normalizeRune(b *strings.Builder, r rune, space bool) bool {
	if r >= minEmojiWord {
		if w := emojiWord(r); w != "" {
			if !space {
				b.WriteByte(' ')
			}
			b.WriteString(w)
			b.WriteByte(' ')
			return true
		}
	}
	switch {
	case unicode.Is(unicode.Mn, r) || r == 0xFE0F || r == 0x20E3:
		// combining accents, emoji variation selector, keycap: dropped
		return space
	case unicode.IsLetter(r) || unicode.IsDigit(r):
		b.WriteRune(unicode.ToLower(r))
		return false
	default:
		if !space {
			b.WriteByte(' ')
		}
		return true
	}
}

// normalizeSimple is NormalizeN's decomposing path without the decomposition, for text
// (already cut to limit*4 bytes) whose segments of the decomposed text it can tell
// apart without it: each begins with a rune the decomposition leaves as it is (emoji,
// most scripts' letters), or with one that decomposes into such a rune and combining
// accents (an accented letter), and goes on with fewer than 30 combining accents (Mn)
// in all. The decomposing path reads the same runes, in the same segments (it checks
// the limit before each), and drops the accents. normalizeSimple reports false for any
// other text (a rune cut by the limit, Hangul, marks that are not accents, a long run
// of accents...), left to the decomposing path (TestNormalizeSimpleIsDecomposed).
func normalizeSimple(s string, limit int) (string, bool) {
	simpleOnce.Do(initSimpleRunes)
	var b strings.Builder
	b.Grow(len(s))
	space := true
	n := 0
	marks := 0    // the accents of the segment so far
	lastCCC := -1 // the combining class of the last rune (-1: none yet)
	var buf [utf8.UTFMax]byte
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if n >= limit {
				break
			}
			n++
			i++
			marks, lastCCC = 0, 0
			// normalizeRune of an ASCII rune: a letter or digit lower-cased, else a space
			if f := asciiFold[c]; f != 0 {
				b.WriteByte(f)
				space = false
			} else if !space {
				b.WriteByte(' ')
				space = true
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			// a byte that is not UTF-8: a segment of its own, read as U+FFFD (a space)
			if n >= limit {
				break
			}
			n++
			i++
			marks, lastCCC = 0, 0
			if !space {
				b.WriteByte(' ')
				space = true
			}
			continue
		}
		if r > maxSimpleRune {
			return "", false
		}
		info := simpleRunes[r]
		if seg := info & segMask; n >= limit && (seg == segSimple || seg == segDecomposed) {
			break // a new segment
		}
		i += size
		switch info & segMask {
		case segSimple:
			n++
			marks, lastCCC = 0, 0
			switch info & kindMask {
			case simpleDropped:
			case simpleLower:
				b.WriteRune(r)
				space = false
			case simpleSpace:
				if !space {
					b.WriteByte(' ')
					space = true
				}
			default:
				space = normalizeRune(&b, r, space)
			}
		case segDecomposed:
			if uint32(r-latinLow) < uint32(len(latinTrail)) && latinTrail[r-latinLow] != 0 {
				// the common case: a Latin letter and one accent, from the tables
				lastCCC = int(latinTrail[r-latinLow])
				n += 2
				marks = 1
				b.WriteByte(latinTable[r-latinLow])
				space = false
				continue
			}
			p := norm.NFD.Properties(buf[:utf8.EncodeRune(buf[:], r)])
			lastCCC = int(p.TrailCCC())
			d := p.Decomposition()
			base, size := utf8.DecodeRune(d)
			marks = utf8.RuneCount(d[size:])
			n += 1 + marks
			space = normalizeRune(&b, base, space)
		case segMark:
			// An accent of a lower class than the one before it has the decomposition
			// reorder the segment, after which it counts accents on into the next
			// segments: left to it, as is a long run of accents, where it cuts the run,
			// or accents with nothing before them.
			ccc := int(norm.NFD.PropertiesString(s[i-size : i]).CCC())
			if ccc < lastCCC || lastCCC < 0 {
				return "", false
			}
			lastCCC = ccc
			n++
			if marks++; marks >= 30 {
				return "", false
			}
		default:
			return "", false
		}
	}
	return squeeze(strings.TrimRight(b.String(), " ")), true
}

// maxSimpleRune bounds the runes simpleRunes knows.
const maxSimpleRune = 0x1FFFF

var (
	simpleOnce sync.Once
	// simpleRunes says, for each rune, which segment of the decomposed text (NFD) it
	// begins or goes on (segMask), and what normalizeRune does with it (kindMask).
	simpleRunes []uint8
	// latinTrail is, for each letter of latinTable that decomposes into an ASCII
	// letter and one accent, the accent's combining class (0 for the others)
	latinTrail [len(latinTable)]uint8
)

// Segments of the decomposed text, by the rune that begins or goes on one.
const (
	// segSimple: a rune the decomposition leaves as it is, with no canonical combining
	// class, that begins a segment
	segSimple uint8 = (1 + iota) << 4
	// segDecomposed: a rune that begins a segment and decomposes into a segSimple rune
	// (or ASCII) and accents
	segDecomposed
	// segMark: an accent (Mn) with a combining class, that the decomposition leaves as
	// it is: it goes on the segment
	segMark
	segMask uint8 = 3 << 4
)

// What normalizeRune does with a rune.
const (
	simpleOther   uint8 = 1 + iota // ask normalizeRune (an emoji word, a letter to lower)
	simpleDropped                  // nothing
	simpleLower                    // writes it as it is: a lower-case letter or a digit
	simpleSpace                    // a space, unless there is one
	kindMask      uint8 = 7
)

func initSimpleRunes() {
	simpleRunes = make([]uint8, maxSimpleRune+1)
	var buf [utf8.UTFMax]byte
	props := func(r rune) norm.Properties { return norm.NFD.Properties(buf[:utf8.EncodeRune(buf[:], r)]) }
	simple := func(p norm.Properties) bool {
		return p.Decomposition() == nil && p.CCC() == 0 && p.LeadCCC() == 0 && p.TrailCCC() == 0 && p.BoundaryBefore()
	}
	for r := rune(0x80); r <= maxSimpleRune; r++ {
		if !utf8.ValidRune(r) || joined(r) {
			continue
		}
		switch {
		case r >= minEmojiWord && emojiWords[r] != "":
			simpleRunes[r] = simpleOther
		case unicode.Is(unicode.Mn, r) || r == 0xFE0F || r == 0x20E3:
			simpleRunes[r] = simpleDropped
		case (unicode.IsLetter(r) || unicode.IsDigit(r)) && unicode.ToLower(r) == r:
			simpleRunes[r] = simpleLower
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			simpleRunes[r] = simpleOther
		default:
			simpleRunes[r] = simpleSpace
		}
		p := props(r)
		switch d := p.Decomposition(); {
		case simple(p):
			simpleRunes[r] |= segSimple
		case d == nil && p.CCC() != 0 && p.LeadCCC() == p.CCC() && p.TrailCCC() == p.CCC() && unicode.Is(unicode.Mn, r):
			simpleRunes[r] |= segMark
		case d != nil && p.CCC() == 0 && p.LeadCCC() == 0 && p.BoundaryBefore() && accented(d):
			simpleRunes[r] |= segDecomposed
			if c := latinByte(r); uint32(r-latinLow) < uint32(len(latinTrail)) && c >= 'a' && c <= 'z' && d[0] < utf8.RuneSelf && utf8.RuneCount(d) == 2 && p.TrailCCC() != 0 {
				latinTrail[r-latinLow] = p.TrailCCC()
			}
		}
	}
}

// accented tells whether a decomposition is a rune left as it is and accents.
func accented(d []byte) bool {
	base, size := utf8.DecodeRune(d)
	if base >= utf8.RuneSelf && (base > maxSimpleRune || joined(base)) {
		return false
	}
	var buf [utf8.UTFMax]byte
	if p := norm.NFD.Properties(buf[:utf8.EncodeRune(buf[:], base)]); p.Decomposition() != nil || p.CCC() != 0 || !p.BoundaryBefore() {
		return false
	}
	if size == len(d) {
		return false
	}
	for _, m := range string(d[size:]) {
		p := norm.NFD.Properties(buf[:utf8.EncodeRune(buf[:], m)])
		if p.CCC() == 0 || p.Decomposition() != nil || !unicode.Is(unicode.Mn, m) {
			return false
		}
	}
	return true
}

// joined tells whether r is of a Hangul block, which the decomposition splits and
// joins apart from the rest, or a halfwidth katakana sound mark, which it joins to the
// rune before (TestSimpleRunesAreTheirOwnSegment finds any other).
func joined(r rune) bool {
	return (r >= 0x1100 && r <= 0x11FF) || (r >= 0x3130 && r <= 0x318F) || (r >= 0xA960 && r <= 0xA97F) ||
		(r >= 0xAC00 && r <= 0xD7FF) || (r >= 0xFFA0 && r <= 0xFFDC) || r == 0xFF9E || r == 0xFF9F
}

func isSimpleRune(r rune) bool {
	return r <= maxSimpleRune && simpleRunes[r]&segMask == segSimple
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

// emojiWordList is emojiWords as a list: a dozen runes are found faster by reading
// them than by hashing.
var emojiWordList = func() []emojiWordOf {
	var l []emojiWordOf
	for r, w := range emojiWords {
		l = append(l, emojiWordOf{r, w})
	}
	return l
}()

type emojiWordOf struct {
	r rune
	w string
}

// emojiWord is the word of an emoji of emojiWords, or "".
func emojiWord(r rune) string {
	for _, e := range emojiWordList {
		if e.r == r {
			return e.w
		}
	}
	return ""
}

// minEmojiWord is the least rune of emojiWords.
var minEmojiWord = func() rune {
	least := rune(utf8.MaxRune)
	for r := range emojiWords {
		least = min(least, r)
	}
	return least
}()

// latinLetters are the accented letters of Spanish and Portuguese and their bases.
var latinLetters = map[rune]byte{
	'á': 'a', 'é': 'e', 'í': 'i', 'ó': 'o', 'ú': 'u', 'ü': 'u', 'ñ': 'n', 'à': 'a', 'â': 'a',
	'ã': 'a', 'ê': 'e', 'ô': 'o', 'õ': 'o', 'ç': 'c', 'Á': 'a', 'É': 'e', 'Í': 'i', 'Ó': 'o',
	'Ú': 'u', 'Ü': 'u', 'Ñ': 'n', 'À': 'a', 'Â': 'a', 'Ã': 'a', 'Ê': 'e', 'Ô': 'o', 'Õ': 'o',
	'Ç': 'c', '¿': ' ', '¡': ' ', '«': ' ', '»': ' ', '“': ' ', '”': ' ', '‘': ' ', '’': ' ', '–': ' ', '—': ' ',
}

// normalizeLatin is Normalize for text whose only non-ASCII runes are Spanish and
// Portuguese letters and punctuation (latinByte), the common case after plain ASCII: no
// Unicode decomposition needed, one pass. It reports false for any other rune (emoji,
// other scripts) within the limit, left to the full path, before it allocates.
func normalizeLatin(s string, limit int) (string, bool) {
	// written on the stack, and copied once done: a text refused allocates nothing
	var buf [MaxScanRunes]byte
	b := buf[:0]
	f := folder{space: true}
	n := 0
	for i := 0; i < len(s) && n < limit; n++ {
		if c := s[i]; c < utf8.RuneSelf {
			b = f.put(b, asciiFold[c])
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		c := latinByte(r)
		if c == 0 {
			return "", false
		}
		b = f.put(b, asciiFold[c])
		i += size
	}
	return string(trimSpace(b)), true
}

// latinByte is latinLetters[r], or 0, looked up in a table.
func latinByte(r rune) byte {
	switch {
	case r < latinLow+rune(len(latinTable)) && r >= latinLow:
		return latinTable[r-latinLow]
	case r < latinHigh+rune(len(latinTable2)) && r >= latinHigh:
		return latinTable2[r-latinHigh]
	}
	return 0
}

// latinTable and latinTable2 hold latinLetters: the Latin-1 letters and punctuation,
// and the dashes and quotation marks.
const latinLow, latinHigh = 0x80, 0x2010

var latinTable, latinTable2 = func() (low [0x180]byte, high [0x10]byte) {
	for r, c := range latinLetters {
		switch {
		case r >= latinLow && r < latinLow+rune(len(low)):
			low[r-latinLow] = c
		case r >= latinHigh && r < latinHigh+rune(len(high)):
			high[r-latinHigh] = c
		default:
			panic(fmt.Sprintf("understand: %U is outside the tables of latinLetters", r))
		}
	}
	return low, high
}()

func isPlainASCII(s string) bool {
	i := 0
	for ; i+8 <= len(s); i += 8 { // eight bytes at a time
		if (uint64(s[i])|uint64(s[i+1])<<8|uint64(s[i+2])<<16|uint64(s[i+3])<<24|
			uint64(s[i+4])<<32|uint64(s[i+5])<<40|uint64(s[i+6])<<48|uint64(s[i+7])<<56)&0x8080808080808080 != 0 {
			return false
		}
	}
	for ; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// normalizeASCII is Normalize for plain ASCII text, the common case, in one pass: a
// run of three or more equal letters is shortened to one as it is written (squeeze).
func normalizeASCII(s string, limit int) string {
	if len(s) > limit {
		s = s[:limit]
	}
	b := make([]byte, 0, len(s))
	f := folder{space: true}
	for i := 0; i < len(s); i++ {
		b = f.put(b, asciiFold[s[i]])
	}
	if b = trimSpace(b); len(b) == 0 {
		return ""
	}
	// b is not written again: the string shares its bytes, as strings.Builder's does
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// folder appends the bytes asciiFold gives as Normalize writes them: letters and
// digits, one space for each run of anything else, a run of three or more equal
// letters shortened to one (squeeze).
type folder struct {
	space bool // the text is empty or ends with a space
	last  byte // the last letter written (0: a digit or a space)
	run   int  // how many times it is repeated in a row
}

// put appends c, a letter, a digit or 0 for anything else, to b.
func (f *folder) put(b []byte, c byte) []byte {
	if c >= 'a' {
		if c != f.last {
			f.last, f.run = c, 0
		}
		if f.run++; f.run <= 2 {
			b = append(b, c)
		} else if f.run == 3 {
			b = b[:len(b)-1] // a run of three or more is one letter
		}
		f.space = false
		return b
	}
	if c == 0 { // a space, unless there is one
		if f.space {
			return b
		}
		c = ' '
	}
	f.space, f.last = c == ' ', 0
	return append(b, c)
}

// trimSpace returns b without a space at the end.
func trimSpace(b []byte) []byte {
	for len(b) > 0 && b[len(b)-1] == ' ' {
		b = b[:len(b)-1]
	}
	return b
}

// asciiFold is, for each byte, the lower-case letter or the digit it is, or 0.
var asciiFold = func() (t [256]byte) {
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = byte(c), byte(c)
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = byte(c)
	}
	return t
}()

// squeeze shortens every run of three or more equal letters to one letter ("ayudaaa" →
// "ayuda", "socorrooo" → "socorro") and keeps pairs ("rr", "ll"). Digits are kept as
// they are. It allocates only when there is something to shorten.
func squeeze(s string) string {
	if !hasLongRun(s) {
		return s
	}
	if isPlainASCII(s) {
		return squeezeASCII(s)
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

// squeezeASCII is squeeze of ASCII text: each run of three or more equal letters is
// found by its first three bytes, and the text between runs copied whole.
func squeezeASCII(s string) string {
	b := make([]byte, 0, len(s))
	copied := 0 // s[:copied] is in b
	for i := 0; i+2 < len(s); i++ {
		c := s[i]
		if s[i+1] != c || s[i+2] != c || !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			continue
		}
		j := i + 3
		for j < len(s) && s[j] == c {
			j++
		}
		b = append(b, s[copied:i+1]...) // one letter of the run
		copied, i = j, j-1
	}
	b = append(b, s[copied:]...)
	// b is not written again: the string shares its bytes, as strings.Builder's does
	return unsafe.String(unsafe.SliceData(b), len(b))
}

func hasLongRun(s string) bool {
	// ASCII, the common case: byte by byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return hasLongRunRunes(s)
		}
		if i >= 2 && c == s[i-1] && c == s[i-2] && ('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return true
		}
	}
	return false
}

func hasLongRunRunes(s string) bool {
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
