package understand

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// segments splits s as the decomposing path reads it.
func segments(s string) []string {
	var out []string
	var it norm.Iter
	it.InitString(norm.NFD, s)
	for !it.Done() {
		out = append(out, string(it.Next()))
	}
	return out
}

// TestSimpleRunesAreTheirOwnSegment: every rune normalizeSimple reads as it is is, in
// the decomposition, a segment of its own, whatever comes before or after it; every
// accented letter it reads is its base letter and one dropped accent.
func TestSimpleRunesAreTheirOwnSegment(t *testing.T) {
	simpleOnce.Do(initSimpleRunes)
	count := 0
	for r := rune(0x80); r <= maxSimpleRune; r++ {
		if !isSimpleRune(r) {
			continue
		}
		count++
		for _, around := range [][2]string{{"a", "a"}, {"á", "é"}, {"🙏", "🙏"}, {"\u0301", "b"}} {
			want := []string{norm.NFD.String(around[0]), string(r), norm.NFD.String(around[1])}
			if got := segments(around[0] + string(r) + around[1]); !slices.Equal(got, want) {
				t.Fatalf("%U between %q and %q: segments %q, want %q", r, around[0], around[1], got, want)
			}
		}
	}
	if count < 50000 {
		t.Fatalf("only %d simple runes", count)
	}
	for r, base := range latinLetters {
		if base == ' ' {
			if !isSimpleRune(r) {
				t.Errorf("%q is not a simple rune", r)
			}
			continue
		}
		d := []rune(norm.NFD.String(string(r)))
		if len(d) != 2 || byte(unicode.ToLower(d[0])) != base || !unicode.Is(unicode.Mn, d[1]) {
			t.Errorf("%q decomposes into %q, not %q and an accent", r, string(d), base)
		}
		if got := segments("a" + string(r) + "b"); !slices.Equal(got, []string{"a", string(d), "b"}) {
			t.Errorf("%q: segments %q", r, got)
		}
	}
}

// TestNormalizeSimpleIsDecomposed: for random texts of ASCII, accented letters,
// emoji, keycaps, other scripts and combining marks, of every length around the
// limits, normalizeSimple (when it answers) gives what the decomposing path gives.
func TestNormalizeSimpleIsDecomposed(t *testing.T) {
	alphabet := []rune("abcxyzABC 0123 .,!?¿¡«»“”–—áéíóúñÁÉÑüçãõâêô🙏🆘👍✅❌⬅🔙🏠😂😭\u200d\ufe0f\u20e3\u0301\u0303\u0323\u0302\u05b4\u0f71\U0001D165ЖжПйЙάΈΐệỆǖ中文字ا\u064eअक\u093e\u094d한글ᄀ\uFF9E\U0001F1F5\U0001F1EA\U000E0067\U00020000\uFFFD\x00\t\n")
	rng := rand.New(rand.NewPCG(8, 9))
	simple := 0
	for i := range 6000 {
		var b strings.Builder
		n := rng.IntN(40)
		if i%4 == 0 {
			n = rng.IntN(5000)
		}
		// some texts only of what the fast path reads
		pick := alphabet
		if i%2 == 0 {
			pick = slices.DeleteFunc(slices.Clone(alphabet), func(r rune) bool {
				return r == '\u0f71' || r == '\U0001D165' || r == 'ᄀ' || r == '한' || r == '글' || r == '\uFF9E' || r == '\U000E0067' || r == '\U00020000'
			})
		}
		for range n {
			r := pick[rng.IntN(len(pick))]
			b.WriteRune(r)
			if rng.IntN(8) == 0 { // a run of accents, long or short
				for range rng.IntN(40) {
					b.WriteRune([]rune("\u0301\u0303\u0323\u0302\u064e")[rng.IntN(5)])
				}
			}
		}
		s := b.String()
		if i%7 == 0 && len(s) > 3 {
			s = s[:len(s)-1] // perhaps a rune cut
		}
		if i%3 == 0 && len(s) > 0 {
			// bytes that are not UTF-8, alone, after a letter or before accents
			for range 1 + rng.IntN(6) {
				at := rng.IntN(len(s) + 1)
				s = s[:at] + []string{"\xff", "\xe2\x82", "\xc3", "\x80\x80", "\xf0\x9f\x99"}[rng.IntN(5)] + s[at:]
			}
		}
		for _, limit := range []int{MaxInputRunes, MaxScanRunes, 1 + rng.IntN(60)} {
			cut := s
			if len(cut) > limit*4 {
				cut = cut[:limit*4]
			}
			got, ok := normalizeSimple(cut, limit)
			if !ok {
				continue
			}
			simple++
			if want := normalizeDecomposed(cut, limit); got != want {
				t.Fatalf("limit %d, %+q:\n simple      %q\n decomposed %q", limit, cut, got, want)
			}
		}
	}
	if simple < 2000 {
		t.Fatalf("the fast path answered only %d times", simple)
	}
}

