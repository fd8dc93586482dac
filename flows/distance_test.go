package flows_test

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/faro-chat/faro/flows"
)

// cardDistance reads "Name · a 2,7 km" (a service card's first line).
var cardDistance = regexp.MustCompile(`(?m)^(.+) · a (\d+,\d) km$`)

// TestDistancesFromThePin sends a pin about 9 km from the centre of its district (San
// Juan de Lurigancho) and checks every distance printed on the first page, on "Más
// resultados" and on "Solo abiertos ahora" against a haversine from the pin: exact on
// the first page, within the coarse cell's error afterwards. It also checks that the
// session keeps the cell, never the pin, and that "Más resultados" repeats no service
// of the pages before.
func TestDistancesFromThePin(t *testing.T) {
	e, texts := realEngine(t)
	const pinLat, pinLon = -11.94371, -76.97129
	where := map[string][2]float64{}
	for _, en := range dir.Entries("") {
		if en.Lat != 0 && !en.Approx {
			where[en.Name] = [2]float64{en.Lat, en.Lon}
		}
	}
	steps := []struct {
		in        flows.Input
		tolerance float64 // km, besides the rounding to 0.1 km
	}{
		{flows.Input{Kind: flows.InputText, Text: "hola"}, 0},
		{flows.Input{Kind: flows.InputText, Text: "2"}, 0},
		{flows.Input{Kind: flows.InputText, Text: "1"}, 0},
		{flows.Input{Kind: flows.InputLocation, Lat: pinLat, Lon: pinLon}, 0.001},
		{flows.Input{Kind: flows.InputText, Text: "Más resultados"}, 0.8},
		{flows.Input{Kind: flows.InputText, Text: "Más resultados"}, 0.8},
		{flows.Input{Kind: flows.InputText, Text: "Solo abiertos ahora"}, 0.8},
	}
	s := flows.Session{Lang: "es"}
	checked := 0
	seen := map[string]int{} // service -> step that showed it, on the pages before the filter
	for i, st := range steps {
		st.in.Now = transcriptNow
		var replies []flows.Reply
		s, replies, _ = e.Step(s, st.in)
		text := flows.Render(texts, "es", replies).Text
		for k, v := range s.Vars {
			if strings.Contains(v, "11.9437") || strings.Contains(v, "76.9712") {
				t.Errorf("step %d: session var %s = %q keeps the pin", i, k, v)
			}
		}
		if i < 3 {
			continue
		}
		if s.Vars["_cell"] != "-11.94,-76.97" {
			t.Errorf("step %d: cell = %q, want -11.94,-76.97", i, s.Vars["_cell"])
		}
		found := cardDistance.FindAllStringSubmatch(text, -1)
		if len(found) == 0 {
			t.Fatalf("step %d: no distance printed:\n%s", i, text)
		}
		for _, m := range found {
			if prev, ok := seen[m[1]]; ok && i <= 5 {
				t.Errorf("step %d repeats %s, shown at step %d", i, m[1], prev)
			}
			seen[m[1]] = i
			p, ok := where[m[1]]
			if !ok {
				t.Fatalf("step %d: %q has no coordinates in the directory", i, m[1])
			}
			printed, _ := strconv.ParseFloat(strings.Replace(m[2], ",", ".", 1), 64)
			real := haversineKm(pinLat, pinLon, p[0], p[1])
			if math.Abs(printed-real) > 0.05+st.tolerance {
				t.Errorf("step %d: %s printed at %.1f km, is %.2f km from the pin", i, m[1], printed, real)
			}
			checked++
		}
	}
	if checked < 9 {
		t.Errorf("only %d distances checked", checked)
	}
}

// haversineKm is the great-circle distance in km, written here independently of the
// directory's.
func haversineKm(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371.0088
	rad := math.Pi / 180
	dlat, dlon := (lat2-lat1)*rad, (lon2-lon1)*rad
	a := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * r * math.Asin(math.Sqrt(a))
}

// TestApproximateDistance: a service placed at its district's capital is never "a 0,0
// km", and its distance is said as approximate.
func TestApproximateDistance(t *testing.T) {
	_, texts := realEngine(t)
	cases := []struct {
		metres float64
		want   string
	}{
		{0, "a menos de 1 km (ubicación aproximada)"},
		{2600, "a unos 3 km (ubicación aproximada)"},
	}
	for _, c := range cases {
		card := flows.Card{Name: "CEM X", Distance: c.metres, Approx: true}
		got := flows.Render(texts, "es", []flows.Reply{{Cards: []flows.Card{card}}}).Text
		if !strings.Contains(got, "CEM X · "+c.want) || strings.Contains(got, "0,0 km") {
			t.Errorf("%.0f m: got %q, want %q", c.metres, got, c.want)
		}
	}
}

// TestCellForgottenAtMenu: back at the main menu, the search is over and the pin's
// cell is no longer kept.
func TestCellForgottenAtMenu(t *testing.T) {
	e, _ := realEngine(t)
	s := flows.Session{Lang: "es"}
	for _, in := range []flows.Input{
		{Kind: flows.InputText, Text: "hola"},
		{Kind: flows.InputLocation, Lat: -11.94371, Lon: -76.97129},
		{Kind: flows.InputText, Text: "1"},
	} {
		in.Now = transcriptNow
		s, _, _ = e.Step(s, in)
	}
	if s.Vars["_cell"] == "" {
		t.Fatal("no cell kept during the search")
	}
	s, _, _ = e.Step(s, flows.Input{Kind: flows.InputText, Text: "0", Now: transcriptNow})
	if c := s.Vars["_cell"]; c != "" {
		t.Errorf("cell %q kept after going back to the menu", c)
	}
}
