package flows_test

import (
	"strings"
	"testing"
	"time"

	"github.com/faro-chat/faro/directory"
	"github.com/faro-chat/faro/flows"
)

// TestEveryDistrictNameAnswersWhere: at «¿dónde estás?», the name of any district of
// Peru, typed as it is written, is looked up as the place (or its homonyms offered),
// even where the model reads another topic in the word: «ate», a district of Lima of
// 600,000 people, read as «até» (goodbye), was answered «con gusto»; «río negro» and
// «sangarará» got the emergency numbers, «humay» a person (near «humana»).
func TestEveryDistrictNameAnswersWhere(t *testing.T) {
	e, _ := realEngine(t)
	d, err := directory.Default()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 2, 21, 0, 0, 0, time.UTC)
	wrong := 0
	for _, p := range d.Districts() {
		start := flows.Session{Lang: "es", Node: "services_place", Stack: []string{"home"}, Vars: map[string]string{flows.VarCategory: "health"}}
		name := strings.ToLower(p.Name)
		s, _, _ := e.Step(start, flows.Input{Kind: flows.InputText, Text: name, Now: now})
		if s.Node == "services_place" && s.Vars["_choices"] != "" || s.Vars["place"] != "" {
			continue // located, or its homonyms offered
		}
		if wrong++; wrong <= 10 {
			t.Errorf("«%s» (%s) at the place question: at %s, not located", name, p.Region, s.Node)
		}
	}
	if wrong > 10 {
		t.Errorf("and %d more", wrong-10)
	}
	// a call for help of the lists is never taken for a place
	for _, text := range []string{"socorro", "auxilio", "me estan siguiendo"} {
		start := flows.Session{Lang: "es", Node: "services_place", Stack: []string{"home"}, Vars: map[string]string{flows.VarCategory: "health"}}
		s, _, effects := e.Step(start, flows.Input{Kind: flows.InputText, Text: text, Now: now})
		if !hasEvent(effects, flows.EventEmergency) && s.Node != e.Flow().DangerCheck {
			t.Errorf("«%s» at the place question: at %s, want the numbers", text, s.Node)
		}
	}
}

// TestANameThatIsAlsoAPlace: at «¿cómo quieres que te llame?», a name that is also a
// place's («Victoria», La Victoria; «Morena») is her name, not a search for services
// there; a call for help of the lists is still the numbers.
func TestANameThatIsAlsoAPlace(t *testing.T) {
	e, _ := realEngine(t)
	now := time.Date(2026, 12, 2, 21, 0, 0, 0, time.UTC)
	for _, name := range []string{"Victoria", "Morena", "Esperanza", "Mercedes", "Libertad", "Rosa"} {
		s, _, _ := e.Step(flows.Session{Lang: "es", Node: "name_ask", Stack: []string{"home"}}, flows.Input{Kind: flows.InputText, Text: name, Now: now})
		if s.Vars["name"] != name {
			t.Errorf("«%s» at the name question: name %q (at %s)", name, s.Vars["name"], s.Node)
		}
	}
	s, _, effects := e.Step(flows.Session{Lang: "es", Node: "name_ask", Stack: []string{"home"}}, flows.Input{Kind: flows.InputText, Text: "Socorro", Now: now})
	if s.Vars["name"] != "" || !hasEvent(effects, flows.EventEmergency) {
		t.Errorf("«Socorro» at the name question: name %q, want the numbers", s.Vars["name"])
	}
}
