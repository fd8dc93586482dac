package flows

// confirmKind asks a yes/no question ("¿Estás en peligro ahora?"): yes goes to Next;
// no goes on to what else the message was about, or back where the person was.
type confirmKind struct{ baseKind }

func (confirmKind) validate(v *validator, n *Node) {
	v.target("next", n.Next)
	if n.Confirm == "" || n.Cancel == "" {
		v.add("confirm node needs confirm and cancel labels")
	}
}

func (confirmKind) options(_ *stepper, n *Node) []ReplyOption { return yesNoOptions(n) }

func (confirmKind) choose(st *stepper, n *Node, i int) bool {
	then := st.s.Vars[varThen]
	st.setVar(varThen, "")
	switch i {
	case 0:
		st.enter(n.Next)
		return true
	case 1:
		if (n.Name == st.e.flow.DangerCheck || n.Name == st.e.flow.CrisisCheck) && st.filePending() {
			return true // a report read as maybe danger: filed, and thanks
		}
		if then != "" {
			st.jump(then, false)
		} else {
			st.command(cmdBack)
		}
		if n.Name == st.e.flow.DangerCheck || n.Name == st.e.flow.CrisisCheck {
			st.checkedAt()
		}
		return true
	}
	return false
}

func (k confirmKind) answer(st *stepper, n *Node, t *text, r reading) bool {
	if r.sad && (n.Name == st.e.flow.DangerCheck || n.Name == st.e.flow.CrisisCheck) {
		return k.choose(st, n, 0) // a sad face at «¿te hace falta ayuda ahora?»: yes
	}
	return answerYesNo(st, n, t, r)
}
