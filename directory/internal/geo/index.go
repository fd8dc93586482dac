package geo

import "math"

// cellDeg is the side of a ShapeIndex cell in degrees (about 11 km).
const cellDeg = 0.1

// ShapeIndex finds the shapes near a point through a grid of their bounding boxes, so
// that a query looks at a handful of districts instead of all of them.
type ShapeIndex struct {
	Shapes         []Shape
	minLat, minLon float64
	rows, cols     int
	cells          [][]int32
}

// NewShapeIndex indexes shapes.
func NewShapeIndex(shapes []Shape) *ShapeIndex {
	x := &ShapeIndex{Shapes: shapes, minLat: math.Inf(1), minLon: math.Inf(1)}
	maxLat, maxLon := math.Inf(-1), math.Inf(-1)
	for _, s := range shapes {
		x.minLat, x.minLon = math.Min(x.minLat, s.MinLat), math.Min(x.minLon, s.MinLon)
		maxLat, maxLon = math.Max(maxLat, s.MaxLat), math.Max(maxLon, s.MaxLon)
	}
	if len(shapes) == 0 {
		return x
	}
	x.rows = int((maxLat-x.minLat)/cellDeg) + 1
	x.cols = int((maxLon-x.minLon)/cellDeg) + 1
	x.cells = make([][]int32, x.rows*x.cols)
	for i, s := range shapes {
		r0, c0 := x.cell(s.MinLat, s.MinLon)
		r1, c1 := x.cell(s.MaxLat, s.MaxLon)
		for r := r0; r <= r1; r++ {
			for c := c0; c <= c1; c++ {
				x.cells[r*x.cols+c] = append(x.cells[r*x.cols+c], int32(i))
			}
		}
	}
	return x
}

// cell returns the row and column of a point, clamped to the grid.
func (x *ShapeIndex) cell(lat, lon float64) (int, int) {
	r := int((lat - x.minLat) / cellDeg)
	c := int((lon - x.minLon) / cellDeg)
	return min(max(r, 0), x.rows-1), min(max(c, 0), x.cols-1)
}

// Near calls visit, once each and in index order within a cell, for the shapes whose
// bounding box grown by the margin contains the point, until visit returns false.
func (x *ShapeIndex) Near(m Margin, visit func(s *Shape) bool) {
	if x.rows == 0 || m.Lat+m.DLat < x.minLat || m.Lon+m.DLon < x.minLon ||
		m.Lat-m.DLat > x.minLat+float64(x.rows)*cellDeg || m.Lon-m.DLon > x.minLon+float64(x.cols)*cellDeg {
		return
	}
	r0, c0 := x.cell(m.Lat-m.DLat, m.Lon-m.DLon)
	r1, c1 := x.cell(m.Lat+m.DLat, m.Lon+m.DLon)
	var seen []int32
	for r := r0; r <= r1; r++ {
		for c := c0; c <= c1; c++ {
			for _, i := range x.cells[r*x.cols+c] {
				if r1 > r0 || c1 > c0 {
					if containsInt32(seen, i) {
						continue
					}
					seen = append(seen, i)
				}
				s := &x.Shapes[i]
				if s.Near(m) && !visit(s) {
					return
				}
			}
		}
	}
}

func containsInt32(list []int32, v int32) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