// TestLatinTables: the tables say what latinLetters says, for every rune they cover.
func TestLatinTables(t *testing.T) {
	for r := rune(0x80); r < 0x2100; r++ {
		if got, want := latinByte(r), latinLetters[r]; got != want {
			t.Fatalf("%U: table %q, latinLetters %q", r, got, want)
		}
	}
}

// TestHasLongRunASCII: byte by byte, ASCII text has a run where rune by rune it has.
func TestHasLongRunASCII(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 11))
	for range 20000 {
		b := make([]byte, rng.IntN(12))
		for i := range b {
			b[i] = "aAbB1 .zZ"[rng.IntN(9)]
		}
		if got, want := hasLongRun(string(b)), hasLongRunRunes(string(b)); got != want {
			t.Fatalf("%q: %v, rune by rune %v", b, got, want)
		}
	}
}

// TestSimpleRunesKind: what the table says to do with each simple rune is what
// normalizeRune does, after a space and after a letter.
func TestSimpleRunesKind(t *testing.T) {
	simpleOnce.Do(initSimpleRunes)
	for r := rune(0x80); r <= maxSimpleRune; r++ {
		if !isSimpleRune(r) {
			continue
		}
		for _, space := range []bool{true, false} {
			var want strings.Builder
			wantSpace := normalizeRune(&want, r, space)
			var got string
			gotSpace := space
			switch simpleRunes[r] & kindMask {
			case simpleOther:
				continue
			case simpleDropped:
			case simpleLower:
				got, gotSpace = string(r), false
			case simpleSpace:
				if !space {
					got = " "
				}
				gotSpace = true
			}
			if got != want.String() || gotSpace != wantSpace {
				t.Fatalf("%U (after a space %v): table writes %q, normalizeRune %q", r, space, got, want.String())
			}
		}
	}
}

// TestSqueezeASCII: byte by byte, ASCII text is squeezed as rune by rune.
func TestSqueezeASCII(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 15))
	for range 20000 {
		b := make([]byte, rng.IntN(16))
		for i := range b {
			b[i] = "aAbB1 .zZ"[rng.IntN(9)]
		}
		if got, want := squeeze(string(b)), squeezeRunes(string(b)); got != want {
			t.Fatalf("%q: %q, rune by rune %q", b, got, want)
		}
	}
}

