package directory

import (
	"math"
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

// Nearby returns one page of the services of q.Category nearest to q.Lat, q.Lon, nearest
// first, with distances and the open state at q.Now (America/Lima), and whether another
// page exists. For the shelter category it returns the Centros Emergencia Mujer that
// arrange a place in a shelter, never a shelter: their locations are confidential.
// The point is used for this answer only.
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
	page := max(q.Page, 0)
	start := page * size
	if start >= maxResults {
		return nil, false
	}
	k := min(start+size, maxResults) + 1 // one more tells whether a next page exists
	now := q.Now
	if now.IsZero() {
		now = time.Now()
	}
	keep := func(id int) bool {
		r := ci.recs[id]
		if q.FreeOnly && !r.e.Free {
			return false
		}
		if q.OpenNow {
			if r.hours == nil {
				return false
			}
			if !r.hours.OpenAt(now, d.loc, d.hol.is) {
				return false
			}
		}
		return true
	}
	hits := ci.tree.Nearest(geo.ToVec(q.Lat, q.Lon), k, geo.MetresToChord2(maxDistance), keep, nil)
	if start >= len(hits) {
		return nil, false
	}
	end := min(start+size, len(hits), maxResults)
	cards := make([]flows.Card, 0, end-start)
	for _, h := range hits[start:end] {
		r := ci.recs[h.ID]
		c := d.card(r, q.Lang, now)
		c.Distance = math.Round(geo.Distance(q.Lat, q.Lon, r.lat, r.lon))
		if q.Category == CatShelter {
			c.Note = joinNotes(d.texts[textShelter].Note.In(q.Lang), c.Note)
		}
		cards = append(cards, c)
	}
	return cards, len(hits) > end
}
