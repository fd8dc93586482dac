package content_test

import (
	"math"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/faro-chat/faro/flows/content"
	"github.com/faro-chat/faro/locales"
)

// TestSyllables counts syllables of known Spanish and Portuguese words: diphthongs,
// hiatus (with and without an accent), silent u, final y, nasal diphthongs.
func TestSyllables(t *testing.T) {
	cases := []struct {
		lang, word string
		want       int
	}{
		{"es", "murciélago", 4}, {"es", "país", 2}, {"es", "día", 2}, {"es", "ciudad", 2},
		{"es", "guitarra", 3}, {"es", "pingüino", 3}, {"es", "aéreo", 4}, {"es", "poeta", 3},
		{"es", "hoy", 1}, {"es", "muy", 1}, {"es", "y", 1}, {"es", "leer", 2}, {"es", "que", 1},
		{"es", "quiero", 2}, {"es", "huevo", 2}, {"es", "mayo", 2}, {"es", "ahora", 3},
		{"es", "auxilio", 3}, {"es", "Perú", 2}, {"es", "confidencial", 4}, {"es", "tranquilo", 3},
		{"pt", "não", 1}, {"pt", "mães", 1}, {"pt", "põe", 1}, {"pt", "saúde", 3},
		{"pt", "família", 3}, {"pt", "você", 2}, {"pt", "português", 3}, {"pt", "polícia", 3},
	}
	for _, c := range cases {
		if got := content.Syllables(c.word, c.lang); got != c.want {
			t.Errorf("%s %q: %d syllables, want %d", c.lang, c.word, got, c.want)
		}
	}
}

// TestReadabilityFormulas checks the formulas on hand-counted texts.
func TestReadabilityFormulas(t *testing.T) {
	near := func(a, b float64) bool { return math.Abs(a-b) < 0.05 }
	// "Hola. Soy Faro." 3 words, 2 sentences, 5 syllables (ho-la, soy, fa-ro)
	m := content.Measure("Hola. Soy Faro.", "es")
	if m.Words != 3 || m.Sentences != 2 || m.Syllables != 5 {
		t.Fatalf("counts %+v", m)
	}
	// 206.84 − 60·5/3 − 1.02·3/2 = 206.84 − 100 − 1.53
	if want := 105.31; !near(m.Score, want) {
		t.Errorf("Fernández-Huerta %.2f, want %.2f", m.Score, want)
	}
	// "Quiero entender bien. ¿Piensas en hacerte daño?": 7 words, 2 sentences,
	// 2+3+1 + 2+1+3+2 = 14 syllables: 206.84 − 60·2 − 1.02·3.5 = 83.27
	if m := content.Measure("Quiero entender bien.\n¿Piensas en hacerte daño?", "es"); !near(m.Score, 83.27) || m.Syllables != 14 {
		t.Errorf("Fernández-Huerta %+v, want 83.27 with 14 syllables", m)
	}
	// Martins et al.: "Estou aqui. Isto vai passar." 5 words, 2 sentences,
	// es-tou a-qui is-to vai pas-sar = 2+2+2+1+2 = 9: 248.835 − 1.015·2.5 − 84.6·1.8
	if m := content.Measure("Estou aqui. Isto vai passar.", "pt"); !near(m.Score, 248.835-1.015*2.5-84.6*1.8) || m.Syllables != 9 {
		t.Errorf("Flesch–Martins %+v", m)
	}
	// numbers and emoji are not words; bullets and line breaks end sentences
	if m := content.Measure("Llama al 100 💛\n• Gratis, 24 horas", "es"); m.Words != 4 || m.Sentences != 2 {
		t.Errorf("counts %+v, want 4 words (llama, al, gratis, horas) in 2 sentences", m)
	}
	if m := content.Measure("Allinmi. Kaypim kachkani.", "qu"); m.Scored || m.Words != 3 {
		t.Errorf("Quechua has no formula here: %+v", m)
	}
}

