package flows

// messageKind says its messages and moves to Next without waiting.
type messageKind struct{ passKind }

func (messageKind) validate(v *validator, n *Node) {
	v.target("next", n.Next)
	if n.Event == "" {
		return
	}
	if v.f.Schema < 2 {
		v.add("event needs schema 2")
	}
	for _, c := range n.Event {
		if (c < 'a' || c > 'z') && c != '_' {
			v.add("event %q: lower-case letters and _ only", n.Event)
			break
		}
	}
}

func (messageKind) pass(st *stepper, n *Node) (string, bool) {
	if n.Event != "" {
		st.effects = append(st.effects, Effect{Kind: EffectEvent, Topic: n.Event})
	}
	st.say(n.Say...)
	return n.Next, true
}
