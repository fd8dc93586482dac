package understand

import (
	"strings"
	"testing"
)

// TestEvaluateCountsWhereNoLeads: of the other messages asked about danger, the report
// counts those whose «no» leads to their labelled need, those that lead back, and the
// rest, and prints the three.
func TestEvaluateCountsWhereNoLeads(t *testing.T) {
	exs := []Example{
		{Intent: "violence", Lang: "es", Text: "me pego mi cliente y tengo miedo"},
		{Intent: "violence", Lang: "es", Text: "mi jefe me pega"},
		{Intent: "shelter", Lang: "es", Text: "me botaron del cuarto"},
		{Intent: "health", Lang: "es", Text: "me duele"},            // not asked: not counted
		{Intent: IntentDanger, Lang: "es", Text: "me esta pegando"}, // safety: not counted
	}
	got := []Prediction{
		{Intent: IntentDanger, Ask: true, Then: "violence"},
		{Intent: IntentDanger, Ask: true},
		{Intent: IntentDanger, Ask: true, Then: "violence"},
		{Intent: "health"},
		{Intent: IntentDanger, Ask: true, Then: "violence"},
	}
	i := 0
	r := Evaluate(exs, func(Example) Prediction { p := got[i]; i++; return p })
	if r.FalseAsks != 3 || r.ThenRight != 1 || r.ThenBack != 1 {
		t.Errorf("asked %d, «no» to the need %d, back %d; want 3, 1, 1", r.FalseAsks, r.ThenRight, r.ThenBack)
	}
	var b strings.Builder
	r.Write(&b, true)
	for _, want := range []string{"«no» leads to the labelled need 1 of 3 (1 back where they were, 1 to another)", "(asked; no -> back)", "(asked; no -> violence)"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, b.String())
		}
	}
}
