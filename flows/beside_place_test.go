package flows_test

import (
	"testing"
	"time"

	"github.com/faro-chat/faro/flows"
)

// TestNeedBesideAPlace: a place said with its anchor and a need in the same sentence
// is read as that need, at that place, when the words beside the place say the need
// clearly, however the place weighs on the whole sentence; words beside a place that
// say no need (or not clearly) leave it a place, and she is asked the kind of service;
// so does a place said with its anchor and nothing else but greetings.
func TestNeedBesideAPlace(t *testing.T) {
	e, _ := realEngine(t)
	for _, c := range []struct{ text, intent string }{
		{"estoy por el mercado de la victoria y necesito una prueba de vih", "health"},
		{"vivo en san juan de lurigancho y busco donde hacerme la prueba", "health"},
		{"estoy en breña y tengo una infeccion", "health"},
		{"estoy en comas y necesito un abogado", "legal"},
		{"estoy en la victoria y quiero denunciar a un cliente", "report"},
		// another place said with its anchor is not read as the need
		{"necesito un abogado, trabajo por la av aviacion en la victoria", "legal"},
		{"estoy en comas", "place"},
		{"vivo en independencia y estoy bien", "place"},
		{"estoy en comas y que calor", "place"},
		{"estoy en comas, recien llegue", "place"},
		// where she is and nothing else, whatever the verb suggests to the model
		{"ando por mesa redonda", "place"},
		{"buenas noches, ando por el callao", "place"},
		{"ando triste en comas", "feelings"},
	} {
		p := e.Understand(c.text)
		if p.Intent != c.intent || p.Slots["place"] == "" {
			t.Errorf("%q: %s, place %q; want %s with its place", c.text, p.Intent, p.Slots["place"], c.intent)
		}
	}
}

// TestTheDistrictSaidLater: a city said first and a district after it ("aquí en lima,
// vivo en sjl") is the district, where the services near her are; a district said
// first stays, and a city alone stays the city.
func TestTheDistrictSaidLater(t *testing.T) {
	e, _ := realEngine(t)
	for _, c := range []struct{ text, place string }{
		{"soy venezolana, tengo 3 meses aqui en lima, vivo en sjl con mi prima, donde me hago la prueba de vih", "sjl"},
		{"estoy en lima, por los olivos", "los olivos"},
		{"im in lima, i live in surquillo", "surquillo"},
		{"vivo en comas pero trabajo en lima", "comas"},
		{"estoy en lima", "lima"},
	} {
		if got := e.Understand(c.text).Slots["place"]; got != c.place {
			t.Errorf("%q: place %q, want %q", c.text, got, c.place)
		}
	}
}

// TestPlacesAfterTheArticle: in English the place after an anchor may come with its
// article ("near the historic center of lima"); a landmark's common noun ("near the
// market") is no place, where it found Marquez, in Callao, by its spelling.
func TestPlacesAfterTheArticle(t *testing.T) {
	e, _ := realEngine(t)
	for text, want := range map[string]string{
		"near the historic center of lima":                      "historic center of lima",
		"im in downtown lima":                                   "downtown lima",
		"got a lucky break, found a cheap room near the market": "",
		"i live near the airport":                               "",
	} {
		if got := e.Understand(text).Slots["place"]; got != want {
			t.Errorf("%q: place %q, want %q", text, got, want)
		}
	}
}

// TestAKindOfServiceWithAPlace: a kind of service named by its words («cem»,
// «psicólogo», «abogado») with a place is a search for that kind there, even where the
// model weighs the place more («necesito un cem en surquillo» was asked the kind).
func TestAKindOfServiceWithAPlace(t *testing.T) {
	e, _ := realEngine(t)
	now := time.Date(2026, 12, 3, 22, 0, 0, 0, time.UTC)
	for _, c := range []struct{ lang, text, category string }{
		{"es", "necesito un cem en surquillo", "violence"},
		{"es", "cem en surquillo", "violence"},
		{"es", "hay algun cem en surquillo?", "violence"},
		{"es", "busco un centro emergencia mujer por surquillo", "violence"},
		{"es", "necesito un psicologo en surquillo", "mental-health"},
		{"es", "un abogado en surquillo porfa", "legal"},
		{"en", "i need a lawyer in surquillo", "legal"},
		{"en", "is there a cem in surquillo", "violence"},
		{"pt", "preciso de um advogado em surquillo", "legal"},
		{"pt", "tem cem em surquillo?", "violence"},
		// the anchor is a word: «in» of «clinic», «en» of «centro» are not taken out
		{"en", "any clinic in surquillo", "health"},
		{"es", "busco un centro de salud en surquillo", "health"},
		{"es", "un psicologo que atienda gratis en surquillo", "mental-health"},
		// the place first, the kind after it (the words after «en» were all taken as the place)
		{"es", "en surquillo hay cem?", "violence"},
		{"es", "en surquillo dan condones gratis?", "sexual-health"},
		{"es", "en surquillo donde hay un psicologo", "mental-health"},
		{"pt", "em surquillo tem teste de hiv?", "sexual-health"},
	} {
		_, _, effects := e.Step(flows.Session{Lang: c.lang, Node: "home"}, flows.Input{Kind: flows.InputText, Text: c.text, Now: now})
		if !hasEvent(effects, flows.EventSearch+c.category+":found") {
			t.Errorf("%s «%s»: events %v, want a search for %s", c.lang, c.text, events(effects), c.category)
		}
	}
}
