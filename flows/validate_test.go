package flows_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/faro-chat/faro/flows"
)

const goodFlow = `
schema: 1
start: hello
home: home
emergency: sos
operator: person
language: lang
erase: erase
nodes:
  hello: {kind: message, say: [a], next: home}
  home:
    kind: menu
    say: [b]
    options:
      - {label: c, goto: sos}
      - {label: d, goto: ask}
  ask: {kind: ask, say: [e], input: text, var: name, next: home}
  sos: {kind: lines, say: [f], tags: [emergency], next: home}
  person: {kind: handoff, say: [g], next: home}
  lang: {kind: language, say: [h], next: home}
  erase: {kind: erase, say: [i], confirm: j, cancel: k, done: l, next: home}
`

func TestValidateAcceptsAGoodFlow(t *testing.T) {
	f, err := flows.Parse([]byte(goodFlow))
	if err != nil {
		t.Fatal(err)
	}
	if ps := f.Validate(); len(ps) != 0 {
		t.Fatalf("a good flow has problems: %v", ps)
	}
}

// TestValidateFindsProblems breaks the good flow one way at a time; each break must be
// reported, naming the node.
func TestValidateFindsProblems(t *testing.T) {
	cases := []struct {
		name, from, to, want string
	}{
		{"schema", "schema: 1", "schema: 3", "schema is 3"},
		{"offline needs schema 2", "{kind: handoff,", "{kind: handoff, offline: home,", "offline needs schema 2"},
		{"offline must exist", "{kind: handoff,", "{kind: handoff, offline: nowhere,", `offline "nowhere" does not exist`},
		{"dangling goto", "goto: ask}", "goto: nowhere}", `option 2 goto "nowhere" does not exist`},
		{"dangling next", "var: name, next: home}", "var: name, next: gone}", `next "gone" does not exist`},
		{"unknown kind", "{kind: handoff,", "{kind: teleport,", `unknown kind "teleport"`},
		{"unreachable", "      - {label: d, goto: ask}\n", "", "node ask: unreachable"},
		{"loop without input", "hello: {kind: message, say: [a], next: home}", "hello: {kind: message, say: [a], next: hello}", "loop without input"},
		{"emergency must be lines", "emergency: sos", "emergency: home", "want lines"},
		{"ask needs input kind", "input: text", "input: voice", `input is "voice"`},
		{"erase needs its labels", "confirm: j, ", "", "needs confirm, cancel and done"},
		{"queue needs schema 2", "{kind: handoff,", "{kind: handoff, queue: true,", "queue needs schema 2"},
		{"event needs schema 2", "{kind: message, say: [a], next: home}", "{kind: message, event: rated, say: [a], next: home}", "event needs schema 2"},
		{"event name", "{kind: message, say: [a], next: home}", "{kind: message, event: Rated-Good, say: [a], next: home}", "lower-case letters and _ only"},
		{"rate must be a menu", "erase: erase\n", "erase: erase\nrate: sos\n", `rate: node "sos" must exist and be a menu node`},
		{"answers must be a services node", "  home:\n    kind: menu\n", "  home:\n    kind: menu\n    answers: sos\n", `answers "sos": must be a services node`},
		{"answers must exist", "  home:\n    kind: menu\n", "  home:\n    kind: menu\n    answers: nowhere\n", `answers "nowhere": must be a services node`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := strings.Replace(goodFlow, c.from, c.to, 1)
			if src == goodFlow {
				t.Fatalf("the case does not change the flow (%q not found)", c.from)
			}
			f, err := flows.Parse([]byte(src))
			if err != nil {
				t.Fatal(err)
			}
			var all []string
			for _, p := range f.Validate() {
				all = append(all, p.Error())
			}
			if !strings.Contains(strings.Join(all, "\n"), c.want) {
				t.Fatalf("want a problem containing %q, got %q", c.want, all)
			}
		})
	}
}

