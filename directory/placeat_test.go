package directory_test

import (
	"testing"

	"github.com/faro-chat/faro/directory"
)

func TestPlaceAt(t *testing.T) {
	d := load(t)
	cases := []struct {
		name     string
		lat, lon float64
		code     string // "" means outside Peru
	}{
		{"Lima, Plaza de Armas", -12.0453, -77.0308, "150101"},
		{"Miraflores", -12.1217, -77.0292, "150122"},
		{"Iquitos main square (the outline puts it in Belén)", -3.748, -73.244, "160101"},
		{"Santa Anita (no outline in the source)", -12.0464, -76.9711, "150137"},
		{"La Punta (no outline in the source)", -12.0728, -77.1633, "070105"},
		{"Callao, on the beach", -12.06, -77.16, "070101"},
		{"Cusco, Plaza de Armas", -13.5164, -71.9785, "080101"},
		{"Arequipa, Plaza de Armas", -16.3989, -71.5369, "040101"},
		{"Puno", -15.8402, -70.0219, "210101"},
		{"Tumbes", -3.5669, -80.4515, "240101"},
		{"Arica, Chile", -18.4783, -70.3126, ""},
		{"La Paz, Bolivia", -16.5, -68.15, ""},
		{"Guayaquil, Ecuador", -2.19, -79.89, ""},
		{"Pacific, 150 km off Lima", -12.5, -78.5, ""},
		{"Null Island", 0, 0, ""},
		{"Madrid", 40.4, -3.7, ""},
	}
	for _, c := range cases {
		p, ok := d.PlaceAt(c.lat, c.lon)
		switch {
		case c.code == "" && ok:
			t.Errorf("%s: PlaceAt = %s %s, want outside Peru", c.name, p.Code, p.Name)
		case c.code != "" && (!ok || p.Code != c.code):
			t.Errorf("%s: PlaceAt = %q %s (%v), want %s", c.name, p.Code, p.Name, ok, c.code)
		}
	}
}

// TestPlaceAtForgetsThePoint: the place returned carries the district capital's
// coordinates, never the user's.
func TestPlaceAtForgetsThePoint(t *testing.T) {
	d := load(t)
	lat, lon := -12.0201, -76.9877 // somewhere in San Juan de Lurigancho
	p, ok := d.PlaceAt(lat, lon)
	if !ok {
		t.Fatal("point in Lima not found")
	}
	q, _ := d.Place(p.Code)
	if p.Lat == lat || p.Lon == lon || p.Lat != q.Lat || p.Lon != q.Lon {
		t.Errorf("PlaceAt returned %v,%v: want the district's point %v,%v, not the user's", p.Lat, p.Lon, q.Lat, q.Lon)
	}
}

// TestPlaceAtDistrictCapitals: a pin at a district's capital lands in that district for
// nearly all of Peru's 1,893 districts (the rest are border effects of simplified
// outlines and 7 new districts that have no coordinates of their own).
func TestPlaceAtDistrictCapitals(t *testing.T) {
	d := load(t)
	total, right := 0, 0
	for _, code := range directory.DistrictCodes(t) {
		p, _ := d.Place(code)
		total++
		if q, ok := d.PlaceAt(p.Lat, p.Lon); ok && q.Code == code {
			right++
		}
	}
	if total < 1890 {
		t.Fatalf("only %d districts in the gazetteer", total)
	}
	if float64(right)/float64(total) < 0.985 {
		t.Errorf("%d of %d district capitals land in their district, want at least 98.5%%", right, total)
	}
}
