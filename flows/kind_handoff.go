package flows

// handoffKind asks for a human operator (an Effect) when one is online, and moves to
// Next; when nobody is, it goes to Offline (schema 2), or says that nobody is and gives
// the emergency lines, then moves to Next.
type handoffKind struct{ passKind }

func (handoffKind) validate(v *validator, n *Node) {
	v.target("next", n.Next)
	if n.Offline == "" {
		return
	}
	if v.f.Schema < 2 {
		v.add("offline needs schema 2")
	}
	v.target("offline", n.Offline)
}

func (handoffKind) pass(st *stepper, n *Node) (string, bool) {
	e := st.e
	if st.in.OperatorsOnline {
		st.effects = append(st.effects, Effect{Kind: EffectHandoff, Topic: n.Topic})
		st.say(n.Say...)
		return n.Next, true
	}
	st.effects = append(st.effects, Effect{Kind: EffectEvent, Topic: EventHandoffOffline})
	if n.Offline != "" {
		return n.Offline, true
	}
	em := e.flow.Nodes[e.flow.Emergency]
	st.replies = append(st.replies, Reply{Keys: []string{KeyHandoffOffline}, Vars: st.vars(), Cards: e.dir.Lines(st.s.Lang, em.Tags)})
	return n.Next, true
}
