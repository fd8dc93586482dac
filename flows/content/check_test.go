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
	names, err := fs.Glob(locales.Embedded(), "*.toml")
	if err != nil {
		t.Fatal(err)
	}
	reviews, _ := fs.Glob(locales.Embedded(), locales.ReviewDir+"/*.toml")
	for _, name := range append(names, reviews...) {
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
	for _, p := range content.Messages(f, c, dir(t)) {
		t.Error(p)
	}
	for _, p := range content.TextClaims(c, dir(t).Entries("")) {
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
		{"first line tells", "es.toml", "\"welcome.body\" = \"\"\"\nHola 👋", "\"welcome.body\" = \"\"\"\nViolencia y trabajo sexual", "a notification preview shows them"},
		{"unknown template field", "es.toml", `"card.free" = "Gratis"`, `"card.free" = "Gratis {{.Precio}}"`, "card.free: template"},
		{"name without if", "es.toml", `"opt.menu" = "Volver al menú"`, `"opt.menu" = "Volver, {{.name}}"`, "without a social name"},
		{"topic word in the preview, on the second line", "es.toml", "Aquí estoy cuando me necesites.", "La policía no ve este chat.", "a notification preview shows them"},
		{"topic word within 100 characters of a short first text", "es.toml", "\"migrant.menu\" = \"¿Qué quieres saber?\"", "\"migrant.menu\" = \"¿Qué, de la policía?\"", "node migrant_menu: the first 100 characters \"¿Qué, de la policía?"},
		{"topic word in an option label within the preview", "es.toml", "\"migrant.opt.report\" = \"Atención sin documentos\"", "\"migrant.opt.report\" = \"Denunciar sin papeles\"", "node migrant_menu: the first 100 characters"},
		{"social name in the preview", "es.toml", "Elige el número de una opción,", "{{if .name}}{{.name}}, elige{{else}}Elige{{end}} el número de una opción,", "hold the social name"},
		{"message too long", "es.toml", "• Guarda los números 100 y 105", "• " + strings.Repeat("Texto largo. ", 30) + "Guarda los números 100 y 105", "node violence_plan: the message on arriving is"},
		{"urgent reply too long with its phone lines", "es.toml", "Si puedes, llama desde un lugar tranquilo", strings.Repeat("Texto. ", 60) + "Si puedes, llama desde un lugar tranquilo", "(texts, phone lines and options), at most 700"},
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
			ps := append(content.Texts(f, cat), content.Messages(f, cat, dir(t))...)
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

var shippedDir *directory.Directory

func dir(t *testing.T) *directory.Directory {
	t.Helper()
	if shippedDir == nil {
		d, err := directory.Default()
		if err != nil {
			t.Fatal(err)
		}
		shippedDir = d
	}
	return shippedDir
}

// TestPlaceholdersWarn: who runs the deployment ships as a placeholder, never a
// hard-coded organization; faro check reminds the deployment to fill it.
func TestPlaceholdersWarn(t *testing.T) {
	_, m := shipped(t)
	c, err := locales.Load(m)
	if err != nil {
		t.Fatal(err)
	}
	ps := content.Placeholders(c)
	if len(ps) != 2 || content.Errors(ps) != 0 || !strings.Contains(ps[0].Where, "about.who") {
		t.Fatalf("want a warning for about.who in es and en, got %v", ps)
	}
	m["es.toml"] = &fstest.MapFile{Data: []byte(strings.Replace(string(m["es.toml"].Data), "(nombre de la organización, por configurar)", "Colectivo Ejemplo", 1))}
	if c, err = locales.Load(m); err != nil {
		t.Fatal(err)
	}
	if ps := content.Placeholders(c); len(ps) != 1 || !strings.Contains(ps[0].Where, "en.toml") {
		t.Fatalf("filled in es: want only the en warning, got %v", ps)
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

// TestTextClaims: a text may say of a phone line only what the line's directory entry
// (and so its source) says: free, 24 hours, national. One claim broken at a time.
func TestTextClaims(t *testing.T) {
	cases := []struct {
		name, from, to, want string
	}{
		{"105 is not said to be 24 hours", "llama al 105 (Lima y Callao) o a la Línea 100", "llama al 105 (24 horas, Lima y Callao) o a la Línea 100", `of 105 (24 hours)`},
		{"105 is not national", "llama al 105 (Lima y Callao) o a la Línea 100", "llama al 105, que atiende en todo el país, o a la Línea 100", `of 105 (national)`},
		{"106 is not national", "en Lima llama al SAMU 106.", "llama al SAMU 106, que atiende en todo el país.", `of 106 (national)`},
		{"116 is not said to be free", "Guarda los números 100 y 105", "Guarda los números 100 y 116 (gratis)", `of 116 (free)`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, m := shipped(t)
			cat, err := locales.Load(m)
			if err != nil {
				t.Fatal(err)
			}
			if ps := content.TextClaims(cat, dir(t).Entries("")); len(ps) != 0 {
				t.Fatalf("shipped texts: %v", ps)
			}
			src := string(m["es.toml"].Data)
			broken := strings.Replace(src, c.from, c.to, 1)
			if broken == src {
				t.Fatalf("%q not found", c.from)
			}
			m["es.toml"] = &fstest.MapFile{Data: []byte(broken)}
			if cat, err = locales.Load(m); err != nil {
				t.Fatal(err)
			}
			ps := content.TextClaims(cat, dir(t).Entries(""))
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

// TestMessagesSayMissingKeysInSpanish: a key a draft locale lacks is said in Spanish
// (locales.Catalog.Text), so the checks of a whole message (its length, its neutral
// first 100 characters) read the Spanish text in its place, not a hole. A hole once let
// an option label («🆘 Números de emergência») slip into the preview of the Portuguese
// rating question before rate.ask was translated; with the Spanish text in its place,
// what is checked is what is sent.
func TestMessagesSayMissingKeysInSpanish(t *testing.T) {
	f, m := shipped(t)
	drop := func(file, key string) {
		src := string(m[file].Data)
		out := strings.Replace(src, `"`+key+`" = `, `"`+key+`.gone" = `, 1)
		if out == src {
			t.Fatalf("%s not in %s", key, file)
		}
		m[file] = &fstest.MapFile{Data: []byte(out)}
	}
	load := func() *locales.Catalog {
		c, err := locales.Load(m)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	drop("pt.toml", "rate.ask")
	if got := joined(content.Messages(f, load(), nil)); strings.Contains(got, "pt.toml node handoff_rate") {
		t.Fatalf("pt without rate.ask says the Spanish question first, which is neutral; got:\n%s", got)
	}
	src := string(m["es.toml"].Data)
	m["es.toml"] = &fstest.MapFile{Data: []byte(strings.Replace(src, `"rate.ask" = "¿Te sirvió esta conversación?`, `"rate.ask" = "¿Te sirvió lo de la policía?`, 1))}
	if got := joined(content.Messages(f, load(), nil)); !strings.Contains(got, "pt.toml node handoff_rate: the first 100 characters \"¿Te sirvió lo de la policía?") {
		t.Fatalf("the Spanish text said in pt's place is checked; got:\n%s", got)
	}
}
