package flows

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"

	"go.yaml.in/yaml/v3"
)

//go:embed *.yaml
var embedded embed.FS

// Embedded returns the flow files compiled into the binary.
func Embedded() fs.FS { return embedded }

// DefaultFile is the flow file Faro runs.
const DefaultFile = "main.yaml"

// Load reads and validates one flow file from fsys. Unknown fields are errors, so a
// typo in a flow fails at start-up and in `faro check`, not in a conversation.
func Load(fsys fs.FS, name string) (*Flow, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("read flow %s: %w", name, err)
	}
	f, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("flow %s: %w", name, err)
	}
	if problems := f.Validate(); len(problems) > 0 {
		errs := make([]error, len(problems))
		for i, p := range problems {
			errs[i] = p
		}
		return nil, fmt.Errorf("flow %s: %w", path.Base(name), errors.Join(errs...))
	}
	return f, nil
}

// Parse decodes a flow from YAML without validating it (see Validate).
func Parse(data []byte) (*Flow, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var f Flow
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("parse yaml: %w", err)
	}
	for name, n := range f.Nodes {
		if n == nil {
			return nil, fmt.Errorf("node %q is empty", name)
		}
		n.Name = name
	}
	return &f, nil
}

// Problem is one thing wrong with a flow, named precisely enough to fix it.
type Problem struct {
	Node    string
	Message string
}

// Error says the problem, with its node.
func (p Problem) Error() string {
	if p.Node == "" {
		return p.Message
	}
	return "node " + p.Node + ": " + p.Message
}

// Limits of the channels that content must respect.
const (
	MaxOptions     = 10   // WhatsApp list messages show at most 10 rows
	MaxLabelRunes  = 24   // WhatsApp list row title
	MaxMessageRune = 1600 // a Twilio WhatsApp message body
)

// waits tells whether entering a node of this kind waits for the user.
func waits(kind string) bool {
	k, ok := kinds[kind]
	return !ok || k.waits()
}

// Validate checks the structure of a flow: schema, kinds and their fields, that every
// target exists, that every node is reachable and that no loop runs without input.
// Texts are checked by CheckTexts.
func (f *Flow) Validate() []Problem {
	var ps []Problem
	add := func(node, format string, args ...any) {
		ps = append(ps, Problem{Node: node, Message: fmt.Sprintf(format, args...)})
	}
	if f.Schema < MinSchemaVersion || f.Schema > SchemaVersion {
		add("", "schema is %d, this engine reads schemas %d to %d", f.Schema, MinSchemaVersion, SchemaVersion)
	}
	if len(f.Nodes) == 0 {
		add("", "no nodes")
		return ps
	}
	for _, g := range []struct{ field, name, kind string }{
		{"start", f.Start, ""}, {"home", f.Home, KindMenu}, {"emergency", f.Emergency, KindLines},
		{"operator", f.Operator, KindHandoff}, {"language", f.Language, KindLanguage}, {"erase", f.Erase, KindErase},
	} {
		n, ok := f.Nodes[g.name]
		switch {
		case g.name == "":
			add("", "%s: no node named", g.field)
		case !ok:
			add("", "%s: node %q does not exist", g.field, g.name)
		case g.kind != "" && n.Kind != g.kind:
			add("", "%s: node %q is a %s node, want %s", g.field, g.name, n.Kind, g.kind)
		}
	}
	if f.Rate != "" {
		if n, ok := f.Nodes[f.Rate]; !ok || n.Kind != KindMenu {
			add("", "rate: node %q must exist and be a menu node", f.Rate)
		}
		if f.Schema < 2 {
			add("", "rate needs schema 2")
		}
	}
	if _, ok := f.Nodes[f.Nearby]; f.Nearby != "" && !ok {
		add("", "nearby: node %q does not exist", f.Nearby)
	}
	if n, ok := f.Nodes[f.CannotCall]; f.CannotCall != "" && (!ok || n.Kind != KindLines) {
		add("", "cannot_call: node %q must exist and be a lines node", f.CannotCall)
	}
	if n, ok := f.Nodes[f.Crisis]; f.Crisis != "" && (!ok || n.Kind != KindLines) {
		add("", "crisis: node %q must exist and be a lines node", f.Crisis)
	}
	if n, ok := f.Nodes[f.Help]; f.Help != "" && !ok {
		add("", "help: node %q does not exist", f.Help)
	} else if ok && !waits(n.Kind) && n.Kind != KindMessage {
		add("", "help: node %q must be a message or a node that waits", f.Help)
	}
	for _, c := range []struct{ field, name string }{{"danger_check", f.DangerCheck}, {"crisis_check", f.CrisisCheck}} {
		if n, ok := f.Nodes[c.name]; c.name != "" && (!ok || n.Kind != KindConfirm) {
			add("", "%s: node %q must exist and be a confirm node", c.field, c.name)
		}
	}
	seen := map[string]bool{}
	for i, in := range f.Intents {
		if in.Intent == "" {
			add("", "intent %d: no intent named", i+1)
		}
		// an intent has one entry without words (its own node), and any pages named by
		// their words (Intent.Words), each once
		key := in.Intent + "\x00" + in.Words
		if seen[key] {
			add("", "intent %d: %q is listed twice", i+1, in.Intent)
		}
		seen[key] = true
		if _, ok := f.Nodes[in.Goto]; !ok {
			add("", "intent %d (%s): goto %q does not exist", i+1, in.Intent, in.Goto)
		}
	}
	for _, name := range f.nodeNames() {
		ps = append(ps, f.validateNode(f.Nodes[name])...)
	}
	ps = append(ps, f.unreachable()...)
	ps = append(ps, f.loopsWithoutInput()...)
	return ps
}

