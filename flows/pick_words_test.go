package flows_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/faro-chat/faro/flows"
)

// TestPickInEverydayWords: at the menu, «kiero la 1», «la 8 xfa», «el numero 2 porfis»,
// «la 10 amiga», «vou na 4» got «no te entendí» (a blind probe's picks): the words
// around a number in SMS spellings, vocatives and Portuguese are filler (cmd.filler), so
// the option is taken. A call for help that the filler would empty («alguien xfa») is
// still one.
func TestPickInEverydayWords(t *testing.T) {
	e, _ := realEngine(t)
	now := time.Date(2026, 12, 3, 21, 0, 0, 0, time.UTC)
	for text, want := range map[string]int{
		"kiero la 1": 1, "la 8 xfa": 8, "seria la nueve": 9, "el numero 2 porfis": 2, "la 10 amiga": 10,
		"vou na 4": 4, "la 3 mana": 3, "quiero la 7 xfa": 7, "1 porfis": 1, "el cinco amiga": 5,
		"id like 6 please": 6, "pode ser a 2": 2,
	} {
		p := e.Understand(text)
		if p.Intent != "pick" || p.Slots["number"] != strconv.Itoa(want) {
			t.Errorf("%q: %s %v, want pick %d", text, p.Intent, p.Slots, want)
			continue
		}
		if _, replies, _ := e.Step(flows.Session{Lang: "es", Node: "home"}, flows.Input{Kind: flows.InputText, Text: text, Now: now}); hasKey(replies, "input.unknown") {
			t.Errorf("%q at the menu: %v, want option %d", text, keys(replies), want)
		}
	}
	wantIntent(t, e, "danger", "alguien xfa", "alguien porfa", "pelo amor de deus alguém")
}
