package flows_test

import (
	"slices"
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
