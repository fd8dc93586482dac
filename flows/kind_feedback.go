package flows

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Node kinds of the community's feedback (schema 2, guidelines 8.6.2).
const (
	// KindEntries offers, as options, the services of the last list shown (their
	// names), then its own Options. Picking a service keeps which one for a feedback
	// node after Next (until the main menu).
	KindEntries = "entries"
	// KindFeedback waits for a short free text (a wrong number, a closed service, a
	// service to suggest) and hands it to the caller as an EffectFeedback of kind
	// Report, about the service picked before, if any; Confirm, when set, is an option
	// that sends it without text. Its Options work as a menu's.
	KindFeedback = "feedback"
)

// MaxFeedbackRunes bounds the text of a report: longer texts are cut.
const MaxFeedbackRunes = 500

// Events of the community's feedback, with a name after the prefix.
const (
	// EventFeedback + report kind (wrong_number, closed, other, suggest): a report sent.
	EventFeedback = "feedback:"
	// EventHelped + "yes" or "no": whether the information helped, in one tap.
	EventHelped = "helped:"
)

// Session variables of the feedback.
const (
	varShown   = "_shown"   // the services of the last page shown: "id\tname" lines
	varEntry   = "_entry"   // the service a report is about
	varChecked = "_checked" // "1": at a feedback node, she said no to «are you in danger?»
	// varPending is a report's text that the model read as maybe danger or self-harm:
	// kept while «are you in danger now?» waits for her answer (no: it is filed; yes
	// or anything else: forgotten). It lives in her sealed session only.
	varPending = "_pending"
)

// maxEntryLabel bounds the name of a service offered as an option.
const maxEntryLabel = 40

// validReport tells whether s is a report kind: lower-case letters and _.
func validReport(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if (c < 'a' || c > 'z') && c != '_' {
			return false
		}
	}
	return true
}

// validateOptions checks Options that work as a menu's.
func validateOptions(v *validator, n *Node, extra int) {
	if len(n.Options)+extra > MaxOptions {
		v.add("%d options, at most %d fit", len(n.Options)+extra, MaxOptions)
	}
	for i, o := range n.Options {
		if o.Label == "" {
			v.add("option %d has no label", i+1)
		}
		v.target(fmt.Sprintf("option %d goto", i+1), o.Goto)
		if len(o.Set) > 0 || o.More || o.OpenNow {
			v.add("option %d: set, more and open_now are for menus", i+1)
		}
	}
}

// staticOptions are a node's own Options, numbered after the first off of them.
func staticOptions(n *Node, off int) []ReplyOption {
	opts := make([]ReplyOption, len(n.Options))
	for i, o := range n.Options {
		opts[i] = ReplyOption{Label: o.Label, Payload: payloadFor(n.Name, off+i)}
	}
	return opts
}

// entriesKind: see KindEntries.
type entriesKind struct{ baseKind }

func (entriesKind) validate(v *validator, n *Node) {
	if v.f.Schema < 2 {
		v.add("kind entries needs schema 2")
	}
	v.target("next", n.Next)
	validateOptions(v, n, maxServicesPage)
}

// maxServicesPage is how many services one page shows, and so how many an entries
// node may offer.
const maxServicesPage = 3

// shown lists the services of the last page: ids and names.
func (st *stepper) shown() (ids, names []string) {
	for _, l := range strings.Split(st.s.Vars[varShown], "\n") {
		id, name, ok := strings.Cut(l, "\t")
		if ok && id != "" {
			ids, names = append(ids, id), append(names, name)
		}
	}
	return ids, names
}

func (entriesKind) options(st *stepper, n *Node) []ReplyOption {
	_, names := st.shown()
	opts := make([]ReplyOption, 0, len(names)+len(n.Options))
	for i, name := range names {
		opts = append(opts, ReplyOption{Label: name, Literal: true, Payload: payloadFor(n.Name, i)})
	}
	return append(opts, staticOptions(n, len(names))...)
}

func (entriesKind) choose(st *stepper, n *Node, i int) bool {
	ids, _ := st.shown()
	switch {
	case i < 0:
		return false
	case i < len(ids):
		st.setVar(varEntry, ids[i])
		st.jump(n.Next, true)
		return true
	}
	return chooseStatic(st, n, i-len(ids))
}

func (entriesKind) answer(st *stepper, n *Node, t *text, _ reading) bool {
	if i := st.matchOption(n, t); i >= 0 {
		return chooseStatic(st, n, i)
	}
	return false
}

// chooseStatic carries out the node's own option i.
func chooseStatic(st *stepper, n *Node, i int) bool {
	if i < 0 || i >= len(n.Options) {
		return false
	}
	st.setVar(varEntry, "")
	st.jump(n.Options[i].Goto, true)
	return true
}

// feedbackKind: see KindFeedback.
type feedbackKind struct{ baseKind }

func (feedbackKind) validate(v *validator, n *Node) {
	if v.f.Schema < 2 {
		v.add("kind feedback needs schema 2")
	}
	v.target("next", n.Next)
	if !validReport(n.Report) {
		v.add("report %q: lower-case letters and _ only", n.Report)
	}
	extra := 0
	if n.Confirm != "" {
		extra = 1
	}
	validateOptions(v, n, extra)
}

// sendOffset is the number of the node's own first option: after «send without
// text» when there is one.
func sendOffset(n *Node) int {
	if n.Confirm != "" {
		return 1
	}
	return 0
}

