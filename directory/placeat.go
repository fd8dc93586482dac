package directory

import (
	"math"

	"github.com/faro-chat/faro/directory/internal/geo"
)

// Tolerances of PlaceAt. The outlines are simplified, so a point on the coast or a
// border can fall just outside every district; a point farther out is not in Peru.
const (
	coastSlack = 5000  // metres outside the outlines still taken as Peru
	carvedNear = 10000 // metres from a district without outline to consider it
	// A point within downtown metres of a neighbour's capital and borderSlack metres of
	// its outline belongs to the neighbour.
	downtown    = 1000
	borderSlack = 1500
)

// placeAt implements Directory.PlaceAt: the district whose outline contains the point
// (or a newer district carved out of it, when the point is nearer its capital), or near
// the coast and borders the nearest district.
func (g *gazetteer) placeAt(lat, lon float64) (*gplace, bool) {
	if math.IsNaN(lat) || math.IsNaN(lon) || !geo.InPeruBox(lat, lon) {
		return nil, false
	}
	var in *geo.Shape
	g.shapes.Near(geo.MarginAround(lat, lon, 0), func(s *geo.Shape) bool {
		if s.Contains(lat, lon) {
			in = s
			return false
		}
		return true
	})
	if in != nil {
		d := g.shapeOf[in.Code]
		cands := append([]*gplace{d}, g.carved[in.Code]...)
		return nearestCapital(lat, lon, append(cands, g.downtownNeighbours(lat, lon, d)...)), true
	}
	var edge *gplace
	best := float64(coastSlack)
	g.shapes.Near(geo.MarginAround(lat, lon, coastSlack), func(s *geo.Shape) bool {
		if d := s.EdgeDistance(lat, lon); d <= best {
			best, edge = d, g.shapeOf[s.Code]
		}
		return true
	})
	// Districts without an outline (newer ones, and a few the source lacks, such as
	// Santa Anita and the island of Amantaní) leave holes: their capital may be nearer.
	var cands []*gplace
	if edge != nil {
		cands = append(cands, edge)
	}
	for _, p := range g.noShape {
		if geo.Distance(lat, lon, p.lat, p.lon) <= carvedNear {
			cands = append(cands, p)
		}
	}
	if len(cands) == 0 {
		return nil, false
	}
	return nearestCapital(lat, lon, cands), true
}

// downtownNeighbours returns the neighbours of d whose capital is within downtown
// metres of the point, when the point is also close to their outline: simplified
// borders cut through city centres (the Iquitos main square falls in Belén's outline).
// The nearest capital then decides.
func (g *gazetteer) downtownNeighbours(lat, lon float64, d *gplace) []*gplace {
	var out []*gplace
	g.shapes.Near(geo.MarginAround(lat, lon, borderSlack), func(s *geo.Shape) bool {
		if s.Code == d.code {
			return true
		}
		n := g.shapeOf[s.Code]
		if geo.Distance(lat, lon, n.lat, n.lon) <= downtown && s.EdgeDistance(lat, lon) <= borderSlack {
			out = append(out, n)
		}
		return true
	})
	return out
}

func nearestCapital(lat, lon float64, cands []*gplace) *gplace {
	best, bestD := cands[0], math.Inf(1)
	for _, p := range cands {
		if d := geo.Distance(lat, lon, p.lat, p.lon); d < bestD {
			best, bestD = p, d
		}
	}
	return best
}
