package directory

import (
	"sort"
	"strings"

	"github.com/faro-chat/faro/flows"
)

// Districts returns the districts where the directory has at least one service (a
// national line is in none), sorted by name and then region: what a chat without a
// map pin (the web chat of `faro demo`) offers in place of one.
func (d *Directory) Districts() []flows.Place {
	seen := map[string]bool{}
	var out []flows.Place
	for _, r := range d.records {
		if r.national || seen[r.e.District] {
			continue
		}
		seen[r.e.District] = true
		p := d.gaz.byCode[r.e.District]
		if p == nil || p.level != lvDistrict {
			continue
		}
		out = append(out, p.toPlace())
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := strings.ToLower(flows.Normalize(out[i].Name)), strings.ToLower(flows.Normalize(out[j].Name))
		if a != b {
			return a < b
		}
		return out[i].Region < out[j].Region
	})
	return out
}
