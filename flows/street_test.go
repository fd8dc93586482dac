package flows_test

import (
	"testing"
	"time"

	"github.com/faro-chat/faro/flows"
)

// TestAStreetIsNotTheCityOfItsName: «en la av arequipa» on the page about «cupo» listed
// services in Arequipa, 1,000 km from Lima's Avenida Arequipa; «por la av tacna», «jr
// ica», «av abancay» did the same with Tacna, Ica and Abancay. A street said where she
// is, alone, is the place question («No encontré ese lugar»), and a district said with
// it is the district; «en la calle» (on the street) is no street.
func TestAStreetIsNotTheCityOfItsName(t *testing.T) {
	e, _ := realEngine(t)
	f := e.Flow()
	now := time.Date(2026, 12, 3, 21, 0, 0, 0, time.UTC)
	for _, node := range []string{"violence_extortion", "home", "services_place"} {
		for _, text := range []string{"en la av arequipa", "por la av tacna", "jr ica", "av abancay",
			"estoy en la avenida grau", "vivo por el jiron huallaga", "moro na rua augusta"} {
			s, replies, _ := e.Step(flows.Session{Lang: "es", Node: node, Stack: []string{f.Home}},
				flows.Input{Kind: flows.InputText, Text: text, Now: now})
			if !hasKey(replies, flows.KeyPlaceUnknown) {
				t.Errorf("«%s» at %s: at %s, replies %v; want «No encontré ese lugar» and the place question", text, node, s.Node, keys(replies))
			}
		}
	}
	for text, code := range map[string]string{"trabajo por la av arequipa en lince": "150116",
		"estoy por la av peru en smp": "150135", "en la av abancay en la victoria": "150115"} {
		if p := e.Understand(text); p.PlaceCode != code {
			t.Errorf("%q: place %q (%s), want %s", text, p.PlaceCode, p.Intent, code)
		}
	}
	// no word at all: nothing to look up (this read past the end of an empty message)
	for _, text := range []string{"😢😢", "??", "...", "👍"} {
		_ = e.Understand(text)
		_, _, _ = e.Step(flows.Session{Lang: "es", Node: f.Home}, flows.Input{Kind: flows.InputText, Text: text, Now: now})
	}
	for _, text := range []string{"estoy en la calle", "trabajo en la calle", "estou na rua"} {
		if p := e.Understand(text); p.Intent == "place" {
			t.Errorf("%q: read as a place", text)
		}
	}
}
