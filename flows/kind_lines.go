package flows

// linesKind says its messages and the phone lines tagged Tags, then moves to Next. When
// the session knows the place, an emergency adds the nearest 24-hour service with a
// phone, and urgent health the nearest hospitals with emergency care.
type linesKind struct{ passKind }

func (linesKind) validate(v *validator, n *Node) {
	v.target("next", n.Next)
	if len(n.Tags) == 0 {
		v.add("lines node without tags")
	}
}

func (linesKind) pass(st *stepper, n *Node) (string, bool) {
	st.replies = append(st.replies, Reply{Keys: n.Say, Vars: st.vars(), Cards: st.e.dir.Lines(st.s.Lang, n.Tags, st.s.Vars[VarPlace])})
	st.nearest(n)
	return n.Next, true
}
