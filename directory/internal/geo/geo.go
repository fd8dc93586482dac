// Package geo has the little geometry Faro needs: great-circle distances, points as unit
// vectors for the spatial index, Peru's bounding box, and district polygons.
package geo

import "math"

// EarthRadius is the mean Earth radius in metres.
const EarthRadius = 6371008.8

// Peru's bounding box with a small margin (WGS84 degrees).
const (
	MinLat, MaxLat = -18.45, 0.05
	MinLon, MaxLon = -81.45, -68.6
)

// InPeruBox reports whether a point lies inside Peru's bounding box. Points outside it
// are certainly not in Peru; points inside it may still be in a neighbouring country.
func InPeruBox(lat, lon float64) bool {
	return lat >= MinLat && lat <= MaxLat && lon >= MinLon && lon <= MaxLon
}

// Distance returns the great-circle distance in metres between two points (haversine).
func Distance(lat1, lon1, lat2, lon2 float64) float64 {
	φ1, φ2 := lat1*math.Pi/180, lat2*math.Pi/180
	dφ := φ2 - φ1
	dλ := (lon2 - lon1) * math.Pi / 180
	s1, s2 := math.Sin(dφ/2), math.Sin(dλ/2)
	h := s1*s1 + math.Cos(φ1)*math.Cos(φ2)*s2*s2
	return 2 * EarthRadius * math.Asin(math.Sqrt(math.Min(1, h)))
}

// Vec is a point on the unit sphere. The straight-line (chord) distance between two Vecs
// grows with their great-circle distance, so nearest by chord is nearest on the globe.
type Vec [3]float64

// ToVec converts degrees to a unit vector.
func ToVec(lat, lon float64) Vec {
	φ, λ := lat*math.Pi/180, lon*math.Pi/180
	c := math.Cos(φ)
	return Vec{c * math.Cos(λ), c * math.Sin(λ), math.Sin(φ)}
}

// Chord2 returns the squared chord distance between two unit vectors.
func Chord2(a, b Vec) float64 {
	dx, dy, dz := a[0]-b[0], a[1]-b[1], a[2]-b[2]
	return dx*dx + dy*dy + dz*dz
}

// ChordToMetres converts a squared chord distance to a great-circle distance in metres.
func ChordToMetres(c2 float64) float64 {
	return 2 * EarthRadius * math.Asin(math.Min(1, math.Sqrt(c2)/2))
}

// MetresToChord2 converts a great-circle distance in metres to a squared chord distance.
func MetresToChord2(m float64) float64 {
	if m >= math.Pi*EarthRadius {
		return 4
	}
	c := 2 * math.Sin(m/(2*EarthRadius))
	return c * c
}
