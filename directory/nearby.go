package directory

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/faro-chat/faro/directory/internal/geo"
	"github.com/faro-chat/faro/flows"
)

// Search limits. Services farther than maxDistance are not "nearby": the national lines
// answer instead. Pages stop after maxResults services.
const (
	maxDistance     = 150_000 // metres
	defaultPageSize = 3
	maxPageSize     = 10
	maxResults      = 60
)

// Nearby returns one page of the services of q.Category nearest to q.Lat, q.Lon, with
// distances and the open state at q.Now (America/Lima), and whether another page
// exists. Services in the district q.Within come first; with q.OpenNow, services known
// to be open come before those whose hours are unknown (closed ones are left out). For
// the shelter category it returns the Centros Emergencia Mujer that arrange a place in
// a shelter, never a shelter: their locations are confidential. The point is used for
// this answer only.
func (d *Directory) Nearby(q flows.Query) ([]flows.Card, bool) {
	ci := d.byCategory[q.Category]
	if ci == nil || math.IsNaN(q.Lat) || math.IsNaN(q.Lon) || math.Abs(q.Lat) > 90 || math.Abs(q.Lon) > 180 {
		return nil, false
	}
	size := q.PageSize
	if size <= 0 {
		size = defaultPageSize
	}
	size = min(size, maxPageSize)
	start := max(q.Page, 0) * size
	if start >= maxResults {
		return nil, false
	}
	now := q.Now
	if now.IsZero() {
		now = time.Now()
	}
	keep := func(id int) bool { return d.keeps(ci.recs[id], q, now) }
	hits := ci.tree.Nearest(geo.ToVec(q.Lat, q.Lon), maxResults, geo.MetresToChord2(maxDistance), keep, nil)
	ids := make([]int, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	// Nearest answers nearest first: a stable sort by rank keeps that order within a rank.
	slices.SortStableFunc(ids, func(a, b int) int { return rank(ci.recs[a], q) - rank(ci.recs[b], q) })
	if start >= len(ids) {
		return nil, false
	}
	end := min(start+size, len(ids))
	from := [2]float64{q.Lat, q.Lon}
	if q.MeasureFrom != nil {
		from = *q.MeasureFrom
	}
	cards := make([]flows.Card, 0, end-start)
	ranks := make(map[string]int, end-start)
	for _, id := range ids[start:end] {
		r := ci.recs[id]
		c := d.card(r, q.Lang, now)
		c.Distance = math.Round(geo.Distance(from[0], from[1], r.lat, r.lon))
		if q.Category == CatShelter {
			c.Note = joinNotes(d.texts[textShelter].Note.In(q.Lang), c.Note)
		}
		ranks[c.ID] = rank(r, q)
		cards = append(cards, c)
	}
	if q.MeasureFrom != nil {
		// The page's services were chosen from the cell; within it, nearest to the pin
		// first (within each rank).
		slices.SortStableFunc(cards, func(a, b flows.Card) int {
			if ranks[a.ID] != ranks[b.ID] {
				return ranks[a.ID] - ranks[b.ID]
			}
			return cmp.Compare(a.Distance, b.Distance)
		})
	}
	return cards, len(ids) > end
}

// keeps tells whether a record answers q: free only, with a phone, open 24 hours, or
// not known to be closed now.
func (d *Directory) keeps(r *record, q flows.Query, now time.Time) bool {
	switch {
	case q.FreeOnly && !r.e.Free:
		return false
	case q.WithPhone && len(r.phones) == 0:
		return false
	case q.AlwaysOpen && (r.hours == nil || !r.hours.Always()):
		return false
	case q.OpenNow && r.hours != nil && !r.hours.OpenAt(now, d.loc, d.hol.is):
		return false
	}
	return true
}

// rank orders the services kept: with q.OpenNow, those known to be open (or, for health,
// with an emergency service) before those whose hours are unknown; then those inside
// q.Within before the others. Lower is better.
func rank(r *record, q flows.Query) int {
	rk := 0
	if q.OpenNow && r.hours == nil && !(r.tags[CatEmergency] && q.Category != CatEmergency) {
		rk += 2
	}
	if q.Within != "" && !strings.HasPrefix(r.e.District, q.Within) {
		rk++
	}
	return rk
}
