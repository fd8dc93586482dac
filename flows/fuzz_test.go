package flows_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/faro-chat/faro/flows"
)

// FuzzStep sends arbitrary text and button payloads to every kind of node: the engine
// must always answer, never panic, never leave the flow, and never lose the emergency
// interrupt.
func FuzzStep(f *testing.F) {
	e, texts := realEngine(f)
	var nodes []string
	for name := range e.Flow().Nodes {
		nodes = append(nodes, name)
	}
	for _, s := range []string{"hola", "1", "auxilio", "me estan pegadno", "🆘", "0", "atrás", "borrar", "sjl", "[home#3]", "\x00\xff", strings.Repeat("a", 5000), strings.Repeat("una historia larga ", 200)} {
		f.Add(s, uint8(0))
	}
	f.Fuzz(func(t *testing.T, typed string, which uint8) {
		node := nodes[int(which)%len(nodes)]
		s := flows.Session{Lang: "es", Node: node, Vars: map[string]string{"category": "violence", "place": "150132"}}
		in := flows.Input{Kind: flows.InputText, Text: typed, Now: transcriptNow}
		if strings.HasPrefix(typed, "[") {
			in.Payload = strings.Trim(typed, "[]")
		}
		next, replies, _ := e.Step(s, in)
		if len(replies) == 0 {
			t.Fatalf("no reply to %q at %s", typed, node)
		}
		if next.Node != "" && e.Flow().Nodes[next.Node] == nil {
			t.Fatalf("%q at %s moved to unknown node %q", typed, node, next.Node)
		}
		if m := flows.Render(texts, next.Lang, replies); strings.TrimSpace(m.Text) == "" {
			t.Fatalf("empty reply to %q at %s", typed, node)
		}
		// whatever else is typed, "auxilio" added to it is a call for help (within the
		// length a chat message can have)
		if utf8.RuneCountInString(typed) > 3500 {
			return
		}
		_, replies, _ = e.Step(s, flows.Input{Kind: flows.InputText, Text: typed + " auxilio", Now: transcriptNow})
		if m := flows.Render(texts, "es", replies); !strings.Contains(m.Text, "100") {
			t.Fatalf("%q + auxilio at %s did not give the emergency numbers", typed, node)
		}
	})
}
