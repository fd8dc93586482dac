package flows

import (
	"math"
	"strconv"
	"strings"
)

// Keys of the places and directory answers (issue 10). Every locale must have them.
const (
	// KeyServicesNoneAlone says that nothing was found when no national line fits either.
	KeyServicesNoneAlone = "services.none_alone"
	// KeyServicesFromPin heads results measured from the pin sent with this message.
	KeyServicesFromPin = "services.from_pin"
	// KeyServicesFromCell heads results measured from the coarse cell kept after a pin.
	KeyServicesFromCell = "services.from_cell"
	// KeyServicesFromDistrict heads results of a typed district: its services first,
	// distances from its centre.
	KeyServicesFromDistrict = "services.from_district"
	// KeyServicesNoneInDistrict heads results of a typed district that has none of its
	// own: the nearest to its centre.
	KeyServicesNoneInDistrict = "services.none_in_district"
	// KeyServicesFromApprox heads results measured from a place whose point no source
	// has confirmed yet (a landmark placed by hand): the distances are approximate.
	KeyServicesFromApprox = "services.from_approx"
	// KeyServicesOpenFirst explains the order of "open now" results: known open (or
	// with emergency care) first, then those whose hours are unknown.
	KeyServicesOpenFirst = "services.open_first"
	// KeyServicesFar says plainly that the nearest result is far ({{.Km}}).
	KeyServicesFar = "services.far"
	// KeyNearest24h heads the nearest 24-hour service with a phone in an emergency reply.
	KeyNearest24h = "emergency.nearest_24h"
	// KeyNearestEmergencyCare heads the nearest hospitals with emergency care.
	KeyNearestEmergencyCare = "health.nearest_emergency"
	// KeyCardDistanceApprox and KeyCardDistanceApproxNear say the distance to a service
	// placed at its district's capital.
	KeyCardDistanceApprox     = "card.distance_approx"
	KeyCardDistanceApproxNear = "card.distance_approx_near"
	// KeyCardHoursUnknown replaces the open state when no hours are known.
	KeyCardHoursUnknown = "card.hours_unknown"
)

func init() {
	// Appended here rather than in engine.go and render.go, which others edit.
	EngineKeys = append(EngineKeys, KeyServicesNoneAlone, KeyServicesFromPin, KeyServicesFromCell,
		KeyServicesFromDistrict, KeyServicesNoneInDistrict, KeyServicesFromApprox, KeyServicesOpenFirst, KeyServicesFar, KeyNearest24h, KeyNearestEmergencyCare)
	ReplyStartKeys = append(ReplyStartKeys, KeyServicesNoneAlone, KeyServicesFromPin, KeyServicesFromCell,
		KeyServicesFromDistrict, KeyServicesNoneInDistrict, KeyServicesFromApprox)
	CardKeys = append(CardKeys, KeyCardDistanceApprox, KeyCardDistanceApproxNear, KeyCardHoursUnknown)
}

// Internal session variables of searches.
const (
	// varCell is the pin rounded to a cellDegrees grid, kept while the place is the
	// pin's district so that later pages measure from near the pin. The exact pin is
	// never stored.
	varCell = "_cell"
	varNone = "_none" // "1" when the last services list was empty: no filter offered
	// varRegion is the department (2 ubigeo digits) of the last place set, kept when
	// the place is cleared to ask for another: it orders homonyms.
	varRegion = "_region"
)

// cellDegrees is the grid of varCell: 0.01° is about 1.1 km in Peru, so a distance
// measured from the cell's centre is within cellError of the one from the pin.
const (
	cellDegrees = 0.01
	cellError   = 800 // metres: half the cell's diagonal, rounded up
)

// farMetres is the distance beyond which the nearest result is said to be far.
const farMetres = 20_000

// from says what distances are measured from.
type from int

const (
	fromCentre from = iota // the representative point of the place typed
	fromPin                // the pin of this message
	fromCell               // the coarse cell of an earlier pin
)

// origin is the point a search measures from, and how to say it.
type origin struct {
	lat, lon float64
	from     from
	label    string // the place, with its department outside Lima and Callao
	within   string // a typed district: its services first
	cell     string // with a pin: its cell, which chooses the services of each page
	approx   bool   // the place's point is not confirmed by a source
}

// query completes q with where to search from. With a pin, the services are chosen
// from its cell, as later pages will be, and measured from the pin.
func (o origin) query(q Query) Query {
	q.Lat, q.Lon, q.Within = o.lat, o.lon, o.within
	if lat, lon, ok := parseCell(o.cell); ok && o.from == fromPin {
		q.Lat, q.Lon = lat, lon
		q.MeasureFrom = &[2]float64{o.lat, o.lon}
	}
	return q
}

