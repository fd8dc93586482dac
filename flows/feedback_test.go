package flows_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/faro-chat/faro/flows"
	"github.com/faro-chat/faro/flows/flowstest"
)

// feedbackOf returns the EffectFeedback of a step, if any.
func feedbackOf(effects []flows.Effect) (flows.Effect, bool) {
	for _, ef := range effects {
		if ef.Kind == flows.EffectFeedback {
			return ef, true
		}
	}
	return flows.Effect{}, false
}

// TestFeedbackBoundsAndForgets: a report's words are cut at MaxFeedbackRunes; the
// place picked is one of the list shown, and is forgotten after the report, as the
// places shown are at the main menu; a pressed button of an old list's place names
// nothing that was not shown.
func TestFeedbackBoundsAndForgets(t *testing.T) {
	e, _ := flowstest.Engine(t, flowstest.NewDirectory())
	s := flows.Session{Lang: "es"}
	var effects []flows.Effect
	step := func(text string) {
		t.Helper()
		in := flows.Input{Kind: flows.InputText, Text: text, Now: transcriptNow}
		if strings.HasPrefix(text, "[") {
			in = flows.Input{Kind: flows.InputText, Payload: strings.Trim(text, "[]"), Now: transcriptNow}
		}
		s, _, effects = e.Step(s, in)
	}
	for _, l := range []string{"hola", "2", "1", "san juan de lurigancho", "7"} {
		step(l)
	}
	if s.Node != "feedback_about" {
		t.Fatalf("at %s, want feedback_about", s.Node)
	}
	step("[feedback_about#0]")
	step("1")
	long := strings.Repeat("ñ", 2*flows.MaxFeedbackRunes)
	step(long)
	ef, ok := feedbackOf(effects)
	if !ok {
		t.Fatal("no report")
	}
	if n := utf8.RuneCountInString(ef.Text); n != flows.MaxFeedbackRunes {
		t.Errorf("report of %d characters, want %d", n, flows.MaxFeedbackRunes)
	}
	if ef.Topic != "wrong_number" || ef.Entry == "" {
		t.Errorf("report %q about %q, want wrong_number about the place picked", ef.Topic, ef.Entry)
	}
	for k := range s.Vars {
		if k == "_entry" || k == "_shown" {
			t.Errorf("after the report (at the menu) the session keeps %s", k)
		}
	}
	// A suggestion from the menu is about no place, even with an old place button.
	step("10")
	step("5")
	step("[feedback_about#0]") // the button of a list no longer on screen
	if s.Node == "feedback_what" {
		t.Error("an old list's button picked a place that is no longer shown")
	}
}

// TestValidateFeedbackNodes: a feedback node's report is flow data, helped is yes or
// no, and both need schema 2.
func TestValidateFeedbackNodes(t *testing.T) {
	base := strings.Replace(strings.Replace(goodFlow, "schema: 1", "schema: 2", 1),
		"      - {label: d, goto: ask}\n", "      - {label: d, goto: ask}\n      - {label: q, goto: pick}\n      - {label: r, goto: yes}\n", 1) + `  fb: {kind: feedback, say: [m], report: wrong_number, next: home}
  yes: {kind: message, say: [n], helped: "yes", next: home}
  pick: {kind: entries, say: [o], next: fb, options: [{label: p, goto: home}]}
`
	f, err := flows.Parse([]byte(base))
	if err != nil {
		t.Fatal(err)
	}
	if ps := f.Validate(); len(ps) != 0 {
		t.Fatalf("good feedback nodes have problems: %v", ps)
	}
	for _, c := range []struct{ from, to, want string }{
		{"report: wrong_number", "report: Wrong-Number", "report"},
		{"report: wrong_number", "report: ''", "report"},
		{`helped: "yes"`, `helped: "maybe"`, "helped"},
		{"schema: 2", "schema: 1", "schema 2"},
	} {
		f, err := flows.Parse([]byte(strings.Replace(base, c.from, c.to, 1)))
		if err != nil {
			t.Fatal(err)
		}
		var all []string
		for _, p := range f.Validate() {
			all = append(all, p.Message)
		}
		if !strings.Contains(strings.Join(all, "; "), c.want) {
			t.Errorf("%s -> %s: problems %v, want one about %s", c.from, c.to, all, c.want)
		}
	}
}
