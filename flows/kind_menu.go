package flows

import (
	"fmt"
	"strconv"
	"strings"
)

// menuKind says its messages and numbered Options, and waits for a choice.
type menuKind struct{ baseKind }

func (menuKind) validate(v *validator, n *Node) {
	if len(n.Options) == 0 {
		v.add("menu without options")
	}
	if n.Answers != "" {
		if a := v.f.Nodes[n.Answers]; a == nil || a.Kind != KindServices {
			v.add("answers %q: must be a services node", n.Answers)
		} else if v.f.Schema < 2 {
			v.add("answers needs schema 2")
		}
	}
	if len(n.Options) > MaxOptions {
		v.add("menu has %d options, at most %d fit", len(n.Options), MaxOptions)
	}
	for i, o := range n.Options {
		if o.Label == "" {
			v.add("option %d has no label", i+1)
		}
		v.target(fmt.Sprintf("option %d goto", i+1), o.Goto)
		for name := range o.Set {
			if name == "" || strings.HasPrefix(name, "_") {
				v.add("option %d sets %q: variables must be named and not start with _", i+1, name)
			}
		}
	}
}

func (menuKind) options(st *stepper, n *Node) []ReplyOption {
	vis := st.visible(n)
	opts := make([]ReplyOption, len(vis))
	for i, oi := range vis {
		opts[i] = ReplyOption{Label: n.Options[oi].Label, Payload: payloadFor(n.Name, oi)}
	}
	return opts
}

func (menuKind) choose(st *stepper, n *Node, i int) bool {
	if i >= len(n.Options) {
		return false
	}
	o := n.Options[i]
	if (o.More && st.s.Vars[varMore] == "") || (o.OpenNow && st.s.Vars[varNone] != "") {
		return false
	}
	for k, v := range o.Set {
		st.setVar(k, v)
	}
	if o.More {
		page, _ := strconv.Atoi(st.s.Vars[varPage])
		st.setVar(varPage, strconv.Itoa(page+1))
		st.enter(o.Goto)
		return true
	}
	st.setVar(varPage, "")
	if o.OpenNow {
		st.setVar(varOpenNow, "1")
		st.enter(o.Goto)
		return true
	}
	st.setVar(varOpenNow, "")
	st.jump(o.Goto, true)
	return true
}

func (menuKind) answer(st *stepper, n *Node, t *text, _ reading) bool {
	if i := st.matchOption(n, t); i >= 0 {
		return st.choose(n, i)
	}
	return false
}

// visible lists the options of a menu as the user sees them: "more" only when there
// is another page, "open now" neither while it filters nor after an empty list. The
// number the user types is the index in this list, plus one.
func (st *stepper) visible(n *Node) []int {
	idx := make([]int, 0, len(n.Options))
	for i, o := range n.Options {
		if (o.More && st.s.Vars[varMore] == "") || (o.OpenNow && (st.s.Vars[varOpenNow] != "" || st.s.Vars[varNone] != "")) {
			continue
		}
		idx = append(idx, i)
	}
	return idx
}
