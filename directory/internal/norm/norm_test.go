package norm

import "testing"

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
