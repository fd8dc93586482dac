package flows

import (
	"slices"
	"strconv"
	"strings"

	"github.com/faro-chat/faro/flows/understand"
)

// Keys of the answer to a question about the places just listed.
const (
	// KeyAskIntro opens the answer; KeyAskItem is one place's line (Name, Facts).
	KeyAskIntro = "services.ask.intro"
	KeyAskItem  = "services.ask.item"
	// KeyAskCostUnknown, KeyAskDocsUnknown and KeyAskContactUnknown say that a place's
	// source says nothing of it; the hours use KeyCardHoursUnknown.
	KeyAskCostUnknown    = "services.ask.cost_unknown"
	KeyAskDocsUnknown    = "services.ask.docs_unknown"
	KeyAskContactUnknown = "services.ask.contact_unknown"
	// KeyAskAfter + "hours", "cost", "docs", "contact", "where": what to do with the
	// answer, said after the places.
	KeyAskAfter = "services.ask.after_"
)

// EventAsked + "hours", "cost", "docs", "contact" or "where": a question about the
// places listed was answered (the statistics count it as "ev:asked:<question>").
const EventAsked = "asked:"

// askNames names each question, for its KeyAskAfter key, in the order said.
var askNames = []struct {
	ask  understand.ServiceAsk
	name string
}{
	{understand.AskHours, "hours"}, {understand.AskCost, "cost"}, {understand.AskDocs, "docs"},
	{understand.AskContact, "contact"}, {understand.AskWhere, "where"},
}

// AskKeys lists the keys of the answer, for completeness checks.
var AskKeys = func() []string {
	keys := []string{KeyAskIntro, KeyAskItem, KeyAskCostUnknown, KeyAskDocsUnknown, KeyAskContactUnknown}
	for _, a := range askNames {
		keys = append(keys, KeyAskAfter+a.name)
	}
	return keys
}()

// answerAbout answers, at a menu with Answers, a question about the places just
// listed («¿es gratis?», «¿atienden de noche?», «¿piden DNI?», «¿tienen whatsapp?»,
// «¿dónde queda?»): what each place's source says of it, what to do with that, then
// the menu again. A place named is a new search, not a question about these.
func (st *stepper) answerAbout(cur *Node, r reading, tokens []string) bool {
	if cur.Answers == "" || st.s.Vars[varShown] == "" || r.intent == "place" || len(r.places) > 0 || r.place != "" ||
		r.rule == ruleBusyAlone || r.rule == ruleCannotCall {
		return false // «my phone is about to die, ttyl», «nadie contesta»: not a question about them
	}
	ask := understand.ServiceAskOf(tokens)
	if ask == 0 {
		return false
	}
	cards := st.shownCards(st.e.flow.Nodes[cur.Answers])
	if len(cards) == 0 {
		return false
	}
	st.replies = append(st.replies, Reply{Keys: []string{KeyAskIntro}, Cards: cards, Ask: ask})
	var after []string
	for _, a := range askNames {
		if ask&a.ask != 0 {
			after = append(after, KeyAskAfter+a.name)
			st.event(EventAsked + a.name)
		}
	}
	st.prompt(cur, append(after, cur.Say...))
	return true
}

// shownCards asks the directory again for the page of services n last showed (the
// same query: it answers deterministically) and keeps the cards that were shown.
func (st *stepper) shownCards(n *Node) []Card {
	o, ok := st.origin()
	if n == nil || !ok {
		return nil
	}
	page, _ := strconv.Atoi(st.s.Vars[varPage])
	cards, _ := st.e.dir.Nearby(o.query(Query{Lang: st.s.Lang, Category: st.category(n.Category),
		Page: page, PageSize: 3, Now: st.in.Now, OpenNow: st.s.Vars[varOpenNow] != ""}))
	shown := st.s.Vars[varShown]
	kept := cards[:0:0]
	for _, c := range cards {
		if c.ID != "" && shownHas(shown, c.ID) {
			if o.from == fromCell {
				c.Distance = -1 // the list measured from her pin, which is not kept: no other figure
			}
			kept = append(kept, c)
		}
	}
	return kept
}

