package flows

// eraseKind asks to confirm, then erases everything about the user (an Effect).
type eraseKind struct{ baseKind }

func (eraseKind) validate(v *validator, n *Node) {
	v.target("next", n.Next)
	if n.Confirm == "" || n.Cancel == "" || n.Done == "" {
		v.add("erase node needs confirm, cancel and done")
	}
}

func (eraseKind) options(_ *stepper, n *Node) []ReplyOption { return yesNoOptions(n) }

func (eraseKind) choose(st *stepper, n *Node, i int) bool {
	switch i {
	case 0:
		st.effects = append(st.effects, Effect{Kind: EffectErase})
		st.s = Session{Lang: st.s.Lang}
		st.varsCopy = false
		st.say(n.Done)
		return true
	case 1:
		st.command(cmdBack)
		return true
	}
	return false
}

func (eraseKind) answer(st *stepper, n *Node, t *text, r reading) bool {
	return answerYesNo(st, n, t, r)
}

// yesNoOptions are the two buttons of a yes/no node: Confirm, then Cancel.
func yesNoOptions(n *Node) []ReplyOption {
	return []ReplyOption{
		{Label: n.Confirm, Payload: payloadFor(n.Name, 0)},
		{Label: n.Cancel, Payload: payloadFor(n.Name, 1)},
	}
}

// answerYesNo picks the option a yes/no node's answer names: its label, or any way of
// saying yes or no ("si", "dale", "nop").
func answerYesNo(st *stepper, n *Node, t *text, r reading) bool {
	if i := st.matchOption(n, t); i >= 0 {
		return kindOf(n).choose(st, n, i)
	}
	switch r.intent {
	case "yes":
		return kindOf(n).choose(st, n, 0)
	case "no":
		return kindOf(n).choose(st, n, 1)
	}
	return false
}
