package content_test

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/faro-chat/faro/directory"
	"github.com/faro-chat/faro/flows"
	"github.com/faro-chat/faro/flows/content"
	"github.com/faro-chat/faro/locales"
)

func shipped(t *testing.T) (*flows.Flow, fstest.MapFS) {
	t.Helper()
	f, err := flows.Load(flows.Embedded(), flows.DefaultFile)
	if err != nil {
		t.Fatal(err)
	}
	m := fstest.MapFS{}
	for _, name := range []string{"es.toml", "en.toml"} {
		data, err := fs.ReadFile(locales.Embedded(), name)
		if err != nil {
			t.Fatal(err)
		}
		m[name] = &fstest.MapFile{Data: data}
	}
	return f, m
}

func TestShippedContentHasNoProblems(t *testing.T) {
	f, m := shipped(t)
	c, err := locales.Load(m)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range content.Texts(f, c) {
		t.Error(p)
	}
	d, err := directory.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range content.Messages(f, c, d) {
		t.Error(p)
	}
	for _, p := range content.Flow(f, "flows/main.yaml") {
		t.Error(p)
	}
}

// TestTextsFindsProblems breaks one locale one way at a time; the check must name it.
func TestTextsFindsProblems(t *testing.T) {
	cases := []struct {
		name, file, from, to, want string
	}{
		{"missing in en", "en.toml", `"opt.menu" = `, `"opt.menu.gone" = `, "en.toml key opt.menu: missing"},
		{"empty", "en.toml", `"opt.menu" = "`, `"opt.menu" = "" #`, "en.toml key opt.menu: empty"},
		{"label too long", "es.toml", `"opt.menu" = "Volver al menú"`, `"opt.menu" = "Volver al menú principal de Faro"`, "WhatsApp shows at most 24"},
		{"first line tells", "es.toml", "\"welcome.body\" = \"\"\"\nHola 👋", "\"welcome.body\" = \"\"\"\nViolencia y trabajo sexual", "a lock screen shows the first line"},
		{"unknown template field", "es.toml", `"card.free" = "Gratis"`, `"card.free" = "Gratis {{.Precio}}"`, "card.free: template"},
		{"name without if", "es.toml", `"opt.menu" = "Volver al menú"`, `"opt.menu" = "Volver, {{.name}}"`, "without a social name"},
		{"numbers list", "en.toml", `"cmd.numbers" = "one|two|three`, `"cmd.numbers" = "one|three`, "want the ten words"},
		{"empty word", "es.toml", `"cmd.back" = "atras|`, `"cmd.back" = "atras||`, "an empty word"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, m := shipped(t)
			src := string(m[c.file].Data)
			broken := strings.Replace(src, c.from, c.to, 1)
			if broken == src {
				t.Fatalf("%q not found in %s", c.from, c.file)
			}
			m[c.file] = &fstest.MapFile{Data: []byte(broken)}
			cat, err := locales.Load(m)
			if err != nil {
				t.Fatal(err)
			}
			ps := content.Texts(f, cat)
			var all []string
			for _, p := range ps {
				all = append(all, p.String())
			}
			if !strings.Contains(strings.Join(all, "\n"), c.want) || content.Errors(ps) == 0 {
				t.Fatalf("want an error containing %q, got:\n%s", c.want, strings.Join(all, "\n"))
			}
		})
	}
}

func TestLocalesRejectNestedTables(t *testing.T) {
	_, err := locales.Load(fstest.MapFS{"es.toml": {Data: []byte("[menu]\ntitle = \"x\"\n")}})
	if err == nil {
		t.Fatal("a TOML table must be rejected: keys are written quoted and flat")
	}
	_, err = locales.Load(fstest.MapFS{"es.toml": {Data: []byte(`"menu.other" = "x"` + "\n")}})
	if err == nil {
		t.Fatal("a key ending in a plural-form word must be rejected")
	}
}
