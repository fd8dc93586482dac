package norm

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"San Juan de Lurigancho": "san juan de lurigancho",
		"  BREÑA  ":              "brena",
		"Jesús María":            "jesus maria",
		"S.J.L.":                 "s j l",
		"Rupa-Rupa":              "rupa rupa",
		"¿Dónde?":                "donde",
		"":                       "",
	} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestKeyVariants: spellings of one name share a key; different names do not.
func TestKeyVariants(t *testing.T) {
	same := [][]string{
		{"Cusco", "Cuzco", "CUSCO"},
		{"Villa El Salvador", "villa salvador", "VILLA EL SALBADOR"},
		{"Callao", "Cayao", "callao"},
		{"Huaraz", "Waraz", "Huaras"},
		{"Pichanaqui", "Pichanaki"},
		{"Quimbiri", "Kimbiri"},
		{"Carabayllo", "Carabaillo"},
		{"San Juan de Lurigancho", "sanjuan lurigancho"},
		{"Ventanilla", "Bentanilla"},
		{"Chosica", "Chosika"},
	}
	for _, names := range same {
		for _, n := range names[1:] {
			if KeyOf(n) != KeyOf(names[0]) {
				t.Errorf("KeyOf(%q) = %q, KeyOf(%q) = %q: want equal", n, KeyOf(n), names[0], KeyOf(names[0]))
			}
		}
	}
	for _, pair := range [][2]string{{"Lima", "Lina"}, {"Ate", "Ica"}, {"Comas", "Colmas"}, {"Santa Rosa", "Santa Ana"}} {
		if KeyOf(pair[0]) == KeyOf(pair[1]) {
			t.Errorf("%q and %q share key %q", pair[0], pair[1], KeyOf(pair[0]))
		}
	}
}

func TestDistance(t *testing.T) {
	cases := []struct {
		a, b string
		max  int
		want int
	}{
		{"lurigancho", "lurigancho", 2, 0},
		{"lurigancho", "luriganco", 2, 1},
		{"chorrillos", "chorillos", 2, 1},
		{"porres", "porras", 2, 1},
		{"abcd", "bacd", 2, 1}, // swap
		{"lima", "cusco", 2, 3},
		{"", "abc", 5, 3},
		{"abcdefgh", "ab", 2, 3},
	}
	for _, c := range cases {
		if got := Distance(c.a, c.b, c.max); got != c.want {
			t.Errorf("Distance(%q, %q, %d) = %d, want %d", c.a, c.b, c.max, got, c.want)
		}
	}
}