func TestValidateLimitsOptions(t *testing.T) {
	var b strings.Builder
	b.WriteString(strings.Replace(goodFlow, "      - {label: d, goto: ask}\n", "", 1))
	src := b.String()
	extra := ""
	for range 10 {
		extra += "      - {label: d, goto: ask}\n"
	}
	src = strings.Replace(src, "      - {label: c, goto: sos}\n", "      - {label: c, goto: sos}\n"+extra, 1)
	f, err := flows.Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, p := range f.Validate() {
		found = found || strings.Contains(p.Error(), "11 options, at most 10")
	}
	if !found {
		t.Fatal("a menu of 11 options must be rejected")
	}
}

func TestParseRejectsUnknownFields(t *testing.T) {
	if _, err := flows.Parse([]byte(strings.Replace(goodFlow, "start: hello", "start: hello\nstrat: x", 1))); err == nil {
		t.Fatal("a misspelt field must be an error, not ignored")
	}
}

// TestStepIsPure: the same session and input give the same result, and the session
// passed in is never modified (its map and stack are shared with the caller).
func TestStepIsPure(t *testing.T) {
	e, _ := realEngine(t)
	s := flows.Session{Lang: "es", Node: "services_after", Stack: []string{"home", "services_menu"},
		Vars: map[string]string{"place": "150132", "category": "violence", "name": "Ana"}}
	before := clone(s)
	for _, text := range []string{"1", "2", "3", "atrás", "auxilio", "borrar", "0", "idioma"} {
		in := flows.Input{Kind: flows.InputText, Text: text, Now: transcriptNow}
		s1, r1, e1 := e.Step(s, in)
		s2, r2, e2 := e.Step(s, in)
		if !reflect.DeepEqual(s1, s2) || !reflect.DeepEqual(r1, r2) || !reflect.DeepEqual(e1, e2) {
			t.Errorf("Step(%q) is not deterministic", text)
		}
		if !reflect.DeepEqual(s, before) {
			t.Fatalf("Step(%q) modified the session passed in: %+v, was %+v", text, s, before)
		}
	}
}

func clone(s flows.Session) flows.Session {
	c := s
	c.Stack = append([]string(nil), s.Stack...)
	c.Vars = map[string]string{}
	for k, v := range s.Vars {
		c.Vars[k] = v
	}
	return c
}

// TestEveryNodeAnswersEveryKindOfInput enters every node of the shipped flow and sends
// it each kind of input: no step may panic, end without a reply, or leave the session
// on a node that does not exist.
func TestEveryNodeAnswersEveryKindOfInput(t *testing.T) {
	e, texts := realEngine(t)
	inputs := []flows.Input{
		{Kind: flows.InputText, Text: "1"}, {Kind: flows.InputText, Text: "10"}, {Kind: flows.InputText, Text: "xyz"},
		{Kind: flows.InputText, Text: ""}, {Kind: flows.InputText, Text: "lima"}, {Kind: flows.InputMedia},
		{Kind: flows.InputLocation, Lat: -12.05, Lon: -77.04}, {Kind: flows.InputLocation, Lat: 40.4, Lon: -3.7},
		{Kind: flows.InputStart}, {Kind: flows.InputText, Payload: "home#99"}, {Kind: flows.InputText, Payload: "nonsense"},
		{Kind: flows.InputText, Text: "auxilio"},
	}
	f := e.Flow()
	for name := range f.Nodes {
		for _, in := range inputs {
			in.Now = transcriptNow
			s := flows.Session{Lang: "es", Node: name, Vars: map[string]string{"category": "health"}}
			next, replies, _ := e.Step(s, in)
			if len(replies) == 0 {
				t.Errorf("node %s, input %+v: no reply", name, in)
			}
			if next.Node != "" && f.Nodes[next.Node] == nil {
				t.Errorf("node %s, input %+v: moved to unknown node %q", name, in, next.Node)
			}
			m := flows.Render(texts, next.Lang, replies)
			if strings.TrimSpace(m.Text) == "" || strings.Contains(m.Text, "<no value>") {
				t.Errorf("node %s, input %+v: bad text %q", name, in, m.Text)
			}
			if in.Text == "auxilio" && !strings.Contains(m.Text, "100") {
				t.Errorf("node %s: the emergency interrupt did not give the numbers", name)
			}
		}
	}
}
