package bot

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSplitText(t *testing.T) {
	for _, tc := range []struct {
		name  string
		in    string
		limit int
		want  []string
	}{
		{"fits", "hola\nmundo", 20, []string{"hola\nmundo"}},
		{"lines", "aaaa\nbbbb\ncccc", 9, []string{"aaaa\nbbbb", "cccc"}},
		{"spaces", "aaaa bbbb cccc", 9, []string{"aaaa bbbb", "cccc"}},
		{"word longer than limit", "abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"blank lines", "aaaa\n\n\nbbbb", 5, []string{"aaaa", "bbbb"}},
		{"emoji counts two", "😀😀😀", 4, []string{"😀😀", "😀"}},
		{"accents count one", "ñañañaña", 4, []string{"ñaña", "ñaña"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := SplitText(tc.in, tc.limit)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
			for _, p := range got {
				if !utf8.ValidString(p) || utf16Len(p) > tc.limit {
					t.Errorf("bad part %q", p)
				}
			}
		})
	}
}

func TestSplitKeepsButtonsOnLastPart(t *testing.T) {
	o := Outbound{Channel: "c", Address: "a", Text: strings.Repeat("línea de texto\n", 300), AskLocation: true,
		Buttons: []Button{{Label: "Menú", Payload: "menu"}}}
	parts := Split(o, WhatsAppMaxLen)
	if len(parts) != 3 {
		t.Fatalf("%d parts", len(parts))
	}
	var joined []string
	for i, p := range parts {
		last := i == len(parts)-1
		if (p.Buttons != nil) != last || p.AskLocation != last || p.Channel != "c" || p.Address != "a" {
			t.Errorf("part %d: %+v", i, p)
		}
		if utf16Len(p.Text) > WhatsAppMaxLen {
			t.Errorf("part %d too long", i)
		}
		joined = append(joined, p.Text)
	}
	if strings.Join(joined, "\n") != strings.TrimSpace(o.Text) {
		t.Error("text lost or changed in splitting")
	}
	if got := Split(Outbound{Text: "corto"}, 10); len(got) != 1 || got[0].Text != "corto" {
		t.Errorf("short: %+v", got)
	}
}

// TestSplitKeepsBlocksWhole: a service card or a menu (its question, the footer and the
// numbered options) is never cut across two messages when it fits in one.
func TestSplitKeepsBlocksWhole(t *testing.T) {
	card := func(i int) string {
		return "Centro de salud número " + strings.Repeat("x", i%7) + "\nDirección: Av. Ejemplo 123, Lima\nTel. 01 234 5678 · Abierto 24 horas\nDato por confirmar · Fuente de 2026"
	}
	var blocks []string
	blocks = append(blocks, "Lugares cerca de Breña, del más cercano al más lejano:")
	for i := 0; i < 30; i++ {
		blocks = append(blocks, card(i))
	}
	menu := "¿Qué quieres hacer ahora?\n\n0 = Menú · «atrás» = volver\n\n1. Más resultados\n2. Solo abiertos ahora\n3. Otro lugar\n4. Otro tipo de servicio\n5. Volver al menú"
	text := strings.Join(blocks, "\n\n") + "\n\n" + menu
	for _, limit := range []int{WhatsAppMaxLen, 700, 400, 300} {
		parts := SplitText(text, limit)
		joined := strings.Join(parts, "\n\n")
		if joined != text {
			t.Fatalf("limit %d: text lost or changed in splitting", limit)
		}
		for i, p := range parts {
			if utf16Len(p) > limit {
				t.Errorf("limit %d: part %d is %d long", limit, i, utf16Len(p))
			}
			if strings.HasSuffix(p, ":") || strings.HasSuffix(p, "?") || strings.HasSuffix(p, "volver") {
				t.Errorf("limit %d: part %d ends with a heading, cut from what it introduces: %q", limit, i, p)
			}
		}
		for i := 0; i < 30; i++ {
			if c := card(i); !containsWhole(parts, c) {
				t.Errorf("limit %d: card %d was cut", limit, i)
			}
		}
		if !containsWhole(parts, menu) {
			t.Errorf("limit %d: the menu was cut: %q", limit, parts[len(parts)-1])
		}
	}
}

func containsWhole(parts []string, block string) bool {
	for _, p := range parts {
		if strings.Contains(p, block) {
			return true
		}
	}
	return false
}

// TestSplitCutsOnlyBlocksTooLong: a block longer than the limit is still cut (at lines),
// and what follows it starts a fresh message only when it does not fit.
func TestSplitCutsOnlyBlocksTooLong(t *testing.T) {
	long := strings.TrimSpace(strings.Repeat("una línea bastante larga\n", 20))
	parts := SplitText("Intro:\n\n"+long+"\n\nfin uno\nfin dos", 100)
	for i, p := range parts {
		if utf16Len(p) > 100 {
			t.Errorf("part %d too long", i)
		}
	}
	if got := strings.Join(parts, "\n"); strings.ReplaceAll(got, "\n\n", "\n") != strings.ReplaceAll("Intro:\n"+long+"\nfin uno\nfin dos", "\n\n", "\n") {
		t.Errorf("text changed: %q", got)
	}
}