// origin returns the point to search from: the pin of this message, the cell of an
// earlier pin, or the place in the session.
func (st *stepper) origin() (origin, bool) {
	code := st.s.Vars[VarPlace]
	if st.pin != nil {
		return origin{lat: st.pin.Lat, lon: st.pin.Lon, from: fromPin, label: displayName(*st.pin),
			cell: st.s.Vars[varCell]}, true
	}
	p, ok := st.e.dir.Place(code)
	if code == "" || !ok {
		return origin{}, false
	}
	if lat, lon, ok := parseCell(st.s.Vars[varCell]); ok {
		return origin{lat: lat, lon: lon, from: fromCell, label: displayName(p)}, true
	}
	o := origin{lat: p.Lat, lon: p.Lon, from: fromCentre, label: displayName(p), approx: p.Approx}
	if isDistrictCode(code) {
		o.within = code
	}
	return o, true
}

// header is the key that opens a results list: say (the node's) for a place's point.
// first is the list's first card: a typed district's own services come first, so if
// it is not in the district, the district has none.
func (o origin) header(say []string, first Card) []string {
	switch {
	case o.from == fromPin:
		return []string{KeyServicesFromPin}
	case o.from == fromCell:
		return []string{KeyServicesFromCell}
	case o.within != "" && first.District == o.within:
		return []string{KeyServicesFromDistrict}
	case o.within != "":
		return []string{KeyServicesNoneInDistrict}
	case o.approx:
		return []string{KeyServicesFromApprox}
	}
	return say
}

// cellOf rounds a pin to the grid of varCell.
func cellOf(lat, lon float64) string {
	r := func(f float64) string {
		return strconv.FormatFloat(math.Round(f/cellDegrees)*cellDegrees, 'f', 2, 64)
	}
	return r(lat) + "," + r(lon)
}

func parseCell(s string) (float64, float64, bool) {
	a, b, ok := strings.Cut(s, ",")
	if !ok {
		return 0, 0, false
	}
	lat, err1 := strconv.ParseFloat(a, 64)
	lon, err2 := strconv.ParseFloat(b, 64)
	return lat, lon, err1 == nil && err2 == nil
}

// isDistrictCode tells a district's ubigeo from a province's or department's (which
// end in 00) and from a populated place's or landmark's (longer).
func isDistrictCode(code string) bool {
	return len(code) == 6 && !strings.HasSuffix(code, "00")
}

// inLimaOrCallao tells whether a place is in Lima Metropolitana (province 1501) or
// Callao (department 07), where people need no department to recognise a name.
func inLimaOrCallao(code string) bool {
	return strings.HasPrefix(code, "1501") || strings.HasPrefix(code, "07")
}

// displayName is a place's name as a results header says it: with its department
// when it is outside Lima Metropolitana and Callao ("Pachacútec (Ica)").
func displayName(p Place) string {
	if inLimaOrCallao(p.Code) || p.Region == "" || p.Region == "Perú" {
		return p.Name
	}
	dept := p.Region
	if i := strings.LastIndex(dept, ", "); i >= 0 {
		dept = dept[i+2:]
	}
	if dept == p.Name {
		return p.Name
	}
	return p.Name + " (" + dept + ")"
}

// nearestFor returns, for the tags of a lines node, the search that adds the nearest
// help to its reply when the place is known: the nearest 24-hour service with a phone
// for an emergency, the nearest hospitals with emergency care for urgent health.
func nearestFor(tags []string) (Query, string, bool) {
	for _, t := range tags {
		switch t {
		case "emergency":
			return Query{Category: "violence", AlwaysOpen: true, WithPhone: true, PageSize: 1}, KeyNearest24h, true
		case "health":
			return Query{Category: "emergency", PageSize: 2}, KeyNearestEmergencyCare, true
		}
	}
	return Query{}, "", false
}

// nearest adds to a lines node's reply the nearest help for its tags, when the session
// knows where the person is.
func (st *stepper) nearest(n *Node) {
	q, key, ok := nearestFor(n.Tags)
	if !ok {
		return
	}
	o, ok := st.origin()
	if !ok {
		return
	}
	q.Lang, q.Now = st.s.Lang, st.in.Now
	q = o.query(q)
	q.Within = ""
	cards, _ := st.e.dir.Nearby(q)
	if len(cards) == 0 {
		return
	}
	vars := st.vars()
	if vars == nil {
		vars = map[string]any{}
	}
	vars["Place"] = o.label
	keys := []string{key}
	if d := nearestDistance(cards); d > farMetres {
		vars["Km"] = km(d, st.s.Lang)
		keys = []string{KeyServicesFar, key}
	}
	st.replies = append(st.replies, Reply{Keys: keys, Vars: vars, Cards: cards})
}

// preferRegion puts first, keeping their order, the places in the department of the
// place the person gave before: "Miraflores" after Arequipa is Arequipa's first.
func (st *stepper) preferRegion(places []Place) []Place {
	region := st.s.Vars[varRegion]
	if len(places) < 2 || region == "" {
		return places
	}
	out := make([]Place, 0, len(places))
	for _, p := range places {
		if strings.HasPrefix(p.Code, region) {
			out = append(out, p)
		}
	}
	for _, p := range places {
		if !strings.HasPrefix(p.Code, region) {
			out = append(out, p)
		}
	}
	return out
}
