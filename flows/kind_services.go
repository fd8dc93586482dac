package flows

import (
	"strconv"
	"strings"
)

// servicesKind says the nearest services of Category around the session's place (or
// a pin), one page at a time, then moves to Next.
type servicesKind struct{ passKind }

func (servicesKind) validate(v *validator, n *Node) {
	v.target("next", n.Next)
	if n.Category == "" {
		v.add("services node without category")
	}
}

func (servicesKind) pass(st *stepper, n *Node) (string, bool) {
	st.services(n)
	return n.Next, true
}

// category resolves a services node's category ("$var" reads a session variable).
func (st *stepper) category(c string) string {
	if c == "" {
		c = "$" + VarCategory
	}
	if strings.HasPrefix(c, "$") {
		return st.s.Vars[c[1:]]
	}
	return c
}

// categoryTags maps a service category to the tags of the national lines to offer
// with it.
func categoryTags(category string) []string {
	switch category {
	case "violence", "shelter", "":
		return []string{"violence"}
	case "health", "sexual-health":
		return []string{"health"}
	case "mental-health":
		return []string{"mental-health"}
	case "legal":
		return []string{"legal", "police"}
	case "migration":
		return []string{"migration"}
	}
	return []string{category}
}

// services says one page of the services of a category near the user's place, and
// the national lines of that category on the first page. The header says where the
// distances are measured from: the pin, the coarse cell kept for later pages, or the
// centre of the place typed.
func (st *stepper) services(n *Node) {
	e := st.e
	cat := st.category(n.Category)
	page, _ := strconv.Atoi(st.s.Vars[varPage])
	o, ok := st.origin()
	st.setVar(varNone, "")
	st.setVar(varShown, "")
	var lines *Reply
	if page == 0 {
		if cards := e.dir.Lines(st.s.Lang, categoryTags(cat), st.s.Vars[VarPlace]); len(cards) > 0 {
			lines = &Reply{Keys: []string{KeyServicesNation}, Cards: cards}
		}
	}
	if !ok {
		st.searched(page, cat, false)
		st.noServices(lines, st.vars())
		return
	}
	cards, more := e.dir.Nearby(o.query(Query{Lang: st.s.Lang, Category: cat,
		Page: page, PageSize: 3, Now: st.in.Now, OpenNow: st.s.Vars[varOpenNow] != ""}))
	moreVal := ""
	if more {
		moreVal = "1"
	}
	st.setVar(varMore, moreVal)
	vars := st.vars()
	if vars == nil {
		vars = map[string]any{}
	}
	vars["Place"] = o.label
	st.searched(page, cat, len(cards) > 0)
	switch {
	case len(cards) == 0 && page == 0:
		st.noServices(lines, vars)
		return
	case len(cards) == 0:
		st.replies = append(st.replies, Reply{Keys: []string{KeyServicesEnd}, Vars: vars})
		return
	}
	st.setVar(varShown, shownVar(cards))
	r := Reply{Keys: o.header(n.Say, cards[0]), Vars: vars, Cards: cards}
	if st.s.Vars[varOpenNow] != "" {
		r.Keys = append(r.Keys[:len(r.Keys):len(r.Keys)], KeyServicesOpenFirst)
	}
	if nearest := nearestDistance(cards); page == 0 && nearest > farMetres {
		vars["Km"] = km(nearest, st.s.Lang)
		r.Keys = append(r.Keys[:len(r.Keys):len(r.Keys)], KeyServicesFar)
	}
	st.replies = append(st.replies, r)
	if lines != nil {
		st.replies = append(st.replies, *lines)
	}
}

// searched counts a new search (its first page) of category, and whether anything
// was found: the gaps in the directory.
func (st *stepper) searched(page int, category string, found bool) {
	if page != 0 {
		return
	}
	if category == "" {
		category = "any"
	}
	what := ":none"
	if found {
		what = ":found"
	}
	st.event(EventSearch + category + what)
}

// noServices says that nothing was found, then the national lines if there are any,
// and marks the list empty so that no filter and no next page is offered.
func (st *stepper) noServices(lines *Reply, vars map[string]any) {
	st.setVar(varMore, "")
	st.setVar(varNone, "1")
	key := KeyServicesNone
	if lines == nil {
		key = KeyServicesNoneAlone
	}
	r := Reply{Keys: []string{key}, Vars: vars}
	if lines != nil {
		// services.none already introduces the lines: no second header.
		r.Cards = lines.Cards
	}
	st.replies = append(st.replies, r)
}

// nearestDistance is the shortest distance of a page (a typed district's own services
// come first, so the first is not always the nearest).
func nearestDistance(cards []Card) float64 {
	d := cards[0].Distance
	for _, c := range cards[1:] {
		d = min(d, c.Distance)
	}
	return d
}
