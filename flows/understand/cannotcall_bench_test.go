package understand

import "testing"

// BenchmarkCallTroubleOf is what reading a message for a reason not to call costs: a
// message about something else (most), and one that says it.
func BenchmarkCallTroubleOf(b *testing.B) {
	for _, c := range []struct{ name, text string }{
		{"other", "quería preguntar algo que me pasó ayer con un cliente, no sé qué hacer"},
		{"says_it", "el cliente me tiene encerrada y no puedo llamar xq me escucha"},
	} {
		tokens := Tokens(Normalize(c.text))
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				CallTroubleOf(tokens)
			}
		})
	}
}
