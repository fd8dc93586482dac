package flows

import "fmt"

// nodeKind is what one kind of node does. Each kind lives in its own file
// (kind_<name>.go) and is listed in kinds; the engine asks the kind, never switches on
// it.
type nodeKind interface {
	// validate reports what is wrong with a node of this kind.
	validate(v *validator, n *Node)
	// waits tells whether entering the node waits for the user.
	waits() bool
	// pass carries out a node that does not wait for the user (or an ask node with its
	// answer already known) and returns the node to go on to; ok is false when the node
	// waits and is to be prompted.
	pass(st *stepper, n *Node) (next string, ok bool)
	// options are the choices a waiting node offers.
	options(st *stepper, n *Node) []ReplyOption
	// choose carries out option i (0-based, in the node's own order).
	choose(st *stepper, n *Node, i int) bool
	// answer handles text meant for the node: an option's words, a name, a place.
	answer(st *stepper, n *Node, t *text, r reading) bool
}

// kinds lists the node kinds by name.
var kinds = map[string]nodeKind{
	KindMessage:  messageKind{},
	KindMenu:     menuKind{},
	KindAsk:      askKind{},
	KindLines:    linesKind{},
	KindServices: servicesKind{},
	KindHandoff:  handoffKind{},
	KindLanguage: languageKind{},
	KindErase:    eraseKind{},
	KindConfirm:  confirmKind{},
	KindEntries:  entriesKind{},
	KindFeedback: feedbackKind{},
}

// kindOf returns the kind of a node; an unknown kind (rejected at load) does nothing.
func kindOf(n *Node) nodeKind {
	if k, ok := kinds[n.Kind]; ok {
		return k
	}
	return baseKind{}
}

// baseKind is what a kind does unless it says otherwise: it waits and offers nothing.
type baseKind struct{}

func (baseKind) validate(v *validator, n *Node)              { v.add("unknown kind %q", n.Kind) }
func (baseKind) waits() bool                                 { return true }
func (baseKind) pass(*stepper, *Node) (string, bool)         { return "", false }
func (baseKind) options(*stepper, *Node) []ReplyOption       { return nil }
func (baseKind) choose(*stepper, *Node, int) bool            { return false }
func (baseKind) answer(*stepper, *Node, *text, reading) bool { return false }

// passKind is a kind that says something and moves on without waiting.
type passKind struct{ baseKind }

func (passKind) waits() bool { return false }

// validator collects the problems of one node.
type validator struct {
	f  *Flow
	n  *Node
	ps []Problem
}

func (v *validator) add(format string, args ...any) {
	v.ps = append(v.ps, Problem{Node: v.n.Name, Message: fmt.Sprintf(format, args...)})
}

// target checks that a field names an existing node.
func (v *validator) target(field, name string) {
	if name == "" {
		v.add("%s is missing", field)
	} else if _, ok := v.f.Nodes[name]; !ok {
		v.add("%s %q does not exist", field, name)
	}
}
