package flows

// messageKind says its messages and moves to Next without waiting.
type messageKind struct{ passKind }

func (messageKind) validate(v *validator, n *Node) { v.target("next", n.Next) }

func (messageKind) pass(st *stepper, n *Node) (string, bool) {
	st.say(n.Say...)
	return n.Next, true
}
