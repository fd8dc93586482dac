package flows_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/faro-chat/faro/flows"
	"github.com/faro-chat/faro/flows/flowstest"
)

// countingDirectory counts the texts Locate is asked about.
type countingDirectory struct {
	flows.Directory
	located map[string]int
}

func (d *countingDirectory) Locate(text string) []flows.Place {
	d.located[text]++
	return d.Directory.Locate(text)
}

// TestAPlaceQuestionLooksATextUpOnce: an answer to "where are you?" that names no
// place gets the reply that says so, and no text of it is looked up in the gazetteer
// twice in one step (reading it as a place, then answering the question).
func TestAPlaceQuestionLooksATextUpOnce(t *testing.T) {
	d := &countingDirectory{Directory: testDirectory(t)}
	e, _ := flowstest.Engine(t, d)
	asked := 0
	for _, text := range []string{"estoy en narnia", "vivo por villa fantasia", "en la luna", "cerca del parque de los sueños", "por ahí nomás"} {
		d.located = map[string]int{}
		s := flows.Session{Lang: "es", Node: "services_place", Stack: []string{"home"}}
		_, replies, _ := e.Step(s, flows.Input{Kind: flows.InputText, Text: text, Now: transcriptNow})
		for looked, n := range d.located {
			if n > 1 {
				t.Errorf("%q: %q looked up %d times", text, looked, n)
			}
		}
		for _, r := range replies {
			if slices.Contains(r.Keys, flows.KeyPlaceUnknown) {
				asked++
			}
		}
	}
	if asked < 3 {
		t.Fatalf("only %d of 5 answers were told the place is unknown", asked)
	}
}

// TestAPlaceItDoesNotKnowBringsThePlaceQuestion: at the menu, a message that says
// where she is, in words the directory does not know («perto do parque kennedy», a
// landmark it lacks), is told the place is unknown and asked her district, not «I did
// not understand»; her district, answered then, is found. A message that names no place
// («ya gracias, por la mañana te escribo») is not asked where she is.
func TestAPlaceItDoesNotKnowBringsThePlaceQuestion(t *testing.T) {
	e, _ := flowstest.Engine(t, testDirectory(t))
	home := flows.Session{Lang: "es", Node: "home"}
	for _, text := range []string{"perto do parque kennedy", "cerca al megaplaza", "vivo en narnia", "ando por villa fantasia", "estoy por el jockey plaza"} {
		s, replies, _ := e.Step(home, flows.Input{Kind: flows.InputText, Text: text, Now: transcriptNow})
		if !slices.ContainsFunc(replies, func(r flows.Reply) bool { return slices.Contains(r.Keys, flows.KeyPlaceUnknown) }) || s.Node != "services_place" {
			t.Errorf("%q: node %s, replies %v; want the place unknown, at the place question", text, s.Node, replies)
			continue
		}
		_, replies, _ = e.Step(s, flows.Input{Kind: flows.InputText, Text: "breña", Now: transcriptNow})
		if len(replies) == 0 || slices.ContainsFunc(replies, func(r flows.Reply) bool { return slices.Contains(r.Keys, flows.KeyPlaceUnknown) }) {
			t.Errorf("%q, then «breña»: %v, want the services there", text, replies)
		}
	}
	for _, text := range []string{"ya gracias, por la mañana te escribo", "toy en cero, ni pa la combi tengo", "hola", "me siguen en tiktok un monton de gente"} {
		_, replies, _ := e.Step(home, flows.Input{Kind: flows.InputText, Text: text, Now: transcriptNow})
		if slices.ContainsFunc(replies, func(r flows.Reply) bool { return slices.Contains(r.Keys, flows.KeyPlaceUnknown) }) {
			t.Errorf("%q: told the place is unknown (it names none)", text)
		}
	}
}

