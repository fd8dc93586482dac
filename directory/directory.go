package directory

import (
	"time"

	"github.com/faro-chat/faro/directory/hours"
	"github.com/faro-chat/faro/flows"
)

// Directory is the loaded directory. It implements flows.Directory; it is read-only
// after Load and safe for concurrent use.
type Directory struct {
	records    []*record
	lines      []*record
	byCategory map[string]*catIndex
	byID       map[string]*record
	gaz        *gazetteer
	texts      map[string]TextSet
	hol        *holidays
	loc        *time.Location
	files      []string
	// orgs are the community organizations whose records have no error; orgProbs the
	// problems of the others (Load does not fail on them).
	orgs     []Org
	orgProbs []Problem
}

var _ flows.Directory = (*Directory)(nil)

// record is an entry ready to answer questions.
type record struct {
	e     Entry
	file  string
	hours *hours.Schedule
	// hoursIn is the hours described in each language the hours package knows.
	hoursIn  map[string]string
	national bool
	lat, lon float64
	approx   bool
	place    string
	phones   []string
	tags     map[string]bool
}

// Card returns the entry of this id as a card in lang (Spanish when missing), without
// distance or opening state: what a coordinator reads next to a report about it.
func (d *Directory) Card(id, lang string) (flows.Card, bool) {
	r, ok := d.byID[id]
	if !ok {
		return flows.Card{}, false
	}
	return d.card(r, lang, time.Time{}), true
}

// Categories lists the service categories, in a fixed order.
func (d *Directory) Categories() []string {
	return append([]string(nil), categoryOrder...)
}

// Lines returns the national lines carrying any of tags (a category or a LineTags
// topic), in data order, with texts in lang (Spanish when missing). where is the code
// of the person's place ("" when unknown): a line that serves only some regions
// (OnlyThere) is left out when that place is outside all of them.
func (d *Directory) Lines(lang string, tags []string, where string) []flows.Card {
	var out []flows.Card
	for _, r := range d.lines {
		if r.e.OnlyThere && outsideAll(where, r.e.Regions) {
			continue
		}
		for _, t := range tags {
			if r.tags[t] {
				out = append(out, d.card(r, lang, time.Time{}))
				break
			}
		}
	}
	return out
}

// Locate matches a typed place name against the gazetteer: none when unknown, one when
// sure, up to five (most populous first) when ambiguous.
func (d *Directory) Locate(text string) []flows.Place {
	return d.gaz.locate(text)
}

// PlaceAt returns the district that contains a point, or near the coast and borders the
// nearest one; false when the point is not in Peru. The place's coordinates are the
// district capital's, never the point's.
func (d *Directory) PlaceAt(lat, lon float64) (flows.Place, bool) {
	p, ok := d.gaz.placeAt(lat, lon)
	if !ok {
		return flows.Place{}, false
	}
	return p.toPlace(), true
}

// Place returns the department, province, district or populated place with this code.
func (d *Directory) Place(code string) (flows.Place, bool) {
	p := d.gaz.byCode[code]
	if p == nil {
		return flows.Place{}, false
	}
	return p.toPlace(), true
}

// Files lists the data files read, in the order read.
func (d *Directory) Files() []string { return append([]string(nil), d.files...) }

// Entries returns the entries read from file, or from every file when file is "", in
// the order read. An entry placed at its district's capital for want of coordinates is
// marked approximate (the export's approx column).
func (d *Directory) Entries(file string) []Entry {
	var out []Entry
	for _, r := range d.records {
		if file == "" || r.file == file {
			e := r.e
			e.Approx = e.Approx || (r.approx && !r.national)
			out = append(out, e)
		}
	}
	return out
}

// outsideAll reports whether the place of code where (a department, province, district
// or landmark code, all starting with the ubigeo) is surely outside every region (a
// department "DD0000" or a province "DDPP00"). An unknown place, or a department
// holding a province of regions, is not surely outside.
func outsideAll(where string, regions []string) bool {
	if len(where) < 6 {
		return false
	}
	for _, r := range regions {
		if len(r) != 6 {
			return false
		}
		dep, prov := r[:2], r[2:4]
		if where[:2] != dep {
			continue
		}
		if prov == "00" || where[2:4] == "00" || where[2:4] == prov {
			return false // the region's department, or the place is the whole department
		}
	}
	return true
}