// shownHas tells whether the shown services (varShown: "id\tname" lines) include id.
func shownHas(shown, id string) bool {
	for line := range strings.SplitSeq(shown, "\n") {
		if got, _, _ := strings.Cut(line, "\t"); got == id {
			return true
		}
	}
	return false
}

// renderAnswer says one card as the answer to ask: its name, then what its source
// says of each question asked, or that it says nothing of it (known is false then).
func renderAnswer(t func(string, map[string]any) string, c Card, ask understand.ServiceAsk, lang string) (line string, known bool) {
	known = true
	var facts []string
	add := func(s string) {
		if s != "" {
			facts = append(facts, s)
		}
	}
	if ask&understand.AskWhere != 0 {
		if c.Distance >= 0 {
			add(distance(t, c, lang))
		}
		if c.Address != "" {
			add(c.Address) // the street, or at least the district to ask the way
		} else {
			add(c.Place)
		}
	}
	if ask&understand.AskHours != 0 {
		open := hours(t, c)
		add(open)
		if c.Open != OpenUnknown && c.Open != Always && c.Hours != "" {
			add(t(KeyCardHours, map[string]any{"Hours": c.Hours}))
		}
		if open == "" {
			add(t(KeyCardHoursUnknown, nil))
			known = false
		}
	}
	if ask&understand.AskCost != 0 {
		if c.Free {
			add(t(KeyCardFree, nil))
		} else {
			add(t(KeyAskCostUnknown, nil))
			known = false
		}
	}
	if ask&understand.AskDocs != 0 {
		if docs := docsText(t, c.Docs); docs != "" {
			add(docs)
		} else {
			add(t(KeyAskDocsUnknown, nil))
			known = false
		}
	}
	if ask&understand.AskContact != 0 {
		n := len(facts)
		if len(c.Phones) > 0 {
			add(t(KeyCardPhone, map[string]any{"Phone": strings.Join(c.Phones, " / ")}))
		}
		if c.WhatsApp != "" {
			add(t(KeyCardWhatsApp, map[string]any{"WhatsApp": c.WhatsApp}))
		}
		if c.Web != "" {
			add(t(KeyCardWeb, map[string]any{"Web": c.Web}))
		}
		if len(facts) == n {
			add(t(KeyAskContactUnknown, nil))
			known = false
		}
	}
	return t(KeyAskItem, map[string]any{"Name": c.Name, "Facts": strings.Join(facts, " · ")}), known
}

// renderAnswers writes the cards of r as answers to r.Ask, a line each under the
// reply's keys, then once each caveat of their sources that speaks of what was
// asked: how sure the hours are («horario habitual…: llama antes de ir»), or what a
// card's fields do not say («la prueba de VIH es gratuita en los establecimientos
// del MINSA»).
func renderAnswers(b *strings.Builder, l Localizer, lang string, r Reply) {
	t := func(key string, data map[string]any) string { return strings.TrimSpace(l.Text(lang, key, data)) }
	var notes []string
	for _, c := range r.Cards {
		line, known := renderAnswer(t, c, r.Ask, lang)
		b.WriteString("\n")
		b.WriteString(line)
		if c.Note != "" && (!known || r.Ask&understand.AskHours != 0) &&
			understand.ServiceAskMentioned(understand.Tokens(understand.Normalize(c.Note)))&r.Ask != 0 {
			notes = addNote(notes, c.Note)
		}
	}
	for _, n := range notes {
		b.WriteString("\n\n")
		b.WriteString(n)
	}
}

// addNote adds a caveat to notes unless one of them says it already; one it says in
// full gives way to it (a place's own caveat and the same with the test's note).
func addNote(notes []string, note string) []string {
	if note == "" || slices.ContainsFunc(notes, func(n string) bool { return strings.Contains(n, note) }) {
		return notes
	}
	notes = slices.DeleteFunc(notes, func(n string) bool { return strings.Contains(note, n) })
	return append(notes, note)
}
