package flows_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/faro-chat/faro/flows"
	"github.com/faro-chat/faro/flows/flowstest"
)

// events lists the statistics' events of a step (topic:, search:, miss:).
func events(effects []flows.Effect) []string {
	var out []string
	for _, ef := range effects {
		if ef.Kind == flows.EffectEvent && strings.Contains(ef.Topic, ":") {
			out = append(out, ef.Topic)
		}
	}
	return out
}

// TestStatisticsEvents: the engine says which nodes were entered, which searches
// found something and which messages it did not understand, in flow data only.
func TestStatisticsEvents(t *testing.T) {
	e, _ := flowstest.Engine(t, flowstest.NewDirectory())
	s := flows.Session{Lang: "es"}
	step := func(text string) []string {
		t.Helper()
		var effects []flows.Effect
		s, _, effects = e.Step(s, flows.Input{Kind: flows.InputText, Text: text, Now: transcriptNow})
		return events(effects)
	}
	if got := step("hola"); !slices.Contains(got, flows.EventTopic+"home") {
		t.Errorf("hola: %v, want topic:home", got)
	}
	if got := step("zzqx blorf"); len(got) != 1 || !strings.HasPrefix(got[0], flows.EventMiss+"home:") {
		t.Errorf("not understood: %v, want one miss:home:<intent>", got)
	}
	if got := step("ok"); len(got) != 0 {
		t.Errorf("a bare «ok» when nothing was asked is not a miss: %v", got)
	}
	for _, ev := range append(step("zzqx blorf"), step("4")...) {
		if strings.Contains(ev, "zzqx") || strings.Contains(ev, "blorf") {
			t.Errorf("event %q carries the person's words", ev)
		}
	}
	// A search: the violence services near a place of the fixture.
	var found []string
	for _, text := range []string{"menu", "servicios", "1", "san juan de lurigancho", "menu", "servicios", "1", "cusco"} {
		for _, ev := range step(text) {
			if strings.HasPrefix(ev, flows.EventSearch) {
				found = append(found, ev)
			}
		}
	}
	t.Logf("searches: %v", found)
	if len(found) < 2 {
		t.Fatalf("searches: %v, want two (one per place)", found)
	}
	for _, ev := range found {
		if !strings.HasSuffix(ev, ":found") && !strings.HasSuffix(ev, ":none") {
			t.Errorf("search event %q", ev)
		}
	}
}