func (f *Flow) nodeNames() []string {
	names := make([]string, 0, len(f.Nodes))
	for name := range f.Nodes {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

func (f *Flow) validateNode(n *Node) []Problem {
	v := &validator{f: f, n: n}
	if len(n.Say) == 0 && n.Kind != KindLines {
		v.add("says nothing (say is empty)")
	}
	kindOf(n).validate(v, n)
	return v.ps
}

// edges lists the nodes a node can lead to.
func (f *Flow) edges(n *Node) []string {
	var out []string
	if n.Next != "" {
		out = append(out, n.Next)
	}
	if n.Offline != "" {
		out = append(out, n.Offline)
	}
	for _, o := range n.Options {
		out = append(out, o.Goto)
	}
	return out
}

func (f *Flow) unreachable() []Problem {
	seen := map[string]bool{}
	queue := []string{f.Start, f.Home, f.Emergency, f.Operator, f.Language, f.Erase, f.Nearby, f.Crisis, f.Help, f.DangerCheck, f.CrisisCheck, f.Rate, f.CannotCall}
	for _, in := range f.Intents {
		queue = append(queue, in.Goto)
	}
	for len(queue) > 0 {
		name := queue[0]
		queue = queue[1:]
		n, ok := f.Nodes[name]
		if !ok || seen[name] {
			continue
		}
		seen[name] = true
		queue = append(queue, f.edges(n)...)
	}
	var ps []Problem
	for _, name := range f.nodeNames() {
		if !seen[name] {
			ps = append(ps, Problem{Node: name, Message: "unreachable: no start, command, intent, option or next leads here"})
		}
	}
	return ps
}

// passesThrough tells whether entering a node may move on without input.
func passesThrough(n *Node) bool {
	return !waits(n.Kind) || (n.Kind == KindAsk && n.SkipIf != "")
}

// loopsWithoutInput finds cycles of next edges through nodes that do not wait: the
// engine would go round them forever (it stops after a bound, but that is a bug).
func (f *Flow) loopsWithoutInput() []Problem {
	var ps []Problem
	for _, name := range f.nodeNames() {
		seen := map[string]bool{}
		cur := f.Nodes[name]
		for cur != nil && passesThrough(cur) {
			if seen[cur.Name] {
				if cur.Name == name {
					ps = append(ps, Problem{Node: name, Message: "loop without input: next edges come back here without waiting for the user"})
				}
				break
			}
			seen[cur.Name] = true
			cur = f.Nodes[cur.Next]
		}
	}
	return ps
}

// Keys lists every locale key the flow uses, sorted, with the nodes that use it.
func (f *Flow) Keys() map[string][]string {
	keys := map[string][]string{}
	add := func(key, where string) {
		if key != "" {
			keys[key] = append(keys[key], where)
		}
	}
	for _, name := range f.nodeNames() {
		n := f.Nodes[name]
		for _, k := range n.Say {
			add(k, name)
		}
		for _, o := range n.Options {
			add(o.Label, name)
			add(o.Words, name)
		}
		add(n.Confirm, name)
		add(n.Cancel, name)
		add(n.Done, name)
	}
	for _, in := range f.Intents {
		add(in.Words, "intents")
	}
	return keys
}