func (feedbackKind) options(_ *stepper, n *Node) []ReplyOption {
	var opts []ReplyOption
	if n.Confirm != "" {
		opts = append(opts, ReplyOption{Label: n.Confirm, Payload: payloadFor(n.Name, 0)})
	}
	return append(opts, staticOptions(n, sendOffset(n))...)
}

func (feedbackKind) choose(st *stepper, n *Node, i int) bool {
	if n.Confirm != "" && i == 0 {
		st.sendFeedback(n, "")
		return true
	}
	return chooseStatic(st, n, i-sendOffset(n))
}

// answer takes any text that picks no option as the report (danger and self-harm were
// answered before: a call for help is never filed as a report; a report the model
// alone reads as danger is filed only after a «no» to the danger check, see
// askAboutReport).
func (feedbackKind) answer(st *stepper, n *Node, t *text, _ reading) bool {
	if i := st.matchOption(n, t); i >= 0 {
		return kindOf(n).choose(st, n, i)
	}
	text := strings.TrimSpace(st.in.Text)
	if text == "" || st.in.Kind != InputText {
		return false
	}
	st.sendFeedback(n, text)
	return true
}

// sendFeedback hands the report to the caller (EffectFeedback), counts it, forgets
// which service it was about, and goes on to Next.
func (st *stepper) sendFeedback(n *Node, text string) {
	text = firstRunes(text, MaxFeedbackRunes)
	entry := ""
	if ids, _ := st.shown(); st.s.Vars[varEntry] != "" {
		for _, id := range ids {
			if id == st.s.Vars[varEntry] {
				entry = id
			}
		}
	}
	st.effects = append(st.effects, Effect{Kind: EffectFeedback, Topic: n.Report, Text: text, Entry: entry})
	st.event(EventFeedback + n.Report)
	st.setVar(varEntry, "")
	st.setVar(varChecked, "")
	st.jump(n.Next, false)
}

// firstRunes returns the first n runes of text, as string([]rune(text)[:n]) does
// (invalid bytes become U+FFFD), reading no further than them.
func firstRunes(text string, n int) string {
	runes := 0
	for i := range text {
		if runes == n {
			if cut := text[:i]; utf8.ValidString(cut) {
				return strings.Clone(cut) // the same, without the runes' round trip
			}
			return string([]rune(text[:i]))
		}
		runes++
	}
	return text
}

// shownVar is the value of varShown for a page of services.
func shownVar(cards []Card) string {
	var b strings.Builder
	for i, c := range cards {
		if i == maxServicesPage {
			break
		}
		if c.ID == "" {
			continue
		}
		name := strings.NewReplacer("\t", " ", "\n", " ").Replace(c.Name)
		if utf8.RuneCountInString(name) > maxEntryLabel {
			name = string([]rune(name)[:maxEntryLabel-1]) + "…"
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(c.ID + "\t" + name)
	}
	return b.String()
}

// askAboutReport tells whether r, read at a feedback node, is danger or self-harm
// from the model alone (no phrase of the lists): «está cerrado», «no contesta nadie»
// may read so. Then she is asked «are you in danger now?» once, whatever the
// model's score, and her text waits for the answer (varPending): «no» files it. A
// phrase of the lists («me quieren matar») still gets the numbers at once.
func (st *stepper) askAboutReport(r *reading) bool {
	n := st.e.flow.Nodes[st.s.Node]
	if n == nil || n.Kind != KindFeedback || st.in.Kind != InputText || !strings.HasPrefix(r.rule, "model") {
		return false
	}
	text := strings.TrimSpace(st.in.Text)
	if text == "" {
		return false
	}
	text = firstRunes(text, MaxFeedbackRunes)
	r.ask, r.then, r.thenIntent = true, "", ""
	st.setVar(varPending, text)
	return true
}

// filePending files, after a «no» to the danger check, the report that was waiting
// for it (askAboutReport): back at the feedback node she wrote it at, without asking
// her to write it again, and on to its Next (the thanks). It reports whether there
// was one.
func (st *stepper) filePending() bool {
	text := st.s.Vars[varPending]
	st.setVar(varPending, "")
	k := len(st.s.Stack)
	if text == "" || k == 0 {
		return false
	}
	n := st.e.flow.Nodes[st.s.Stack[k-1]]
	if n == nil || n.Kind != KindFeedback {
		return false
	}
	st.s.Stack = st.s.Stack[: k-1 : k-1]
	st.s.Node = n.Name
	st.sendFeedback(n, text)
	return true
}

// checkedAt notes, after a «no» to the danger check that brought her back to a
// feedback node, that she was asked: the same report, written again, is then filed
// instead of asked about once more (a suggestion naming a shelter reads like a call
// for help). Danger that is certain still gets the numbers at once.
func (st *stepper) checkedAt() {
	if n := st.e.flow.Nodes[st.s.Node]; n != nil && n.Kind == KindFeedback {
		st.setVar(varChecked, "1")
	}
}

// feedbackChecked tells whether she is at a feedback node after saying she is not in
// danger (see checkedAt).
func (st *stepper) feedbackChecked() bool {
	n := st.e.flow.Nodes[st.s.Node]
	return n != nil && n.Kind == KindFeedback && st.s.Vars[varChecked] != ""
}
