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
	case "violence", "shelter":
		return []string{"violence"}
	case "health", "sexual-health":
		return []string{"health"}
	case "mental-health":
		return []string{"mental-health"}
	case "legal":
		return []string{"legal", "police"}
	case "migration":
		return []string{"migration"}
	case "community", "":
		return []string{"violence"}
	}
	return []string{category}
}

// services says one page of the services of a category near the user's place, and
// the national lines of that category on the first page.
func (st *stepper) services(n *Node) {
	e := st.e
	cat := st.category(n.Category)
	page, _ := strconv.Atoi(st.s.Vars[varPage])
	var place Place
	ok := false
	if st.pin != nil {
		place, ok = *st.pin, true
	} else if code := st.s.Vars[VarPlace]; code != "" {
		place, ok = e.dir.Place(code)
	}
	lines := Reply{Keys: []string{KeyServicesNation}, Cards: e.dir.Lines(st.s.Lang, categoryTags(cat))}
	if !ok {
		st.replies = append(st.replies, Reply{Keys: []string{KeyServicesNone}, Vars: st.vars()}, lines)
		st.setVar(varMore, "")
		return
	}
	cards, more := e.dir.Nearby(Query{Lang: st.s.Lang, Category: cat, Lat: place.Lat, Lon: place.Lon,
		Page: page, PageSize: 3, Now: st.in.Now, OpenNow: st.s.Vars[varOpenNow] != ""})
	if more {
		st.setVar(varMore, "1")
	} else {
		st.setVar(varMore, "")
	}
	vars := st.vars()
	if vars == nil {
		vars = map[string]any{}
	}
	vars["Place"] = place.Name
	switch {
	case len(cards) == 0 && page == 0:
		st.replies = append(st.replies, Reply{Keys: []string{KeyServicesNone}, Vars: vars}, lines)
	case len(cards) == 0:
		st.replies = append(st.replies, Reply{Keys: []string{KeyServicesEnd}, Vars: vars})
	case page == 0:
		st.replies = append(st.replies, Reply{Keys: n.Say, Vars: vars, Cards: cards}, lines)
	default:
		st.replies = append(st.replies, Reply{Keys: n.Say, Vars: vars, Cards: cards})
	}
}
