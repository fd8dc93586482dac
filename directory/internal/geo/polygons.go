package geo

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// scale is the fixed-point precision of the polygon file: 1e-5 degree, about 1 m.
const scale = 1e5

// Shape is the outline of one district: every ring of every part, tested with the
// even-odd rule, which handles holes and multi-part districts alike.
type Shape struct {
	Code  string
	Rings [][]float64 // each ring is lon, lat, lon, lat, ...; closed or not
	// MinLon, MinLat, MaxLon, MaxLat bound the shape.
	MinLon, MinLat, MaxLon, MaxLat float64
}

// Contains reports whether the point is inside the shape.
func (s *Shape) Contains(lat, lon float64) bool {
	if lon < s.MinLon || lon > s.MaxLon || lat < s.MinLat || lat > s.MaxLat {
		return false
	}
	in := false
	for _, r := range s.Rings {
		n := len(r) / 2
		for i, j := 0, n-1; i < n; j, i = i, i+1 {
			xi, yi := r[2*i], r[2*i+1]
			xj, yj := r[2*j], r[2*j+1]
			if (yi > lat) != (yj > lat) && lon < (xj-xi)*(lat-yi)/(yj-yi)+xi {
				in = !in
			}
		}
	}
	return in
}

// EdgeDistance returns the distance in metres from the point to the nearest edge of the
// shape, using a local flat projection (good to a few percent below 100 km).
func (s *Shape) EdgeDistance(lat, lon float64) float64 {
	kx := math.Cos(lat*math.Pi/180) * EarthRadius * math.Pi / 180
	ky := EarthRadius * math.Pi / 180
	best := math.Inf(1)
	for _, r := range s.Rings {
		n := len(r) / 2
		for i, j := 0, n-1; i < n; j, i = i, i+1 {
			ax, ay := (r[2*j]-lon)*kx, (r[2*j+1]-lat)*ky
			bx, by := (r[2*i]-lon)*kx, (r[2*i+1]-lat)*ky
			if d := segDist(ax, ay, bx, by); d < best {
				best = d
			}
		}
	}
	return best
}

// segDist is the distance from the origin to the segment a-b.
func segDist(ax, ay, bx, by float64) float64 {
	dx, dy := bx-ax, by-ay
	t := 0.0
	if l := dx*dx + dy*dy; l > 0 {
		t = math.Max(0, math.Min(1, -(ax*dx+ay*dy)/l))
	}
	x, y := ax+t*dx, ay+t*dy
	return math.Hypot(x, y)
}

// Margin is a distance around a point in degrees of latitude and longitude, for Near.
type Margin struct{ Lat, Lon, DLat, DLon float64 }

// MarginAround returns the margin of m metres around a point.
func MarginAround(lat, lon, m float64) Margin {
	dLat := m / (EarthRadius * math.Pi / 180)
	return Margin{lat, lon, dLat, dLat / math.Max(0.01, math.Cos(lat*math.Pi/180))}
}

// Near is a cheap test: false means the point is surely farther from the shape than the
// margin (its bounding box grown by the margin does not contain the point).
func (s *Shape) Near(m Margin) bool {
	return m.Lat >= s.MinLat-m.DLat && m.Lat <= s.MaxLat+m.DLat && m.Lon >= s.MinLon-m.DLon && m.Lon <= s.MaxLon+m.DLon
}

func (s *Shape) bound() {
	s.MinLon, s.MinLat, s.MaxLon, s.MaxLat = math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, r := range s.Rings {
		for i := 0; i+1 < len(r); i += 2 {
			s.MinLon, s.MaxLon = math.Min(s.MinLon, r[i]), math.Max(s.MaxLon, r[i])
			s.MinLat, s.MaxLat = math.Min(s.MinLat, r[i+1]), math.Max(s.MaxLat, r[i+1])
		}
	}
}

// WriteShapes writes shapes in Faro's compact text format: one line per shape, the code,
// a tab, and rings separated by "|"; a ring is its first point in 1e-5 degrees
// ("lon,lat") followed by the differences to the previous point. Lines starting with "#"
// are comments and header is written as such.
func WriteShapes(w io.Writer, header string, shapes []Shape) error {
	bw := bufio.NewWriter(w)
	if header = strings.TrimSpace(header); header != "" {
		for _, l := range strings.Split(header, "\n") {
			fmt.Fprintf(bw, "# %s\n", l)
		}
	}
	for _, s := range shapes {
		bw.WriteString(s.Code)
		bw.WriteByte('\t')
		for ri, r := range s.Rings {
			if ri > 0 {
				bw.WriteByte('|')
			}
			var px, py int64
			wrote := 0
			for i := 0; i+1 < len(r); i += 2 {
				x, y := int64(math.Round(r[i]*scale)), int64(math.Round(r[i+1]*scale))
				if wrote > 0 && x == px && y == py {
					continue
				}
				if wrote > 0 {
					bw.WriteByte(' ')
				}
				bw.WriteString(strconv.FormatInt(x-px, 10))
				bw.WriteByte(',')
				bw.WriteString(strconv.FormatInt(y-py, 10))
				px, py = x, y
				wrote++
			}
		}
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// ReadShapes parses the format written by WriteShapes.
func ReadShapes(r io.Reader) ([]Shape, error) {
	var shapes []Shape
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		if text == "" || text[0] == '#' {
			continue
		}
		code, body, ok := strings.Cut(text, "\t")
		if !ok || code == "" {
			return nil, fmt.Errorf("line %d: want code<TAB>rings", line)
		}
		s := Shape{Code: code}
		for _, rs := range strings.Split(body, "|") {
			ring, err := parseRing(rs)
			if err != nil {
				return nil, fmt.Errorf("line %d (%s): %w", line, code, err)
			}
			s.Rings = append(s.Rings, ring)
		}
		s.bound()
		shapes = append(shapes, s)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read shapes: %w", err)
	}
	return shapes, nil
}

func parseRing(s string) ([]float64, error) {
	pts := strings.Fields(s)
	if len(pts) < 3 {
		return nil, fmt.Errorf("ring with %d points", len(pts))
	}
	ring := make([]float64, 0, 2*len(pts))
	var x, y int64
	for _, p := range pts {
		xs, ys, ok := strings.Cut(p, ",")
		dx, err1 := strconv.ParseInt(xs, 10, 64)
		dy, err2 := strconv.ParseInt(ys, 10, 64)
		if !ok || err1 != nil || err2 != nil {
			return nil, fmt.Errorf("bad point %q", p)
		}
		x, y = x+dx, y+dy
		ring = append(ring, float64(x)/scale, float64(y)/scale)
	}
	return ring, nil
}