// squeezeRunes is squeeze rune by rune, as it was.
func squeezeRunes(s string) string {
	if !hasLongRunRunes(s) {
		return s
	}
	var b strings.Builder
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

// FuzzNormalizeSimple: whenever normalizeSimple answers, it gives what the decomposing
// path gives.
func FuzzNormalizeSimple(f *testing.F) {
	for _, s := range []string{"hola", "ñáé 🙏", "ΐ\u064e\u0323 ά", "a\u0301\u0301", "नमस्ते", "\uff9e1", "Ệ\u0302\u0323"} {
		f.Add(s, uint16(55))
	}
	f.Fuzz(func(t *testing.T, s string, limit uint16) {
		l := 1 + int(limit)%MaxScanRunes
		if len(s) > l*4 {
			s = s[:l*4]
		}
		if got, ok := normalizeSimple(s, l); ok {
			if want := normalizeDecomposed(s, l); got != want {
				t.Fatalf("limit %d, %+q: simple %q, decomposed %q", l, s, got, want)
			}
		}
	})
}

// TestNormalizeASCIISqueezes: the one pass gives what normalizing, then squeezing gave.
func TestNormalizeASCIISqueezes(t *testing.T) {
	rng := rand.New(rand.NewPCG(18, 19))
	for range 50000 {
		b := make([]byte, rng.IntN(20))
		for i := range b {
			b[i] = "aAabB1 .-zZ\t"[rng.IntN(12)]
		}
		limit := 1 + rng.IntN(25)
		if got, want := normalizeASCII(string(b), limit), squeezeRunes(normalizeASCIIUnsqueezed(string(b), limit)); got != want {
			t.Fatalf("%q (limit %d): %q, normalized then squeezed %q", b, limit, got, want)
		}
	}
}

// normalizeASCIIUnsqueezed is normalizeASCII as it was, before squeeze.
func normalizeASCIIUnsqueezed(s string, limit int) string {
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

// TestNormalizeLatinIsTheTwoPasses: normalizeLatin gives what spelling the text in
// ASCII and then normalizing it gave, at every limit, and refuses the same texts.
func TestNormalizeLatinIsTheTwoPasses(t *testing.T) {
	var letters []rune
	for r := range latinLetters {
		letters = append(letters, r)
	}
	letters = append(letters, 'a', 'A', 'z', '1', ' ', '.', 'l', 'L', 'ñ')
	rng := rand.New(rand.NewPCG(21, 22))
	refused := 0
	for range 30000 {
		var b strings.Builder
		for range rng.IntN(60) {
			r := letters[rng.IntN(len(letters))]
			for range 1 + rng.IntN(4) {
				b.WriteRune(r)
			}
		}
		if rng.IntN(10) == 0 {
			b.WriteString("🙏")
		}
		s, limit := b.String(), 1+rng.IntN(80)
		got, ok := normalizeLatin(s, limit)
		want, wantOK := latinToASCIIThenASCII(s, limit)
		if got != want || ok != wantOK {
			t.Fatalf("normalizeLatin(%q, %d) = %q %v, want %q %v", s, limit, got, ok, want, wantOK)
		}
		if !ok {
			refused++
		}
	}
	if refused < 100 {
		t.Fatalf("only %d refused", refused)
	}
}

// latinToASCIIThenASCII is normalizeLatin in two passes, as it was: the text's first
// limit runes spelled in ASCII, then normalized. (It used to cut the text at limit*2
// bytes, which could split a rune or keep fewer than limit runes.)
func latinToASCIIThenASCII(s string, limit int) (string, bool) {
	var b []byte
	n := 0
	for _, r := range s {
		if n++; n > limit {
			break
		}
		if r < utf8.RuneSelf {
			b = append(b, byte(r))
			continue
		}
		c := latinByte(r)
		if c == 0 {
			return "", false
		}
		b = append(b, c)
	}
	return normalizeASCII(string(b), limit), true
}

// TestIsPlainASCII: a byte of 128 or more anywhere, at any offset from a word of
// eight, makes the text not plain ASCII.
func TestIsPlainASCII(t *testing.T) {
	for n := range 40 {
		s := []byte(strings.Repeat("a", n))
		if !isPlainASCII(string(s)) {
			t.Fatalf("%d ASCII bytes: not plain", n)
		}
		for i := range s {
			for _, c := range []byte{0x80, 0xC3, 0xFF} {
				b := append([]byte(nil), s...)
				b[i] = c
				if isPlainASCII(string(b)) {
					t.Fatalf("byte %#x at %d of %d: plain", c, i, n)
				}
			}
		}
	}
}

// TestLatinTrailIsTheDecomposition: every accented letter of latinLetters that the
// fast path reads as a decomposed segment is in latinTrail, with its accent's combining
// class and the letter it decomposes into, as the decomposition says.
func TestLatinTrailIsTheDecomposition(t *testing.T) {
	simpleOnce.Do(initSimpleRunes)
	var buf [utf8.UTFMax]byte
	tabled := 0
	for r, c := range latinLetters {
		if simpleRunes[r]&segMask != segDecomposed {
			if uint32(r-latinLow) < uint32(len(latinTrail)) && latinTrail[r-latinLow] != 0 {
				t.Errorf("%q is in latinTrail but is not a decomposed segment", r)
			}
			continue
		}
		p := norm.NFD.Properties(buf[:utf8.EncodeRune(buf[:], r)])
		d := p.Decomposition()
		if got := latinTrail[r-latinLow]; got != p.TrailCCC() || got == 0 {
			t.Errorf("latinTrail[%q] = %d, its decomposition's trailing class is %d", r, got, p.TrailCCC())
		}
		if base := unicode.ToLower(rune(d[0])); byte(base) != c || utf8.RuneCountInString(string(d)) != 2 {
			t.Errorf("%q decomposes into %+q, latinLetters says %q", r, d, c)
		}
		tabled++
	}
	if tabled < 20 {
		t.Fatalf("only %d letters in latinTrail", tabled)
	}
}