// catalogWith is the shipped locales with one text replaced.
func catalogWith(t *testing.T, file, from, to string) *locales.Catalog {
	t.Helper()
	_, m := shipped(t)
	if from != "" {
		src := string(m[file].Data)
		broken := strings.Replace(src, from, to, 1)
		if broken == src {
			t.Fatalf("%q not found in %s", from, file)
		}
		m[file] = &fstest.MapFile{Data: []byte(broken)}
	}
	c, err := locales.Load(m)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func joined(ps []content.Problem) string {
	var all []string
	for _, p := range ps {
		all = append(all, p.String())
	}
	return strings.Join(all, "\n")
}

// TestPlainLanguageFindsProblems breaks the plain-language check one way at a time.
func TestPlainLanguageFindsProblems(t *testing.T) {
	if ps, _ := content.PlainLanguage(catalogWith(t, "", "", "")); len(ps) != 0 {
		t.Fatalf("shipped texts:\n%s", joined(ps))
	}
	long := "Si un servicio público te discrimina, te juzga o no quiere atenderte por cualquier motivo que tenga que ver contigo, con tu trabajo o con tu país, puedes quejarte."
	cases := []struct {
		name, file, from, to, want string
	}{
		{"es under Fernández-Huerta 70", "es.toml", "Aquí estoy cuando me necesites.", "Permanezco disponible indefinidamente, independientemente de circunstancias extraordinarias.", "es.toml key thanks.body: readability"},
		{"pt under Flesch–Martins 62", "pt.toml", "Estou aqui quando precisar.", "Permaneço disponível indefinidamente, independentemente de circunstâncias extraordinárias.", "pt.toml key thanks.body: readability"},
		{"es sentence over 25 words", "es.toml", "Si un servicio público te discrimina, te juzga o no quiere atenderte, puedes quejarte", long[:len(long)-1], "key rights.complain: a sentence of 35 words"},
		{"qu sentence over 25 words", "qu.toml", "Kusikuni 🙂", "Kusikuni " + strings.Repeat("allin ", 26), "qu.toml key thanks.body: a sentence of 27 words"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ps, _ := content.PlainLanguage(catalogWith(t, c.file, c.from, c.to))
			if got := joined(ps); !strings.Contains(got, c.want) || content.Errors(ps) == 0 {
				t.Fatalf("want an error containing %q, got:\n%s", c.want, got)
			}
		})
	}
}

// TestShortLabelsAreNotScored: a text of fewer than content.MinScoredWords words is a
// label (a button, a placeholder, a status); its readability score would measure only
// the syllables of a word or two, so it is not scored. From MinScoredWords words on, a
// text is scored as a message.
func TestShortLabelsAreNotScored(t *testing.T) {
	cases := []struct {
		name, file, from, to string
		wantError            bool
	}{
		{"es one long word (as shipped: «Escribiendo…»)", "es.toml", "", "Escribiendo…", false},
		{"es three words", "es.toml", `"webchat.typing" = "Escribiendo…"`, `"webchat.typing" = "Escribe un mensaje"`, false},
		{"es two sentences, three words", "es.toml", `"webchat.typing" = "Escribiendo…"`, `"webchat.typing" = "Sin conexión. Reconectando…"`, false},
		{"es four words is a message", "es.toml", `"webchat.typing" = "Escribiendo…"`, `"webchat.typing" = "Reconectando automáticamente, espera, inmediatamente…"`, true},
		{"pt one long word", "pt.toml", `"webchat.typing" = "Digitando…"`, `"webchat.typing" = "Reconectando…"`, false},
		{"pt four words is a message", "pt.toml", `"webchat.typing" = "Digitando…"`, `"webchat.typing" = "Reconectando automaticamente, aguarde, imediatamente…"`, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ps, worst := content.PlainLanguage(catalogWith(t, c.file, c.from, c.to))
			got := joined(ps)
			if has := strings.Contains(got, "key webchat.typing: readability"); has != c.wantError {
				t.Fatalf("readability error for %q: %v, want %v:\n%s", c.to, has, c.wantError, got)
			}
			listed := false
			for _, s := range worst[strings.TrimSuffix(c.file, ".toml")] {
				listed = listed || s.Key == "webchat.typing"
			}
			if listed != c.wantError {
				t.Errorf("webchat.typing among the measured messages: %v, want %v", listed, c.wantError)
			}
		})
	}
}

