package flows

import (
	"strings"
	"unicode"

	"github.com/faro-chat/faro/flows/understand"
)

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
	then, yes := st.s.Vars[varThen], st.checkYes(n)
	st.setVar(varThen, "")
	switch i {
	case 0:
		st.enter(yes)
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
	if n.Name != st.e.flow.DangerCheck && n.Name != st.e.flow.CrisisCheck {
		return answerYesNo(st, n, t, r)
	}
	// «¿te hace falta ayuda ahora?»: any sign of yes is yes (the numbers); no is taken
	// when said, never guessed
	switch typed := st.equalsOption(n, t); {
	case r.sad:
		return k.choose(st, n, 0) // a sad face: yes
	case typed >= 0:
		return k.choose(st, n, typed) // "Sí", "No" typed (not "no sé" for No)
	case r.rule != "model" && (r.intent == "yes" || r.intent == "no"):
		return answerYesNo(st, n, t, r)
	case r.rule == ruleBusyAlone:
		st.unknown(n) // "estoy manejando": neither yes nor no; the question again, with its buttons
		return true
	case understand.SafeButStill(t.tokens):
		return k.choose(st, n, 0) // "ya estoy bien pero todavía me sigue": yes
	case understand.SafeAnswer(t.tokens) || len(t.tokens) > 1 && answeredFirst(st.in.Text) && noFirst[t.tokens[0]] && understand.SafeAnswer(t.tokens[1:]):
		return k.choose(st, n, 1) // "no, ya estoy bien", "no, estoy bien", "ya estoy en mi casa", "fue ayer"
	case len(t.tokens) > 0 && yesFirst[t.tokens[0]] || r.intent == "yes":
		return k.choose(st, n, 0) // "si porfa ayudame", "sisi", "uhum"
	case r.intent == "no" && r.prob >= checkSure && len(t.tokens) > 0 && noFirst[t.tokens[0]] && !(understand.NotWell(t.tokens) && !answeredFirst(st.in.Text)):
		return k.choose(st, n, 1) // "no x ahorita", "nao ta tudo bem"; not "im not ok", "não estou bem"
	case r.intent != "no" && r.prob >= checkSure:
		return false // another topic, clearly: she goes on with it
	}
	st.unknown(n) // a guess: the question again, with its buttons
	return true
}

// checkYes is where yes to n goes: its next node, or, at the danger or crisis question
// asked of a message that also gave a reason not to call («está abajo y yo sin
// saldo»), what she can do instead of calling, then the numbers. It forgets the reason.
func (st *stepper) checkYes(n *Node) string {
	noCall := st.s.Vars[varNoCall] != ""
	st.setVar(varNoCall, "")
	if f := st.e.flow; noCall && f.CannotCall != "" && (n.Name == f.DangerCheck || n.Name == f.CrisisCheck) {
		return f.CannotCall
	}
	return n.Next
}

// yesFirst are words that, first in an answer to the danger question, say yes.
var yesFirst = map[string]bool{
	"si": true, "sii": true, "sip": true, "sisi": true, "aja": true, "uhum": true, "aham": true,
	"claro": true, "dale": true, "ayuda": true, "ayudame": true, "porfa": true, "yes": true,
	"yeah": true, "yep": true, "please": true, "help": true, "sim": true, "ajuda": true,
}

// noFirst are words that, first in an answer the model reads as no, make it one.
var noFirst = map[string]bool{"no": true, "nop": true, "nope": true, "nah": true, "nel": true, "nao": true, "not": true}

// checkSure is how sure the model must be of a no, or of another topic, at the danger
// or crisis question.
const checkSure = 0.6

// answeredFirst tells a message whose first word stands apart, as an answer: a comma,
// a full stop or a line after it ("no, estoy bien"; not "no estoy bien").
func answeredFirst(raw string) bool {
	raw = strings.TrimSpace(raw)
	i := strings.IndexFunc(raw, func(r rune) bool { return !unicode.IsLetter(r) })
	return i > 0 && strings.ContainsRune(",.;!\n", rune(raw[i]))
}
