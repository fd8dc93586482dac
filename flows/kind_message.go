package flows

// messageKind says its messages and moves to Next without waiting.
type messageKind struct{ passKind }

func (messageKind) validate(v *validator, n *Node) {
	v.target("next", n.Next)
	switch n.Helped {
	case "", "yes", "no":
	default:
		v.add("helped %q: yes or no", n.Helped)
	}
	if n.Helped != "" && v.f.Schema < 2 {
		v.add("helped needs schema 2")
	}
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
	if n.Helped != "" {
		st.event(EventHelped + n.Helped)
	}
	keys := n.Say
	if n.Name == st.e.flow.Start {
		keys = st.welcomeLanguages(keys)
	}
	st.say(keys...)
	return n.Next, true
}

// welcomeLanguages adds to the welcome, in each other language on, the line that says
// how to switch to it: the choice is offered to everyone, in the same way.
func (st *stepper) welcomeLanguages(keys []string) []string {
	return append(append([]string(nil), keys...), WelcomeKeys(st.e.welcomes, st.s.Lang)...)
}

// WelcomeKeys returns the welcome's language lines (language.welcome.xx keys, one per
// language on) without the one of lang, the language the welcome is said in.
func WelcomeKeys(welcomes []string, lang string) []string {
	var out []string
	for _, k := range welcomes {
		if k != KeyLanguageWelcome+lang {
			out = append(out, k)
		}
	}
	return out
}
