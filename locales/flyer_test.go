package locales

import (
	"strings"
	"testing"
)

// TestFlyerCatalogComplete: every key of the flyer's Spanish catalogue exists, non-empty
// and rendering, in every other flyer locale (es, en and pt at least), and none is extra.
func TestFlyerCatalogComplete(t *testing.T) {
	c, err := Flyer()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"es", "en", "pt"} {
		if !c.Has(want, "front.tagline") {
			t.Errorf("flyer locales %v: want %s", c.Langs(), want)
		}
	}
	ref := c.Keys(Reference)
	for _, lang := range c.Langs() {
		for _, k := range ref {
			if c.Raw(lang, k) == "" {
				t.Errorf("%s: key %q missing or empty", lang, k)
				continue
			}
			if _, err := c.Render(lang, k, nil); err != nil {
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

// TestFlyerGreetingIsShort: the WhatsApp greeting is what a person would write first,
// a few words, and carries no parenthesis (the code's "(ref …)" follows it).
func TestFlyerGreetingIsShort(t *testing.T) {
	c, err := Flyer()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range c.Langs() {
		g := c.Raw(lang, "whatsapp.greeting")
		if len(strings.Fields(g)) > 5 || strings.ContainsAny(g, "()") {
			t.Errorf("%s: greeting %q: want a few words, no parenthesis", lang, g)
		}
	}
}