func TestTitle(t *testing.T) {
	acc := NewAccents()
	acc.Learn("Jesús María")
	acc.Learn("San Martín de Porres")
	for in, want := range map[string]string{
		"SAN JUAN DE LURIGANCHO":     "San Juan de Lurigancho",
		"JESUS MARIA":                "Jesús María",
		"VILLA EL SALVADOR":          "Villa El Salvador",
		"CARMEN DE LA LEGUA":         "Carmen de la Legua",
		"SAN MARTIN DE PORRES":       "San Martín de Porres",
		"CEM COMISARIA JICAMARCA II": "CEM Comisaria Jicamarca II",
	} {
		if got := Title(in, acc, map[string]bool{"CEM": true}); got != want {
			t.Errorf("Title(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestLongerTextKeyStartsAlike: the key of a text followed by more starts with the
// key of the text less its last byte, which Locate relies on to stop extending a run
// of words no listed key starts like. On random texts of the letters the key reads
// with the next one or two (hu + vowel, qu + e/i, c + e/i/h, s + h, ll, doubled
// letters), and on lists of words with particles.
func TestLongerTextKeyStartsAlike(t *testing.T) {
	pieces := []string{"a", "e", "i", "o", "u", "h", "q", "c", "s", "l", "k", "w", "y", "z", "v", "b", "n", "1", "hu", "qu", "ch", "sh", "ll", "C", "S", "\xc3", "\xb1"}
	rng := rand.New(rand.NewPCG(101, 102))
	text := func(n int) string {
		var b strings.Builder
		for range n {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		return b.String()
	}
	changed := 0 // texts whose whole key is not the start of the longer one's
	for range 200000 {
		s, more := text(rng.IntN(6)), text(rng.IntN(4))
		k, longer := Phonetic(s), Phonetic(s+more)
		if !strings.HasPrefix(longer, k[:max(len(k)-1, 0)]) {
			t.Fatalf("Phonetic(%q) = %q, Phonetic(%q) = %q", s, k, s+more, longer)
		}
		if !strings.HasPrefix(longer, k) {
			changed++
		}
	}
	if changed < 1000 {
		t.Fatalf("only %d keys changed at their end: the test proves little", changed)
	}
	words := []string{"de", "la", "los", "y", "hu", "ayo", "ce", "san", "l", "lima", "h", "que", "c"}
	for range 20000 {
		toks := make([]string, 1+rng.IntN(6))
		for i := range toks {
			toks[i] = words[rng.IntN(len(words))]
		}
		n := rng.IntN(len(toks) + 1)
		k, longer := Key(toks[:n]), Key(toks)
		if !strings.HasPrefix(longer, k[:max(len(k)-1, 0)]) {
			t.Fatalf("Key(%q) = %q, Key(%q) = %q", toks[:n], k, toks, longer)
		}
	}
}

// TestTokensOfASCII: the words of an ASCII text, found without Fold, are
// strings.Fields(Fold(s)), an empty slice when there are none.
func TestTokensOfASCII(t *testing.T) {
	const bytes = "aAzZ09 -.,_\t\n~@[`{/:"
	rng := rand.New(rand.NewPCG(103, 104))
	for range 50000 {
		b := make([]byte, rng.IntN(30))
		for i := range b {
			b[i] = bytes[rng.IntN(len(bytes))]
			if rng.IntN(2) == 0 {
				b[i] = byte(rng.IntN(128))
			}
		}
		got, want := Tokens(string(b)), strings.Fields(Fold(string(b)))
		if !slices.Equal(got, want) || (got == nil) != (want == nil) {
			t.Fatalf("Tokens(%q) = %q, want %q", b, got, want)
		}
	}
}

// TestDistanceBandedIsByRows: Distance, which computes the cells near the diagonal,
// gives what the whole rows of the table give, on random keys of few letters with up
// to four edits, of every length up to past maxBanded.
func TestDistanceBandedIsByRows(t *testing.T) {
	rng := rand.New(rand.NewPCG(81, 82))
	near := 0
	for range 60000 {
		a := make([]byte, rng.IntN(maxBanded+4))
		for i := range a {
			a[i] = "abcde"[rng.IntN(5)]
		}
		b := []byte(string(a))
		for range rng.IntN(5) {
			switch i := rng.IntN(len(b) + 1); rng.IntN(4) {
			case 0:
				b = append(b[:i], append([]byte{"abcdef"[rng.IntN(6)]}, b[i:]...)...)
			case 1:
				if i < len(b) {
					b = append(b[:i], b[i+1:]...)
				}
			case 2:
				if i < len(b) {
					b[i] = "abcdef"[rng.IntN(6)]
				}
			default:
				if i+1 < len(b) {
					b[i], b[i+1] = b[i+1], b[i]
				}
			}
		}
		for limit := range 4 {
			want := distanceRows(string(a), string(b), limit)
			if got := Distance(string(a), string(b), limit); got != want {
				t.Fatalf("Distance(%q, %q, %d) = %d, by rows %d", a, b, limit, got, want)
			}
			if want <= limit && want > 0 {
				near++
			}
		}
	}
	if near < 20000 {
		t.Fatalf("only %d pairs within the limit", near)
	}
}
