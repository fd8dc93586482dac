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
