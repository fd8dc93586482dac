package directory_test

import (
	"io/fs"
	"math"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"go.yaml.in/yaml/v3"

	"github.com/faro-chat/faro/directory"
	"github.com/faro-chat/faro/flows"
)

// TestLocateLandmarks checks one place of each class of landmarks.yaml, in Lima and in
// other cities: it is found alone, at its own point, in its district.
func TestLocateLandmarks(t *testing.T) {
	d := load(t)
	cases := []struct{ class, text, name, region string }{
		{"market", "mesa redonda", "Mesa Redonda", "Lima, Lima, Lima"},
		{"market", "Mercado Central de Lima", "Mercado Central", "Lima, Lima, Lima"},
		{"market", "polvos azules", "Polvos Azules", "La Victoria, Lima, Lima"},
		{"market", "mercado la parada", "La Parada", "La Victoria, Lima, Lima"},
		{"market", "estoy por el mercado san camilo", "Mercado San Camilo", "Arequipa, Arequipa, Arequipa"},
		{"market", "san camilo", "Mercado San Camilo", "Arequipa, Arequipa, Arequipa"},
		{"landmark", "plaza san martin", "Plaza San Martín", "Lima, Lima, Lima"},
		{"landmark", "Plaza 2 de Mayo", "Plaza Dos de Mayo", "Lima, Lima, Lima"},
		{"landmark", "megaplaza norte", "Megaplaza", "Independencia, Lima, Lima"},
		{"landmark", "cerca del estadio nacional", "Estadio Nacional", "Lima, Lima, Lima"},
		{"landmark", "circuito magico del agua", "Parque de la Reserva", "Lima, Lima, Lima"},
		{"landmark", "close to larcomar", "Larcomar", "Miraflores, Lima, Lima"},
		{"settlement", "huaycan", "Huaycán", "Ate, Lima, Lima"},
		{"settlement", "jicamarca", "Jicamarca", "Lurigancho, Lima, Lima"},
		{"settlement", "puerto pizarro", "Puerto Pizarro", "Tumbes, Tumbes, Tumbes"},
		{"settlement", "alto trujillo", "Alto Trujillo", "El Porvenir, Trujillo, La Libertad"},
		{"neighbourhood", "zarate", "Zárate", "San Juan de Lurigancho, Lima, Lima"},
		{"neighbourhood", "canto grande", "Canto Grande", "San Juan de Lurigancho, Lima, Lima"},
		{"neighbourhood", "las flores", "Las Flores", "San Juan de Lurigancho, Lima, Lima"},
		{"neighbourhood", "caqueta", "Caquetá", "Rímac, Lima, Lima"},
		{"neighbourhood", "san blas", "San Blas", "Cusco, Cusco, Cusco"},
		{"neighbourhood", "cono norte tacna", "Cono Norte", "Ciudad Nueva, Tacna, Tacna"},
		{"neighbourhood", "los algarrobos piura", "Los Algarrobos", "Piura, Piura, Piura"},
	}
	for _, c := range cases {
		got := d.Locate(c.text)
		if len(got) != 1 || got[0].Name != c.name || got[0].Region != c.region {
			t.Errorf("%s: Locate(%q) = %v, want only %s (%s)", c.class, c.text, got, c.name, c.region)
		}
	}
}

// TestLocateCommonPhrases: a landmark whose name is also a common phrase or is shared
// by other cities (generic in landmarks.yaml) is not found by that phrase alone, nor by
// a near spelling of it or by a place named inside it: «estoy en la parada» may be a
// bus stop anywhere, and «mercado central» is in every city. With its district or
// another of its names it is found.
func TestLocateCommonPhrases(t *testing.T) {
	d := load(t)
	for _, text := range []string{
		"la parada", "La Parada", "la parada del bus", "en la parada de la combi",
		"mercado central", "el mercado central", "cono norte", "megaplaza", "mercado san pedro",
		"plaza de armas", "la plaza de armas", "en la plaza de armas", "plaza de armas pues",
	} {
		if got := d.Locate(text); len(got) != 0 {
			t.Errorf("Locate(%q) = %v, want nothing: it is a common phrase", text, got)
		}
	}
	cases := []struct{ text, name, region string }{
		{"la parada de la victoria", "La Parada", "La Victoria, Lima, Lima"},
		{"la parada la victoria", "La Parada", "La Victoria, Lima, Lima"},
		{"ex mercado la parada", "La Parada", "La Victoria, Lima, Lima"},
		{"mercado ramon castilla", "Mercado Central", "Lima, Lima, Lima"},
		{"mercado san pedro cusco", "Mercado San Pedro", "Cusco, Cusco, Cusco"},
		{"megaplaza los olivos", "Megaplaza", "Independencia, Lima, Lima"},
		{"plaza de armas de lima", "Plaza de Armas", "Lima, Lima, Lima"},
		{"plaza mayor de lima", "Plaza de Armas", "Lima, Lima, Lima"},
		{"plaza de armas de trujillo", "Trujillo", "La Libertad"},
	}
	for _, c := range cases {
		got := d.Locate(c.text)
		if len(got) != 1 || got[0].Name != c.name || got[0].Region != c.region {
			t.Errorf("Locate(%q) = %v, want only %s (%s)", c.text, got, c.name, c.region)
		}
	}
	// still a district: the words of the phrase are not banned elsewhere
	if got := d.Locate("la victoria"); len(got) == 0 || got[0].Name != "La Victoria" {
		t.Errorf("Locate(la victoria) = %v", got)
	}
	if got := d.Locate("arma"); len(got) == 0 || got[0].Name != "Arma" {
		t.Errorf("Locate(arma) = %v", got)
	}
}

