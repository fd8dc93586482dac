package flows_test

import (
	"strings"
	"testing"
	"time"

	"github.com/faro-chat/faro/flows"
	"github.com/faro-chat/faro/flows/understand"
)

// TestDyingSaidAlone: «me muero», «im dying», «vou morrer» said alone got «no te
// entendí» (the model has seen «dying» in idioms and phones). Her body or her will to
// live: one question before the numbers, and at that question, the numbers. With what
// she dies of, or for, it is the idiom, read as before.
func TestDyingSaidAlone(t *testing.T) {
	e, _ := realEngine(t)
	for _, text := range []string{
		"me muero", "me estoy muriendo", "creo q me estoy muriendo", "siento q me voy a morir", "me muero ya",
		"im dying", "i think im dying", "i feel like im gonna die", "im going to die", "vou morrer",
		"acho que vou morrer", "to morrendo", "estou morrendo, socorro", "me muero 😭",
		// of pain, fear, sadness: no idiom
		"me muero de dolor", "me estoy muriendo de miedo", "me muero de tanta tristeza", "im dying of pain",
		"to morrendo de medo", "me muero de la angustia",
		// her own dying beside her phone's (these got «no te entendí»): she too counts
		"my phone is dying and so am i", "im dying, low battery", "phone at 2% and im dying",
		"my phone is dying and i am too", "el cel se me muere y yo tambien", "sin bateria y yo tambien me muero",
		"me muero y se me acaba la bateria", "meu celular ta morrendo e eu tambem", "to morrendo e sem bateria",
		"estoy sin saldo y me estoy muriendo",
	} {
		if p := e.Understand(text); !understand.IsSafety(p.Intent) {
			t.Errorf("«%s»: %s, want the numbers or the one question", text, p.Intent)
		}
	}
	for _, text := range []string{
		"me muero de risa", "me muero de hambre jaja", "me muero por verte", "dying to see you",
		"im dying of laughter", "to morrendo de rir", "my phone is dying, ill text later", "me muero de sueño",
		// the phone alone dying, whoever says «I» about something else
		"my phone is gonna die", "my phone is dying, i am going to charge it", "el cel se me muere, ya vuelvo",
		"mi celular se esta muriendo", "meu celular vai morrer, depois falo",
	} {
		if p := e.Understand(text); understand.IsSafety(p.Intent) {
			t.Errorf("«%s»: %s, want the idiom read as before", text, p.Intent)
		}
	}
	now := time.Date(2026, 12, 3, 23, 0, 0, 0, time.UTC)
	at := flows.Session{Lang: "es", Node: e.Flow().DangerCheck, Stack: []string{"home"}}
	if _, replies, _ := e.Step(at, flows.Input{Kind: flows.InputText, Text: "me muero", Now: now}); !hasKey(replies, "emergency.intro") {
		t.Errorf("«me muero» at the danger question: replies %v, want the numbers", replies)
	}
	// «no» at the question goes to what she dies of: her health for pain, how she feels
	// for fear or sadness
	home := flows.Session{Lang: "es", Node: "home"}
	for text, want := range map[string]string{"me muero de dolor": "health", "me muero de miedo": "feelings"} {
		s, _, _ := e.Step(home, flows.Input{Kind: flows.InputText, Text: text, Now: now})
		if s, _, _ = e.Step(s, flows.Input{Kind: flows.InputText, Text: "no", Now: now}); !strings.HasPrefix(s.Node, want) {
			t.Errorf("«%s», then «no»: at %s, want %s", text, s.Node, want)
		}
	}
}
