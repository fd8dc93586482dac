package flows_test

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/faro-chat/faro/flows/understand"
)

// TestHeldOutEvaluation runs the whole understanding (rules, model, policy) on the
// held-out split and holds it to the gate; the report is in the log (go test -v).
// `faro eval` prints the same report.
func TestHeldOutEvaluation(t *testing.T) {
	e, _ := realEngine(t)
	held, err := understand.Corpus("heldout")
	if err != nil {
		t.Fatal(err)
	}
	r := understand.EvaluatePlaces(held, func(ex understand.Example) understand.Prediction { return e.Understand(ex.Text) }, e.PlaceCode)
	var b strings.Builder
	r.Write(&b, false)
	t.Log("\n" + b.String())
	for _, f := range r.Check(understand.TargetGate) {
		t.Error(f)
	}
}

// TestTuningSplitsReachTheNumbers: on the dev and probe splits (tuning: their misses
// are read and fixed by families), danger and self-harm reach the numbers or the one
// question at least as often as the gate asks of the held-out split, here 0.99, so that
// a change of the lists or the policy that loses a family fails here before it does in
// the world.
func TestTuningSplitsReachTheNumbers(t *testing.T) {
	e, _ := realEngine(t)
	for _, split := range []string{"dev", "probe"} {
		exs, err := understand.ReadCorpus(os.DirFS("understand/corpus/" + split))
		if err != nil {
			t.Fatal(err)
		}
		r := understand.EvaluatePlaces(exs, func(ex understand.Example) understand.Prediction { return e.Understand(ex.Text) }, e.PlaceCode)
		if r.Safety < 100 {
			t.Fatalf("%s: only %d danger and self-harm examples", split, r.Safety)
		}
		if recall := float64(r.SafetyReached) / float64(r.Safety); recall < 0.99 {
			t.Errorf("%s: danger and self-harm reached %d of %d (%.3f), want 0.99", split, r.SafetyReached, r.Safety, recall)
		}
	}
}

// TestNegationNeverHidesACall: negation turns "no estoy en peligro" away from the
// numbers, but never a one-word call for help after a negation.
func TestNegationNeverHidesACall(t *testing.T) {
	e, _ := realEngine(t)
	for _, text := range []string{"no puedo mas auxilio", "no se que hacer socorro", "nao aguento mais socorro", "i cant anymore sos"} {
		if p := e.Understand(text); !understand.IsSafety(p.Intent) {
			t.Errorf("%q understood as %s, want the numbers", text, p.Intent)
		}
	}
	for _, text := range []string{"no estoy en peligro", "nadie me obliga, yo decido"} {
		if p := e.Understand(text); understand.IsSafety(p.Intent) && !p.Ask {
			t.Errorf("%q gets the numbers at once", text)
		}
	}
}

// TestIntentCategoriesExist: the kind of service a topic looks for with a place is one
// the shipped directory has.
func TestIntentCategoriesExist(t *testing.T) {
	e, _ := realEngine(t)
	dir := testDirectory(t)
	for _, in := range e.Flow().Intents {
		if in.Category != "" && !slices.Contains(dir.Categories(), in.Category) {
			t.Errorf("intent %s: the directory has no category %q", in.Intent, in.Category)
		}
	}
}

// TestAQuestionIsNotACallForHelp: «ayúdame con algo porfa», «tengo una pregunta» ask
// for the help menu, not the emergency numbers (the model read danger in «ayúdame»);
// «ayúdame» alone, or with a danger said, is still the numbers.
func TestAQuestionIsNotACallForHelp(t *testing.T) {
	e, _ := realEngine(t)
	for _, text := range []string{"ayudame con algo porfa", "me ayudas con algo?", "tengo una pregunta", "tengo una duda", "i have a question", "tenho uma dúvida"} {
		if p := e.Understand(text); p.Intent != "cmd_help" {
			t.Errorf("%q understood as %s, want the help menu", text, p.Intent)
		}
	}
	for _, text := range []string{"ayúdame", "ayudame con algo, me estan siguiendo"} {
		if p := e.Understand(text); !understand.IsSafety(p.Intent) {
			t.Errorf("%q understood as %s, want the numbers", text, p.Intent)
		}
	}
}
