package flows

// languageKind offers the available languages and sets the session's language.
type languageKind struct{ baseKind }

func (languageKind) validate(v *validator, n *Node) { v.target("next", n.Next) }

func (languageKind) options(st *stepper, n *Node) []ReplyOption {
	opts := make([]ReplyOption, len(st.e.langs))
	for i, l := range st.e.langs {
		opts[i] = ReplyOption{Label: st.e.langNames[l], Literal: true, Payload: payloadFor(n.Name, i)}
	}
	return opts
}

func (languageKind) choose(st *stepper, n *Node, i int) bool {
	if i >= len(st.e.langs) {
		return false
	}
	st.s.Lang = st.e.langs[i]
	st.setVar(varChosen, "1")
	st.say(KeyLanguageChange)
	st.enter(n.Next)
	return true
}

func (languageKind) answer(st *stepper, n *Node, t *text, _ reading) bool {
	if i := st.matchOption(n, t); i >= 0 {
		return st.choose(n, i)
	}
	return false
}
