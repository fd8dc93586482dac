package flows

import (
	"math"
	"testing"
)

// TestDisplayName: a header names the department of a place outside Lima Metropolitana
// and Callao, and only there.
func TestDisplayName(t *testing.T) {
	cases := []struct {
		p    Place
		want string
	}{
		{Place{Code: "150132", Name: "San Juan de Lurigancho", Region: "Lima, Lima"}, "San Juan de Lurigancho"},
		{Place{Code: "070106L001", Name: "Pachacútec", Region: "Ventanilla, Callao, Callao"}, "Pachacútec"},
		{Place{Code: "110105", Name: "Pachacutec", Region: "Ica, Ica"}, "Pachacutec (Ica)"},
		{Place{Code: "151021", Name: "Miraflores", Region: "Yauyos, Lima"}, "Miraflores (Lima)"}, // Lima department, not Lima Metropolitana
		{Place{Code: "240101L001", Name: "Puerto Pizarro", Region: "Tumbes, Tumbes, Tumbes"}, "Puerto Pizarro (Tumbes)"},
		{Place{Code: "240000", Name: "Tumbes", Region: "Perú"}, "Tumbes"},
		{Place{Code: "240100", Name: "Tumbes", Region: "Tumbes"}, "Tumbes"},
	}
	for _, c := range cases {
		if got := displayName(c.p); got != c.want {
			t.Errorf("displayName(%s %s) = %q, want %q", c.p.Code, c.p.Name, got, c.want)
		}
	}
}

// TestCellOf: the cell is the pin rounded to 0.01°, and no finer.
func TestCellOf(t *testing.T) {
	cases := []struct {
		lat, lon float64
		want     string
	}{
		{-11.94371, -76.97129, "-11.94,-76.97"},
		{-12.005, -77.0049, "-12.01,-77.00"},
		{-3.5, -80.45, "-3.50,-80.45"},
	}
	for _, c := range cases {
		got := cellOf(c.lat, c.lon)
		if got != c.want {
			t.Errorf("cellOf(%v, %v) = %q, want %q", c.lat, c.lon, got, c.want)
		}
		lat, lon, ok := parseCell(got)
		if !ok || haversineM(c.lat, c.lon, lat, lon) > cellError {
			t.Errorf("cell %q is more than %d m from %v,%v", got, cellError, c.lat, c.lon)
		}
	}
}

// haversineM is the great-circle distance in metres.
func haversineM(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371008.8
	rad := math.Pi / 180
	dlat, dlon := (lat2-lat1)*rad, (lon2-lon1)*rad
	a := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * r * math.Asin(math.Sqrt(a))
}
