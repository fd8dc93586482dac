package webchat

import (
	"strings"

	"github.com/faro-chat/faro/flows"
)

// Gazetteer is what Places needs of the directory (a *directory.Directory).
type Gazetteer interface {
	// Districts lists the districts with services.
	Districts() []flows.Place
	// Locate finds the places a typed name may mean.
	Locate(text string) []flows.Place
}

// Places returns the districts of g that the page offers, each with the words that
// make the bot find exactly that district when the person picks it: its name, or its
// name with the province or the region when the name alone is ambiguous. A district no
// words single out is left out (the person can still type a place).
func Places(g Gazetteer) []Place {
	var out []Place
	for _, p := range g.Districts() {
		prov, _, _ := strings.Cut(p.Region, ", ")
		for _, t := range []string{p.Name, p.Name + ", " + prov, p.Name + " " + prov, p.Name + ", " + p.Region} {
			if l := g.Locate(t); len(l) == 1 && l[0].Code == p.Code {
				out = append(out, Place{Code: p.Code, Name: p.Name, Region: p.Region, Text: t})
				break
			}
		}
	}
	return out
}