// TestLocateLandmarkHomonyms: a Lima market or settlement that shares its name with a
// district elsewhere is offered first, and the other is offered too.
func TestLocateLandmarkHomonyms(t *testing.T) {
	d := load(t)
	cases := []struct{ text, first, other string }{
		{"gamarra", "La Victoria, Lima, Lima", "Grau, Apurimac"}, // a district of Apurímac
		{"pachacutec", "Ventanilla, Callao, Callao", "Ica, Ica"}, // a district of Ica
	}
	for _, c := range cases {
		got := d.Locate(c.text)
		if len(got) < 2 || got[0].Region != c.first || got[1].Region != c.other {
			t.Errorf("Locate(%q) = %v, want %s first, then %s", c.text, got, c.first, c.other)
		}
	}
}

// TestLandmarksInTheirDistrict checks every point of landmarks.yaml against the district
// outlines and capitals: a point in another province, or far from its district, is
// caught here. The outlines are simplified (INEI 2007) and older than some districts,
// so a point near a border may fall in the neighbour: same province, within 8 km of
// the declared district's capital. Each landmark has a source.
func TestLandmarksInTheirDistrict(t *testing.T) {
	d := load(t)
	b, err := os.ReadFile("data/geo/landmarks.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Landmarks []struct {
			Name, District, Source string
			Lat, Lon               float64
		}
	}
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Landmarks) < 20 {
		t.Fatalf("%d landmarks read, want at least 20", len(doc.Landmarks))
	}
	for _, l := range doc.Landmarks {
		p, ok := d.PlaceAt(l.Lat, l.Lon)
		dist, known := d.Place(l.District)
		near := p.Code == l.District || haversine(l.Lat, l.Lon, dist.Lat, dist.Lon) < 8000 || carvedOut[l.Name] == p.Code
		if !ok || !known || p.Code[:4] != l.District[:4] || !near {
			t.Errorf("%s at %.4f,%.4f is in %s %s, not in or near %s", l.Name, l.Lat, l.Lon, p.Code, p.Name, l.District)
		}
		if l.Source == "" {
			t.Errorf("%s has no source", l.Name)
		}
	}
}

// TestNearbyWithinDistrict: with a typed district, its own services come first even
// when a neighbour's are nearer its centre.
func TestNearbyWithinDistrict(t *testing.T) {
	d := load(t)
	sjl, _ := d.Place("150132")
	q := flows.Query{Lang: "es", Category: directory.CatViolence, Lat: sjl.Lat, Lon: sjl.Lon, Now: mondayMorning, PageSize: 10}
	plain, _ := d.Nearby(q)
	q.Within = "150132"
	within, _ := d.Nearby(q)
	inSJL := func(c flows.Card) bool { return strings.HasPrefix(c.Place, "San Juan de Lurigancho") }
	outside := false
	for _, c := range within {
		if !inSJL(c) {
			outside = true
		} else if outside {
			t.Errorf("%s (in SJL) comes after a service outside SJL: %v", c.Name, names(within))
		}
	}
	if inSJL(plain[0]) && inSJL(plain[1]) && inSJL(plain[2]) {
		t.Logf("plain order already puts SJL first: %v", names(plain))
	}
	if !inSJL(within[0]) {
		t.Errorf("first = %s, want a service in SJL", within[0].Name)
	}
}

// TestNearbyOpenNowUnknownHours: at night, health services whose hours are unknown are
// not dropped as closed; hospitals with emergency care come first.
func TestNearbyOpenNowUnknownHours(t *testing.T) {
	d := load(t)
	cards, _ := d.Nearby(flows.Query{Lang: "es", Category: directory.CatHealth, Lat: -5.1945, Lon: -80.6328, Now: sundayNight, OpenNow: true})
	if len(cards) == 0 {
		t.Fatal("no health service open or of unknown hours in Piura at night")
	}
	if cards[0].Open != flows.OpenUnknown || !strings.Contains(cards[0].Note, "emergencias") {
		t.Errorf("first = %s (open %v, note %q), want a hospital with emergency care, hours unknown", cards[0].Name, cards[0].Open, cards[0].Note)
	}
	for _, c := range cards {
		if c.Open == flows.ClosedNow {
			t.Errorf("%s is closed now", c.Name)
		}
	}
}

