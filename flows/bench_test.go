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
