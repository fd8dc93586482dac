package directory_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/faro-chat/faro/flows"
)

// TestLinesByTag is the contract with the flow: which national lines each topic offers,
// most urgent first.
func TestLinesByTag(t *testing.T) {
	d := load(t)
	cases := map[string][]string{
		"emergency":     {"pe-pnp-105", "pe-linea-100", "pe-samu-106"},
		"violence":      {"pe-linea-100", "pe-chat-100"},
		"police":        {"pe-mininter-1818", "pe-defensoria"},
		"trafficking":   {"pe-linea-100", "pe-mininter-1818"},
		"extortion":     {"pe-pnp-111"},
		"mental-health": {"pe-minsa-113"},
		"health":        {"pe-samu-106", "pe-minsa-113"},
		"sexual-health": {"pe-minsa-113"},
		"legal":         {"pe-defensoria"},
		"migration":     {"pe-migraciones"},
		"shelter":       {"pe-linea-100"},
		"community":     {"pe-redtrasex"},
		"fire":          {"pe-bomberos-116"},
		"nothing":       nil,
	}
	for tag, want := range cases {
		if got := ids(d.Lines("es", []string{tag}, "")); !slices.Equal(got, want) {
			t.Errorf("Lines(%s) = %v, want %v", tag, got, want)
		}
	}
	// Any of several tags, each line once, in data order.
	got := ids(d.Lines("es", []string{"trafficking", "police"}, ""))
	if want := []string{"pe-linea-100", "pe-mininter-1818", "pe-defensoria"}; !slices.Equal(got, want) {
		t.Errorf("Lines(trafficking, police) = %v, want %v", got, want)
	}
}

// TestLinesAsDialled: numbers are shown as a person dials them from a phone in Peru.
func TestLinesAsDialled(t *testing.T) {
	d := load(t)
	want := map[string][]string{
		"pe-linea-100":     {"100"},
		"pe-pnp-105":       {"105"},
		"pe-mininter-1818": {"1818"},
		"pe-defensoria":    {"0800-15-170"}, // free: the paid switchboard is on the Lima office's card
		"pe-migraciones":   {"01 200 1000"},
	}
	for _, c := range d.Lines("es", []string{"emergency", "police", "migration"}, "") {
		if w, ok := want[c.ID]; ok && !slices.Equal(c.Phones, w) {
			t.Errorf("%s phones %v, want %v", c.ID, c.Phones, w)
		}
		if c.Distance != -1 || c.Address != "" && c.ID != "pe-defensoria" {
			t.Errorf("%s: distance %v address %q for a national line", c.ID, c.Distance, c.Address)
		}
	}
}

func TestLinesFacts(t *testing.T) {
	d := load(t)
	byID := map[string]flows.Card{}
	for _, c := range d.Lines("en", []string{"emergency", "violence", "police", "trafficking", "extortion", "health", "legal", "migration", "community", "fire"}, "") {
		byID[c.ID] = c
	}
	l100 := byID["pe-linea-100"]
	if l100.Open != flows.Always || !l100.Free || l100.Unconfirmed || !slices.Equal(l100.Languages, []string{"es", "qu", "ay"}) {
		t.Errorf("Línea 100: %+v", l100)
	}
	if !byID["pe-migraciones"].Unconfirmed || !byID["pe-bomberos-116"].Unconfirmed || !byID["pe-chat-100"].Unconfirmed {
		t.Errorf("Migraciones, 116 and Chat 100 have no official confirmation: they must be flagged")
	}
	if !strings.Contains(byID["pe-bomberos-116"].Note, "01 399 1111") {
		t.Errorf("116 note should give the stand-in number: %q", byID["pe-bomberos-116"].Note)
	}
	if byID["pe-samu-106"].Note != "Metropolitan Lima only." {
		t.Errorf("106 coverage note: %q", byID["pe-samu-106"].Note)
	}
	for id, c := range byID {
		if c.Verified == "" || c.Name == "" || c.Desc == "" {
			t.Errorf("%s: missing name, description or verified date", id)
		}
		for _, p := range c.Phones {
			if p == "911" {
				t.Errorf("%s offers 911, which does not operate yet", id)
			}
		}
	}
}

func TestLinesLanguageFallback(t *testing.T) {
	d := load(t)
	es := d.Lines("es", []string{"violence"}, "")[0].Desc
	for _, lang := range []string{"ay", "fr", ""} {
		if got := d.Lines(lang, []string{"violence"}, "")[0].Desc; got != es {
			t.Errorf("Lines(%q) desc %q, want the Spanish text", lang, got)
		}
	}
	for _, lang := range []string{"en", "pt", "qu"} {
		if got := d.Lines(lang, []string{"violence"}, "")[0].Desc; got == es || got == "" {
			t.Errorf("%s desc %q: want a translation", lang, got)
		}
	}
}

func ids(cards []flows.Card) []string {
	var out []string
	for _, c := range cards {
		out = append(out, c.ID)
	}
	return out
}

// TestLinesWhereThePersonIs: SAMU 106, whose source says it covers Lima Metropolitana
// only, is left out for a person known to be in Tumbes or in Lima's other provinces,
// and kept in Lima, in Callao's neighbour districts of Lima, for the whole department
// of Lima, and when the place is unknown. 105, verified for Lima and Callao only but a
// police line that may answer anywhere, stays everywhere with its note.
func TestLinesWhereThePersonIs(t *testing.T) {
	d := load(t)
	has := func(where, id string) bool {
		for _, c := range d.Lines("es", []string{"emergency"}, where) {
			if c.ID == id {
				return true
			}
		}
		return false
	}
	for _, c := range []struct {
		where, place string
		samu         bool
	}{
		{"", "unknown", true},
		{"150132", "San Juan de Lurigancho (Lima Metropolitana)", true},
		{"150115L123", "a landmark in La Victoria", true},
		{"150000", "the department of Lima", true},
		{"150100", "the province of Lima", true},
		{"150501", "Cañete (department of Lima, not Lima Metropolitana)", false},
		{"070101", "Callao", false},
		{"240101", "Tumbes", false},
		{"160101", "Iquitos", false},
	} {
		if got := has(c.where, "pe-samu-106"); got != c.samu {
			t.Errorf("%s (%q): SAMU 106 listed %v, want %v", c.place, c.where, got, c.samu)
		}
		if !has(c.where, "pe-pnp-105") || !has(c.where, "pe-linea-100") {
			t.Errorf("%s (%q): 105 and 100 must always be listed", c.place, c.where)
		}
	}
}
