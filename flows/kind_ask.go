package flows

import (
	"slices"
	"strings"

	"github.com/faro-chat/faro/flows/understand"
)

// askKind says a prompt and waits for free text (a social name) or a location (a pin,
// or a place name typed), and stores it in Var.
type askKind struct{ baseKind }

func (askKind) validate(v *validator, n *Node) {
	v.target("next", n.Next)
	if n.Var == "" || strings.HasPrefix(n.Var, "_") {
		v.add("ask node needs a var (not starting with _)")
	}
	if n.Input != "text" && n.Input != "location" {
		v.add("input is %q, want text or location", n.Input)
	}
	if n.Input == "location" && n.Var != VarPlace {
		v.add("an ask node for a location stores into var %q (services nodes read it)", VarPlace)
	}
}

// pass skips the question when its answer is already known (SkipIf).
func (askKind) pass(st *stepper, n *Node) (string, bool) {
	if n.SkipIf != "" && st.s.Vars[n.SkipIf] != "" {
		return n.Next, true
	}
	return "", false
}

// options are the places offered when a typed name was ambiguous.
func (askKind) options(st *stepper, n *Node) []ReplyOption {
	c := st.s.Vars[varChoices]
	if c == "" {
		return nil
	}
	codes := strings.Split(c, ",")
	opts := make([]ReplyOption, 0, len(codes))
	for i, code := range codes {
		if p, ok := st.e.dir.Place(code); ok {
			opts = append(opts, ReplyOption{Label: placeLabel(p), Literal: true, Payload: payloadFor(n.Name, i)})
		}
	}
	return opts
}

// choose picks one of the places offered.
func (askKind) choose(st *stepper, n *Node, i int) bool {
	e := st.e
	codes := strings.Split(st.s.Vars[varChoices], ",")
	if st.s.Vars[varChoices] == "" || i >= len(codes) {
		return false
	}
	st.setVar(n.Var, codes[i])
	st.setVar(varPage, "")
	if next := e.flow.Nodes[n.Next]; next != nil && next.Kind == KindServices && st.category(next.Category) == "" && e.flow.Nearby != "" {
		// a place said before the kind of service: ask the kind now
		st.jump(e.flow.Nearby, true)
		return true
	}
	st.enter(n.Next)
	return true
}

// answer takes a name (after an anchor, or a short bare answer that is nothing else)
// or a place (located in the gazetteer, or told it is unknown).
func (askKind) answer(st *stepper, n *Node, t *text, r reading) bool {
	if st.s.Vars[varChoices] != "" || r.rule == ruleGreetings || r.rule == ruleNameTalk {
		return false // «hola q tal», «no quiero dar mi nombre» are not her name, nor where she is
	}
	if n.Input == "text" {
		v := r.name
		if v == "" {
			name, anchor := understand.Name(st.in.Text, true)
			if anchor == "" {
				// a bare answer is the name, unless it is clearly something else; a name
				// that is also a place's («Victoria», «Morena») is her name here
				placeGuess := r.intent == "place" && r.rule == "model" && len(t.tokens) <= 2 ||
					understand.IsWordName(t.tokens) // «Soledad», «Graça»: her name, not a topic
				if _, cmd := intentCommand[r.intent]; cmd || (r.intent != "name" && r.intent != understand.IntentOther && r.intent != "greet" && r.prob >= 0.5 && !placeGuess) {
					return false
				}
				if st.e.intentNodes[r.intent] != "" && r.intent != "place" && everydayWords(t.tokens) && !placeGuess {
					return false // «miedo», «vih»: a word people write for a topic, even when the model hesitates
				}
				if len(t.tokens) > 4 {
					return false
				}
			}
			v = name
		}
		if v == "" {
			return false
		}
		st.setVar(n.Var, v)
		st.enter(n.Next)
		return true
	}
	if len(r.places) > 0 {
		return st.place(r)
	}
	_, cmd := intentCommand[r.intent]
	if (cmd && r.prob >= 0.5 || st.e.intentNodes[r.intent] != "" && r.prob >= 0.6 && r.intent != "place") &&
		!namesAPlace(st.e.dir, st.in.Text, t.tokens) {
		return false // a command, or another topic, unless the answer is a place's name
	}
	if r.nowhere {
		st.placeUnknown(n) // the text was looked up already (read)
		return true
	}
	st.locate(n)
	return true
}

// placeNamedHere tells an answer to the place question, asked now, that is a place's
// name word for word (namesAPlace).
func (st *stepper) placeNamedHere(tokens []string) bool {
	cur := st.e.flow.Nodes[st.s.Node]
	return cur != nil && cur.Kind == KindAsk && cur.Input == "location" && st.s.Vars[varChoices] == "" &&
		namesAPlace(st.e.dir, st.in.Text, tokens)
}

// maxPlaceAnswerWords is how many words an answer to the place question may have to be
// taken as a place's exact name over another reading of the model.
const maxPlaceAnswerWords = 5

// namesAPlace tells an answer to the place question that is, word for word, the name of
// a place ("ate", a district of Lima, which the model reads as "até", goodbye; "río
// negro", where it guesses danger in words it never saw): the place, whatever else the
// model reads in it or a command word's near spelling makes of it ("humay", "humana").
func namesAPlace(dir Directory, raw string, tokens []string) bool {
	if len(tokens) == 0 || len(tokens) > maxPlaceAnswerWords {
		return false
	}
	said := strings.Join(tokens, " ")
	for _, p := range dir.Locate(raw) {
		if Normalize(p.Name) == said {
			return true
		}
	}
	return false
}

// everydayWords tells a message made only of everyday words (understand.Everyday).
func everydayWords(tokens []string) bool {
	return len(tokens) > 0 && !slices.ContainsFunc(tokens, func(w string) bool { return !understand.Everyday(w) })
}
