package flows_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/faro-chat/faro/flows"
)

// BenchmarkStep measures one message through the engine alone, for the inputs a person
// sends most: a number in a menu, a typed label, a typo'd call for help, and free text
// that matches nothing (the slowest path: every matcher runs).
func BenchmarkStep(b *testing.B) {
	e, _ := realEngine(b)
	home := flows.Session{Lang: "es", Node: "home"}
	violence := flows.Session{Lang: "es", Node: "violence_menu", Stack: []string{"home"}}
	cases := []struct {
		name string
		s    flows.Session
		text string
	}{
		{"number", home, "4"},
		{"label", home, "mis derechos"},
		{"emergency_typo", violence, "me estan pegadno"},
		{"unknown_text", violence, "quería preguntar algo que me pasó ayer con un cliente"},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			in := flows.Input{Kind: flows.InputText, Text: c.text, Now: transcriptNow}
			b.ReportAllocs()
			for b.Loop() {
				e.Step(c.s, in)
			}
		})
	}
}

// BenchmarkBaselineLowerFields is the baseline for BenchmarkStep, measured in the same
// run: the least any bot does with a message — lower-case it and split it into words —
// on the same texts.
func BenchmarkBaselineLowerFields(b *testing.B) {
	for _, text := range []string{"4", "mis derechos", "me estan pegadno", "quería preguntar algo que me pasó ayer con un cliente"} {
		b.Run(strconv.Itoa(len(text)), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = strings.Fields(strings.ToLower(text))
			}
		})
	}
}

// worstInputs are crafted messages of about 4,000 characters that make the engine do
// the most work: every word a near-miss of a vocabulary word (typo search), a word
// with no spaces, words of danger at the end of a long story, numbers and emoji.
func worstInputs() map[string]string {
	words := strings.Fields("ayuda pegar golpe policía cliente derechos denuncia hospital peligro matar violencia pago")
	var typo, story, nums, short strings.Builder
	for i := 0; typo.Len() < 4000; i++ {
		w := words[i%len(words)]
		typo.WriteString(w[:len(w)-1] + "x" + " ")
	}
	for story.Len() < 3950 {
		story.WriteString("ayer fui a la casa de una amiga y hablamos mucho ")
	}
	story.WriteString("y ahora me quiere matar")
	for i := 0; nums.Len() < 4000; i++ {
		nums.WriteString(strconv.Itoa(i%10) + " 🙏 ")
	}
	for short.Len() < 4000 {
		short.WriteString("a e i o u ")
	}
	return map[string]string{
		"typos":   typo.String(),
		"oneword": strings.Repeat("abcdefghij", 400),
		"story":   story.String(),
		"numbers": nums.String(),
		"short":   short.String(),
		"accents": strings.Repeat("ñáéíóú ", 570),
	}
}

// BenchmarkStepWorst measures the crafted worst messages (issue 12: no message may
// cost more than 200 µs of engine CPU, whatever its content).
func BenchmarkStepWorst(b *testing.B) {
	e, _ := realEngine(b)
	s := flows.Session{Lang: "es", Node: "violence_menu", Stack: []string{"home"}}
	for name, text := range worstInputs() {
		b.Run(name, func(b *testing.B) {
			in := flows.Input{Kind: flows.InputText, Text: text, Now: transcriptNow}
			b.ReportAllocs()
			for b.Loop() {
				e.Step(s, in)
			}
		})
	}
}
