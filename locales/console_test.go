package locales

import (
	"slices"
	"testing"
)

// TestConsoleCatalogComplete: every key of the console's Spanish catalogue exists,
// non-empty and rendering, in every other console locale, and none is extra.
func TestConsoleCatalogComplete(t *testing.T) {
	c, err := Console()
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Langs()) < 2 {
		t.Fatalf("console locales: %v, want es and en", c.Langs())
	}
	data := map[string]any{"Time": "10:00", "N": 3, "H": 1, "M": 5, "Operator": "ana", "Kind": "x", "Lang": "x",
		"From": "2026-11-02", "To": "2026-11-29", "Org": "ORG", "Month": "2026-11", "Monday": "2026-11-02"} // the statistics heading
	ref := c.Keys(Reference)
	if ui := ConsoleUI(c); len(ui) < 2 || ui[0] != "es" || ui[1] != "en" {
		t.Fatalf("the console's pages in %v, want es and en", ui)
	}
	for _, lang := range c.Langs() {
		pages := slices.Contains(ConsoleUI(c), lang)
		for _, k := range ref {
			if !pages && !IsConsolePerson(k) {
				if c.Has(lang, k) {
					t.Errorf("%s: key %q of the console's pages, in a language that only carries the texts sent to the person", lang, k)
				}
				continue
			}
			if c.Raw(lang, k) == "" {
				t.Errorf("%s: key %q missing or empty", lang, k)
				continue
			}
			if _, err := c.Render(lang, k, data); err != nil {
				t.Errorf("%v", err)
			}
		}
		for _, k := range c.Keys(lang) {
			if !c.Has(Reference, k) {
				t.Errorf("%s: key %q is not in %s", lang, k, Reference)
			}
		}
	}
}

// TestConsoleSpeaksEveryBotLanguage: the texts an operator sends to the person
// (canned answers, the closing message) exist in every language of the bot, with a
// review record as strict as the bot's own for that language.
func TestConsoleSpeaksEveryBotLanguage(t *testing.T) {
	c, err := Console()
	if err != nil {
		t.Fatal(err)
	}
	bot, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range bot.All() {
		for _, k := range c.Keys(Reference) {
			if IsConsolePerson(k) && !c.Has(lang, k) {
				t.Errorf("%s: console text %q missing", lang, k)
			}
		}
		if bot.Review(lang).Reviewed() != c.Review(lang).Reviewed() {
			t.Errorf("%s: reviewed %v in the bot, %v in the console", lang, bot.Review(lang).Reviewed(), c.Review(lang).Reviewed())
		}
	}
	if !slices.Contains(c.All(), "pt") || c.Text("pt", "canned.bye", nil) == c.Text("es", "canned.bye", nil) {
		t.Error("no Portuguese canned answer")
	}
}