// TestARegionNamedAloneIsWhereSheIs: a district, a province or a region named alone,
// in a spelling the model never saw or an abbreviation it reads as something else, is
// where she is («Cuzco», «smp»: the model was unsure, and she was told it was not
// understood).
func TestARegionNamedAloneIsWhereSheIs(t *testing.T) {
	e, _ := flowstest.Engine(t, testDirectory(t))
	for text, code := range map[string]string{"Cuzco": "080000", "cuzco": "080000", "Trujilo": "130100",
		"smp": "150135", "SMP": "150135", "sjm": "150133"} {
		if p := e.Understand(text); p.Intent != "place" || p.PlaceCode != code {
			t.Errorf("%q: %s at %q, want place at %s", text, p.Intent, p.PlaceCode, code)
		}
	}
	for _, text := range []string{"mmm", "asdfg", "jajaja"} {
		if p := e.Understand(text); p.Intent == "place" {
			t.Errorf("%q: read as a place (%s)", text, p.PlaceCode)
		}
	}
}

// TestPregnancySaidAloneIsHealth: «estoy embarazada», «estou grávida», «i think im
// pregnant» at the menu go to health (prenatal care, tests), not to «are you in danger
// now?», and never to the numbers; said with violence, they still get the numbers.
func TestPregnancySaidAloneIsHealth(t *testing.T) {
	e, _ := flowstest.Engine(t, testDirectory(t))
	for _, text := range []string{"estoy embarazada", "hola amiga creo q estoy embarazada 😢", "acho que estou grávida", "i think im pregnant"} {
		s, _, _ := e.Step(flows.Session{Lang: "es", Node: "home"}, flows.Input{Kind: flows.InputText, Text: text, Now: transcriptNow})
		if !strings.HasPrefix(s.Node, "health") {
			t.Errorf("%q: at %s, want health", text, s.Node)
		}
	}
	for _, text := range []string{"estoy embarazada y me esta pegando", "me pateo la barriga y estoy embarazada"} {
		if p := e.Understand(text); p.Intent != "danger" || p.Ask {
			t.Errorf("%q: %s (asked %v), want the numbers", text, p.Intent, p.Ask)
		}
	}
}

// TestWhoIsWritingIsHerName: «te escribe Paula», «quem fala é a Bia» at the menu are her
// name (kept, said back), not the danger question the model guessed for «quem fala é a
// Bia»; «te escribe mi amiga» names nobody.
func TestWhoIsWritingIsHerName(t *testing.T) {
	e, _ := flowstest.Engine(t, testDirectory(t))
	for text, want := range map[string]string{"te escribe Paula": "Paula", "quem fala é a Bia": "Bia", "le escribe la Yuli": "Yuli"} {
		if p := e.Understand(text); p.Intent != "name" || p.Slots["name"] != want {
			t.Errorf("%q: %s %v, want the name %s", text, p.Intent, p.Slots, want)
		}
	}
	if p := e.Understand("te escribe mi amiga"); p.Slots["name"] != "" {
		t.Errorf("«te escribe mi amiga»: name %q", p.Slots["name"])
	}
}

// TestAPlaceSaidAloneIsNoDanger: where she is, said with its anchor and only greetings,
// courtesy or «now» («staying in cusco for now», «estoy en comas ahorita»), is the place,
// whatever the model guesses of «staying»; a word beside it that is not one of those
// («ayudame», «me siguen», «me tienen», «choque») leaves the message to the lists and
// the model, danger first. No utterance of the training split labelled danger or
// self-harm is read as a place.
func TestAPlaceSaidAloneIsNoDanger(t *testing.T) {
	e, _ := flowstest.Engine(t, testDirectory(t))
	for _, text := range []string{"staying in cusco for now", "estoy en comas ahorita", "im in lima rn",
		"estou em lima agora", "hola, estoy en san juan de lurigancho", "vivo en los olivos por favor"} {
		if p := e.Understand(text); p.Intent != "place" || p.PlaceCode == "" {
			t.Errorf("%q: %s (asked %v), want the place", text, p.Intent, p.Ask)
		}
	}
	wantSafety(t, e, "estoy en comas ayudame", "estoy en la victoria ayuda", "me tienen en sjl",
		"estoy en comas y me siguen", "estoy encerrada en comas")
	for _, ex := range safetyExamples(t) {
		if p := e.Understand(ex.Text); p.Intent == "place" {
			t.Errorf("%s: %s %q is read as a place", ex.Where, ex.Intent, ex.Text)
		}
	}
}
