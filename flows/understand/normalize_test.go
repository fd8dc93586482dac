package understand

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestNormalize(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Hola", "hola"},
		{"  ME ESTÁN   PEGANDO!!! ", "me estan pegando"},
		{"Auxiliooo", "auxilio"},
		{"ayudaaaa", "ayuda"},
		{"socorrooo", "socorro"},
		{"perro", "perro"}, // pairs stay
		{"llamar", "llamar"},
		{"1️⃣", "1"},
		{"🆘", "sos"},
		{"help🆘me", "help sos me"},
		{"¿Dónde está el CEM?", "donde esta el cem"},
		{"niña", "nina"},
		{"3.", "3"},
		{"opción 2)", "opcion 2"},
		{"😭😭 me pegaron", "me pegaron"},
		{"100", "100"},
		{"1000", "1000"}, // digits never squeezed
		{"", ""},
		{"   ", ""},
		{"Ünïcödé", "unicode"},
	}
	for _, c := range cases {
		if got := Normalize(c.in); got != c.want {
			t.Errorf("Normalize(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestNormalizeBoundsHugeInput(t *testing.T) {
	huge := strings.Repeat("palabra ", 100000)
	got := Normalize(huge)
	if n := utf8.RuneCountInString(got); n > MaxInputRunes {
		t.Fatalf("normalized %d runes, want at most %d", n, MaxInputRunes)
	}
	hugeUni := strings.Repeat("señal ", 100000)
	if n := utf8.RuneCountInString(Normalize(hugeUni)); n > MaxInputRunes {
		t.Fatalf("normalized %d runes of non-ASCII text, want at most %d", n, MaxInputRunes)
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"hola", "ME ESTÁN PEGANDO", "🆘", "1️⃣", "auxiliooo", "\xff\xfe", "a\u0301"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		if n != Normalize(n) {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, n, Normalize(n))
		}
		if strings.HasPrefix(n, " ") || strings.HasSuffix(n, " ") || strings.Contains(n, "  ") {
			t.Fatalf("bad spacing in %q", n)
		}
		if utf8.RuneCountInString(n) > MaxInputRunes {
			t.Fatalf("too long: %d runes", utf8.RuneCountInString(n))
		}
	})
}

// TestLatinFastPathAgrees: the fast path for Spanish and Portuguese letters gives what
// the full Unicode path gives (an emoji at the end forces the full path).
func TestLatinFastPathAgrees(t *testing.T) {
	for r := range latinLetters {
		for _, s := range []string{"x" + string(r) + "y", "Hola " + string(r) + " AMIGA", string(r) + string(r) + string(r) + "a"} {
			if fast, full := Normalize(s), Normalize(s+"🙂"); fast != full {
				t.Errorf("Normalize(%q) = %q, but %q by the full path", s, fast, full)
			}
		}
	}
}

// TestStackedAccents: dozens of accents stacked on each letter ("Zalgo" text) read as
// the letters beneath, like the same text with a few accents; the accents no longer
// use up the length read, so a word further on is still reached.
func TestStackedAccents(t *testing.T) {
	zalgo := func(word string, n int) string {
		var b strings.Builder
		for _, r := range word {
			b.WriteRune(r)
			for i := range n {
				b.WriteRune(rune(0x300 + i%0x70))
			}
		}
		return b.String()
	}
	if got, want := Normalize(zalgo("auxilio me pegan", 40)), Normalize(zalgo("auxilio me pegan", 3)); got != want || got != "auxilio me pegan" {
		t.Errorf("stacked accents: %q, a few: %q; want auxilio me pegan", got, want)
	}
	if got := Normalize(zalgo("hola amiga hola ", 40) + "ayuda"); !strings.HasSuffix(got, "ayuda") { // 656 runes before it
		t.Errorf("the word after stacked accents was not reached: %q", got)
	}
	for _, s := range []string{"é", "ñandú", "e\u0301\u0302\u0303", "x\u20dd\u0301"} { // nothing to cut
		if capAccents(s) != s {
			t.Errorf("capAccents changed %q", s)
		}
	}
	// the byte scan finds the runs the scan of runes finds, in random text of accents of
	// the three blocks and runes that share their first bytes
	runes := []rune{'a', ' ', 'é', 0x300, 0x36F, 0x1DC0, 0x1DFF, 0xFE20, 0xFE2F, 0x1E00, 0x1D00, 0xFF01, 0xFE30, 0x340, 0x2B05, '🙏'}
	rng := rand.New(rand.NewPCG(1, 2))
	cut := 0
	for range 20000 {
		var b strings.Builder
		for range rng.IntN(40) {
			r := runes[rng.IntN(len(runes))]
			for range 1 + rng.IntN(6) {
				b.WriteRune(r)
			}
		}
		s := b.String()
		if got, want := capAccents(s), capAccentsByRune(s); got != want {
			t.Fatalf("capAccents(%q) = %q, want %q", s, got, want)
		} else if got != s {
			cut++
		}
	}
	if cut < 1000 {
		t.Fatalf("only %d texts cut: the comparison proves little", cut)
	}
}

// capAccentsByRune is capAccents as it was, rune by rune.
func capAccentsByRune(s string) string {
	var b strings.Builder
	run := 0
	for _, r := range s {
		if !stackedAccent(r) {
			run = 0
		} else if run++; run > maxAccentRun {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
