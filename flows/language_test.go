package flows_test

import (
	"strings"
	"testing"

	"github.com/faro-chat/faro/flows"
	"github.com/faro-chat/faro/locales"
)

// engineWith builds the shipped engine with only the reviewed locales and enable on.
func engineWith(t *testing.T, enable ...string) (*flows.Engine, *locales.Catalog) {
	t.Helper()
	f, err := flows.Load(flows.Embedded(), flows.DefaultFile)
	if err != nil {
		t.Fatal(err)
	}
	all, err := locales.Default()
	if err != nil {
		t.Fatal(err)
	}
	texts, err := all.Enabled(enable)
	if err != nil {
		t.Fatal(err)
	}
	e, err := flows.New(f, texts, testDirectory(t))
	if err != nil {
		t.Fatal(err)
	}
	return e, texts
}

// TestDraftLocalesOffByDefault: with only the reviewed locales on (es, en, pt),
// Quechua is not offered; its name gets, once, the notice of which lines answer in
// which languages; the welcome offers English and Portuguese.
func TestDraftLocalesOffByDefault(t *testing.T) {
	e, texts := engineWith(t)
	if got := strings.Join(e.Langs(), ","); got != "es,en,pt" {
		t.Fatalf("langs %s", got)
	}
	out := runTranscript(e, texts, transcript{lines: []string{"hola", "quechua", "quechua", "português"}}, "es", transcriptNow)
	for _, want := range []string{"For English, write «English».", "«Português»", "Manaraqmi runasimipi qillqayta atinichu", "Certo, vou escrever"} {
		if !strings.Contains(out, want) {
			t.Errorf("want %q in:\n%s", want, out)
		}
	}
	if strings.Contains(out, "«Runasimi» qillqay") {
		t.Errorf("a draft locale is offered while off:\n%s", out)
	}
	if n := strings.Count(out, "Manaraqmi runasimipi"); n != 1 {
		t.Errorf("the Quechua notice said %d times, want once", n)
	}
	if got := e.Lang("qu-PE"); got != "es" {
		t.Errorf("qu off: a qu-PE phone gets %q, want the default", got)
	}
	if got := e.Lang("pt-BR"); got != "pt" {
		t.Errorf("a pt-BR phone gets %q, want pt", got)
	}
}

// TestEnabledLocaleByPlatformHint: with pt on, a pt-BR phone (Telegram language_code)
// or a +55 number (the WhatsApp hint) starts in Portuguese; qu by its code.
func TestEnabledLocaleByPlatformHint(t *testing.T) {
	e, _ := engineWith(t, "pt", "qu")
	for hint, want := range map[string]string{"pt-BR": "pt", "pt": "pt", "qu": "qu", "es-PE": "es", "en-US": "en", "fr": "es", "": "es"} {
		if got := e.Lang(hint); got != want {
			t.Errorf("hint %q: %q, want %q", hint, got, want)
		}
	}
}

// TestLanguageNamesSwitch: each language's own name and its other names switch to it
// from anywhere, accents or not.
func TestLanguageNamesSwitch(t *testing.T) {
	e, _ := engineWith(t, "all")
	for name, want := range map[string]string{"portugues": "pt", "Português": "pt", "brasileiro": "pt", "runasimi": "qu",
		"Quechua": "qu", "qichwa": "qu", "castellano": "es", "inglés": "en", "English": "en"} {
		s := flows.Session{Lang: "es"}
		s, _, _ = e.Step(s, flows.Input{Kind: flows.InputText, Text: "hola", Now: transcriptNow})
		s, _, _ = e.Step(s, flows.Input{Kind: flows.InputText, Text: "3", Now: transcriptNow})
		s, _, _ = e.Step(s, flows.Input{Kind: flows.InputText, Text: name, Now: transcriptNow})
		if s.Lang != want {
			t.Errorf("%q: session in %q, want %q", name, s.Lang, want)
		}
	}
}

// TestLanguageAskedInAFewWords: «habla en castellano mana», «no entiendo nada, en
// español» got «no te entendí» or the help menu. A language asked for in a few words of
// asking switches to it; the one she says she does not speak («no hablo inglés», «i dont
// speak spanish») does not.
func TestLanguageAskedInAFewWords(t *testing.T) {
	e, _ := engineWith(t, "all")
	for text, want := range map[string]string{"habla en castellano mana": "es", "no entiendo nada, en español": "es",
		"can you speak english please": "en", "fala em portugues?": "pt", "escribeme en quechua porfa": "qu", "hablo español": "es"} {
		for _, from := range []string{"es", "en", "pt"} {
			if from == want {
				continue
			}
			s, _, _ := e.Step(flows.Session{Lang: from, Node: "home"}, flows.Input{Kind: flows.InputText, Text: text, Now: transcriptNow})
			if s.Lang != want {
				t.Errorf("«%s» in %s: session in %q, want %q", text, from, s.Lang, want)
			}
		}
	}
	for text, not := range map[string]string{"no hablo ingles": "en", "i dont speak spanish": "es", "nao falo espanhol": "es"} {
		for _, from := range []string{"es", "en", "pt"} {
			if from == not {
				continue
			}
			if s, _, _ := e.Step(flows.Session{Lang: from, Node: "home"}, flows.Input{Kind: flows.InputText, Text: text, Now: transcriptNow}); s.Lang == not {
				t.Errorf("«%s» in %s: switched to the language she does not speak", text, from)
			}
		}
	}
}