// TestWordingFindsProblems breaks each wording rule once, in the language it is for;
// the problem names the principle. The unless clauses keep the shipped wording legal.
func TestWordingFindsProblems(t *testing.T) {
	rules, err := content.WordingRules(content.WordingFS())
	if err != nil {
		t.Fatal(err)
	}
	if ps := content.Wording(catalogWith(t, "", "", ""), rules); content.Errors(ps) != 0 {
		t.Fatalf("shipped texts:\n%s", joined(ps))
	}
	const thanks = "Aquí estoy cuando me necesites."
	const obrigado = "Estou aqui quando precisar."
	const thanksEN = "I'm here whenever you need me."
	cases := []struct {
		name, file, from, to, want string
	}{
		{"es judges sex work", "es.toml", thanks, "Aquí estoy, aunque seas prostituta.", "8.1.2"},
		{"es asks to quit", "es.toml", thanks, "Te ayudo a salir de esa vida.", "pide dejar el trabajo"},
		{"es blames", "es.toml", thanks, "¿Por qué no te fuiste antes?", "culpa a la víctima"},
		{"es conciliation", "es.toml", thanks, "Puedes conciliar con tu pareja.", "conciliar con el agresor"},
		{"es documents", "es.toml", thanks, "Debes presentar tu DNI para que te atiendan.", "8.1.1"},
		{"es gendered", "es.toml", thanks, "Tranquila, aquí estoy.", "forma de género"},
		{"pt judges sex work", "pt.toml", obrigado, "Mesmo sendo garota de programa, estou aqui.", "julga o trabalho sexual"},
		{"pt blames", "pt.toml", obrigado, "Você deveria ter saído antes.", "culpa a vítima"},
		{"pt blames, accented word", "pt.toml", obrigado, "Isso é culpa sua.", "culpa a vítima"},
		{"pt conciliation", "pt.toml", obrigado, "Tente fazer as pazes com ele.", "conciliar"},
		{"pt documents", "pt.toml", obrigado, "Você precisa apresentar seu documento.", "exige documentos"},
		{"pt gendered", "pt.toml", obrigado, "Você não está sozinha.", "forma de gênero"},
		{"en blames", "en.toml", thanksEN, "You should have called earlier.", "blames the victim"},
		{"en documents", "en.toml", thanksEN, "You must show your passport.", "demands documents"},
		{"qu conciliation", "qu.toml", "Kaypim kachkani necesitawaptiyki.", "Conciliación nisqata maskhay.", "conciliayta"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ps := content.Wording(catalogWith(t, c.file, c.from, c.to), rules)
			if got := joined(ps); !strings.Contains(got, c.want) || content.Errors(ps) == 0 {
				t.Fatalf("want an error containing %q, got:\n%s", c.want, got)
			}
		})
	}
	// the negated form is allowed: "no es tu culpa"
	if ps := content.Wording(catalogWith(t, "pt.toml", obrigado, "Nada disso é culpa sua."), rules); content.Errors(ps) != 0 {
		t.Errorf("a negated blame is not blame:\n%s", joined(ps))
	}
	if ps := content.Wording(catalogWith(t, "es.toml", thanks, "Nada de esto es tu culpa."), rules); content.Errors(ps) != 0 {
		t.Errorf("a negated blame is not blame:\n%s", joined(ps))
	}
}

// TestReviewStatus: a draft may lack a key (warning, said in Spanish), a reviewed
// locale may not (error); a Spanish text changed since a record is listed.
func TestReviewStatus(t *testing.T) {
	f, _ := shipped(t)
	// qu is a draft: a missing key is a warning
	c := catalogWith(t, "qu.toml", `"opt.menu" = `, `"opt.menu.gone" = `)
	ps := content.Texts(f, c)
	if got := joined(ps); !strings.Contains(got, "warning: locales/qu.toml key opt.menu: missing in this draft") {
		t.Errorf("draft missing key:\n%s", got)
	}
	if got := c.Text("qu", "opt.menu", nil); got != c.Raw("es", "opt.menu") {
		t.Errorf("a draft's missing key is said in Spanish, got %q", got)
	}
	// en is reviewed: a missing key is an error
	c = catalogWith(t, "en.toml", `"opt.menu" = `, `"opt.menu.gone" = `)
	if got := joined(content.Texts(f, c)); !strings.Contains(got, "error: locales/en.toml key opt.menu: missing (it is in es.toml): a reviewed locale must be complete") {
		t.Errorf("reviewed missing key:\n%s", got)
	}
	// a Spanish text changed since the records: listed for every other locale
	c = catalogWith(t, "es.toml", "Aquí estoy cuando me necesites.", "Aquí estoy cuando quieras.")
	got := joined(content.Reviews(c))
	for _, want := range []string{"en.toml key thanks.body: changed in es.toml since its review on", "pt.toml key thanks.body: changed in es.toml since its review on", "qu.toml key thanks.body: changed in es.toml since this translation was recorded (draft)"} {
		if !strings.Contains(got, want) {
			t.Errorf("want %q in:\n%s", want, got)
		}
	}
	if ps := content.Reviews(catalogWith(t, "", "", "")); len(ps) != 0 {
		t.Errorf("shipped records are up to date:\n%s", joined(ps))
	}
}

// TestNumbersKeptInTranslations: a translation that changes a figure is an error.
func TestNumbersKeptInTranslations(t *testing.T) {
	if ps := content.Numbers(catalogWith(t, "", "", "")); len(ps) != 0 {
		t.Fatalf("shipped texts:\n%s", joined(ps))
	}
	for file, c := range map[string][2]string{
		"pt.toml": {"Línea 1818 (grátis, 24 h)", "Línea 1810 (grátis, 24 h)"},
		"qu.toml": {"(Ley 30364, art. 15)", "(Ley 30364)"},
		"en.toml": {"0800-15-170", "0800-15-171"},
	} {
		ps := content.Numbers(catalogWith(t, file, c[0], c[1]))
		if content.Errors(ps) == 0 || !strings.Contains(joined(ps), file) {
			t.Errorf("%s: %q changed to %q not found:\n%s", file, c[0], c[1], joined(ps))
		}
	}
}