// TestNearby24hWithPhone is the search of an emergency reply: open 24 hours, a phone.
func TestNearby24hWithPhone(t *testing.T) {
	d := load(t)
	tumbes, _ := d.Place("240101")
	cards, _ := d.Nearby(flows.Query{Lang: "es", Category: directory.CatViolence, Lat: tumbes.Lat, Lon: tumbes.Lon,
		Now: sundayNight, AlwaysOpen: true, WithPhone: true, PageSize: 1})
	if len(cards) != 1 || cards[0].Open != flows.Always || len(cards[0].Phones) == 0 || cards[0].Distance > 20_000 {
		t.Fatalf("got %+v, want one 24-hour service with a phone near Tumbes", cards)
	}
}

// TestExportMarksApproximate: entries placed at their district's capital are marked in
// the export, and no other entry is.
func TestExportMarksApproximate(t *testing.T) {
	d := load(t)
	n := 0
	for _, e := range d.Entries("services.yaml") {
		if e.Coverage != directory.CoverageNational && e.Lat == 0 {
			n++
			if !e.Approx {
				t.Errorf("%s has no coordinates but is not marked approximate", e.ID)
			}
		}
	}
	if n == 0 {
		t.Fatal("no entry without coordinates in services.yaml: the test checks nothing")
	}
}

// carvedOut are landmarks whose source gives a district that was split after the
// outlines were drawn, with the district the outlines give.
var carvedOut = map[string]string{
	"Jicamarca": "150144", // MINSA gives Lurigancho (150118); Santa María de Huachipa was carved from it
}

// haversine is the great-circle distance in metres, written here independently of the
// package's own.
func haversine(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371008.8
	rad := math.Pi / 180
	dlat, dlon := (lat2-lat1)*rad, (lon2-lon1)*rad
	a := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * r * math.Asin(math.Sqrt(a))
}

// TestLandmarksFileChecked: a landmark with no source, an unknown district, an unknown
// kind or a point outside Peru stops the load with the file and the name in the error.
func TestLandmarksFileChecked(t *testing.T) {
	cases := []struct{ name, line, want string }{
		{"no source", `{name: X Market, kind: market, district: "150115", lat: -12.06, lon: -77.01, source: ""}`, "needs a name, a source"},
		{"unknown district", `{name: X Market, kind: market, district: "159999", lat: -12.06, lon: -77.01, source: hand}`, "unknown district"},
		{"unknown kind", `{name: X Market, kind: mall, district: "150115", lat: -12.06, lon: -77.01, source: hand}`, "needs a name, a source"},
		{"outside Peru", `{name: X Market, kind: market, district: "150115", lat: 40.4, lon: -3.7, source: hand}`, "bad coordinates"},
		{"unknown field", `{name: X Market, kind: market, district: "150115", lat: -12.06, lon: -77.01, source: hand, pop: 3}`, "pop"},
	}
	for _, c := range cases {
		fsys := fstest.MapFS{}
		err := fs.WalkDir(directory.Embedded(), ".", func(path string, de fs.DirEntry, err error) error {
			if err != nil || de.IsDir() {
				return err
			}
			b, err := fs.ReadFile(directory.Embedded(), path)
			fsys[path] = &fstest.MapFile{Data: b}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		fsys["geo/landmarks.yaml"] = &fstest.MapFile{Data: []byte("landmarks:\n  - " + c.line + "\n")}
		_, err = directory.Load(fsys)
		if err == nil || !strings.Contains(err.Error(), "landmarks.yaml") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: Load error = %v, want one about landmarks.yaml saying %q", c.name, err, c.want)
		}
	}
}

// TestNearbyMeasureFrom: a first page chosen from a pin's cell and measured from the pin
// is followed by the cell's second page with no gap and no repeat, nearest to the pin
// first, and its distances are the pin's.
func TestNearbyMeasureFrom(t *testing.T) {
	d := load(t)
	const pinLat, pinLon, cellLat, cellLon = -11.94371, -76.97129, -11.94, -76.97
	q := flows.Query{Lang: "es", Category: directory.CatViolence, Lat: cellLat, Lon: cellLon, Now: mondayMorning, PageSize: 6}
	six, _ := d.Nearby(q)
	q.PageSize = 3
	q.MeasureFrom = &[2]float64{pinLat, pinLon}
	first, _ := d.Nearby(q)
	q.MeasureFrom, q.Page = nil, 1
	second, _ := d.Nearby(q)
	got := map[string]bool{}
	for _, c := range append(first, second...) {
		got[c.Name] = true
	}
	for _, c := range six {
		if !got[c.Name] {
			t.Errorf("%s, among the cell's six nearest, is on neither page", c.Name)
		}
	}
	where := map[string][2]float64{}
	for _, e := range d.Entries("") {
		where[e.ID] = [2]float64{e.Lat, e.Lon}
	}
	for i, c := range first {
		p := where[c.ID]
		if want := haversine(pinLat, pinLon, p[0], p[1]); math.Abs(c.Distance-want) > 1 {
			t.Errorf("%s at %.0f m, is %.0f m from the pin", c.Name, c.Distance, want)
		}
		if i > 0 && first[i-1].Distance > c.Distance {
			t.Errorf("first page not nearest to the pin first: %v", names(first))
		}
	}
}
