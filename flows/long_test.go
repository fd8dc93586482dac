package flows_test

import (
	"strings"
	"testing"

	"github.com/faro-chat/faro/flows"
)

// TestDangerAnywhereInALongMessage: a call for help at the start, in the middle or at
// the end of a long story (up to Telegram's 4,096 characters) reaches the numbers; in
// a flood of one-letter words, at its start or end.
func TestDangerAnywhereInALongMessage(t *testing.T) {
	e, _ := realEngine(t)
	s := flows.Session{Lang: "es", Node: "home"}
	prose := strings.Repeat("ayer fui a la casa de una amiga y hablamos de muchas cosas ", 22) // ~1,300 characters
	flood := strings.Repeat("a ", 900)
	danger := " ahora mismo me quiere matar "
	for name, text := range map[string]string{
		"prose start":  danger + prose + prose + prose,
		"prose middle": prose + danger + prose + prose,
		"prose end":    prose + prose + prose + danger,
		"flood start":  danger + flood + flood,
		"flood end":    flood + flood + danger,
	} {
		if len(text) > 4096 {
			t.Fatalf("%s: %d bytes, over Telegram's limit", name, len(text))
		}
		_, _, effects := e.Step(s, flows.Input{Kind: flows.InputText, Text: text, Now: transcriptNow})
		found := false
		for _, ef := range effects {
			if ef.Kind == flows.EffectEvent && (ef.Topic == flows.EventEmergency || ef.Topic == flows.EventSafetyAsked) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s (%d characters): danger not seen; effects %+v", name, len(text), effects)
		}
	}
}

// TestDangerWithATypoAnywhereInALongMessage: past what is read as the message, a long
// story is searched for the words of danger and self-harm alone; a phrase of them with
// a typo, at the start, in the middle or at the end, still reaches the numbers or the
// crisis lines.
func TestDangerWithATypoAnywhereInALongMessage(t *testing.T) {
	e, _ := realEngine(t)
	s := flows.Session{Lang: "es", Node: "home"}
	prose := strings.Repeat("ayer fui a la casa de una amiga y hablamos de muchas cosas ", 22)
	for _, c := range []struct {
		said  string
		event string
	}{
		{" ahora mismo me estan pegadno ", flows.EventEmergency},
		{" auxlio ", flows.EventEmergency},
		{" socorrro ", flows.EventEmergency},
		{" ahora me quiero suicdar ", flows.EventCrisis},
	} {
		for where, text := range map[string]string{
			"start":  c.said + prose + prose + prose,
			"middle": prose + c.said + prose + prose,
			"end":    prose + prose + prose + c.said,
		} {
			_, _, effects := e.Step(s, flows.Input{Kind: flows.InputText, Text: text, Now: transcriptNow})
			found := false
			for _, ef := range effects {
				found = found || (ef.Kind == flows.EffectEvent && ef.Topic == c.event)
			}
			if !found {
				t.Errorf("%q at the %s of %d characters: no %s; effects %+v", c.said, where, len(text), c.event, effects)
			}
		}
	}
}
