package locales

import "testing"

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
	for _, lang := range c.Langs() {
		for _, k := range ref {
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
