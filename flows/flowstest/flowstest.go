// Package flowstest has test helpers for the flow engine: a small fixed directory, so
// engine tests need not depend on the real data, and the shipped engine built on any
// directory.
package flowstest

import (
	"math"
	"sort"
	"strings"
	"testing"

	"github.com/faro-chat/faro/flows"
	"github.com/faro-chat/faro/locales"
)

// Directory is a small fixed flows.Directory: a few lines, places and services.
type Directory struct {
	LinesByTag map[string][]flows.Card
	Places     []flows.Place
	Services   map[string][]Service // by category
}

// Service is a fixture service with a position.
type Service struct {
	Card     flows.Card
	Lat, Lon float64
}

// NewDirectory returns the fixture: emergency and violence lines, Lima districts with
// an ambiguous "San Juan", and five violence services around Lima.
func NewDirectory() *Directory {
	line := func(id, phone, name string) flows.Card {
		return flows.Card{ID: id, Name: name, Phones: []string{phone}, Distance: -1, Open: flows.Always, Free: true}
	}
	d := &Directory{
		LinesByTag: map[string][]flows.Card{
			"emergency": {line("l105", "105", "Policía"), line("l100", "100", "Línea 100")},
			"violence":  {line("l100", "100", "Línea 100")},
		},
		Places: []flows.Place{
			{Code: "150101", Name: "Lima", Region: "Lima, Lima", Lat: -12.0464, Lon: -77.0428},
			{Code: "150132", Name: "San Juan de Lurigancho", Region: "Lima, Lima", Lat: -11.9826, Lon: -77.0073},
			{Code: "150133", Name: "San Juan de Miraflores", Region: "Lima, Lima", Lat: -12.1626, Lon: -76.9684},
			{Code: "080101", Name: "Cusco", Region: "Cusco, Cusco", Lat: -13.5319, Lon: -71.9675},
		},
		Services: map[string][]Service{},
	}
	for i, s := range []struct {
		name     string
		lat, lon float64
	}{
		{"CEM Uno", -11.98, -77.00}, {"CEM Dos", -11.99, -77.01}, {"CEM Tres", -12.00, -77.02},
		{"CEM Cuatro", -12.05, -77.04}, {"CEM Cinco", -12.16, -76.97},
	} {
		d.Services["violence"] = append(d.Services["violence"], Service{
			Card: flows.Card{ID: "s" + string(rune('1'+i)), Name: s.name, Phones: []string{"01 000 000" + string(rune('1'+i))}, Open: flows.Always, Free: true, Verified: "2026-01"},
			Lat:  s.lat, Lon: s.lon,
		})
	}
	return d
}

// Lines implements flows.Directory.
func (d *Directory) Lines(_ string, tags []string, _ string) []flows.Card {
	var out []flows.Card
	seen := map[string]bool{}
	for _, t := range tags {
		for _, c := range d.LinesByTag[t] {
			if !seen[c.ID] {
				seen[c.ID] = true
				out = append(out, c)
			}
		}
	}
	return out
}

// Locate implements flows.Directory: exact names, then prefixes (so "san juan" is
// ambiguous).
func (d *Directory) Locate(text string) []flows.Place {
	q := flows.Normalize(text)
	var out []flows.Place
	for _, p := range d.Places {
		if flows.Normalize(p.Name) == q {
			return []flows.Place{p}
		}
	}
	for _, p := range d.Places {
		if q != "" && strings.HasPrefix(flows.Normalize(p.Name), q) {
			out = append(out, p)
		}
	}
	return out
}

// PlaceAt implements flows.Directory: the nearest place, if within Peru's rough box.
func (d *Directory) PlaceAt(lat, lon float64) (flows.Place, bool) {
	if lat > 0.1 || lat < -18.5 || lon < -81.5 || lon > -68.5 {
		return flows.Place{}, false
	}
	best, bestD := flows.Place{}, math.Inf(1)
	for _, p := range d.Places {
		if dist := Distance(lat, lon, p.Lat, p.Lon); dist < bestD {
			best, bestD = p, dist
		}
	}
	return best, true
}

// Place implements flows.Directory.
func (d *Directory) Place(code string) (flows.Place, bool) {
	for _, p := range d.Places {
		if p.Code == code {
			return p, true
		}
	}
	return flows.Place{}, false
}

// Nearby implements flows.Directory by brute force.
func (d *Directory) Nearby(q flows.Query) ([]flows.Card, bool) {
	size := q.PageSize
	if size <= 0 {
		size = 3
	}
	var cards []flows.Card
	for _, s := range d.Services[q.Category] {
		c := s.Card
		c.Distance = Distance(q.Lat, q.Lon, s.Lat, s.Lon)
		cards = append(cards, c)
	}
	sort.SliceStable(cards, func(i, j int) bool { return cards[i].Distance < cards[j].Distance })
	from := q.Page * size
	if from >= len(cards) {
		return nil, false
	}
	to := min(from+size, len(cards))
	return cards[from:to], to < len(cards)
}

// Categories implements flows.Directory.
func (d *Directory) Categories() []string { return []string{"violence"} }

// Distance is the great-circle distance in metres.
func Distance(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371000
	rad := math.Pi / 180
	dLat, dLon := (lat2-lat1)*rad, (lon2-lon1)*rad
	a := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * r * math.Asin(math.Sqrt(a))
}

// Engine builds an engine on the shipped flow and locales with the given directory.
func Engine(t testing.TB, dir flows.Directory) (*flows.Engine, *locales.Catalog) {
	t.Helper()
	f, err := flows.Load(flows.Embedded(), flows.DefaultFile)
	if err != nil {
		t.Fatal(err)
	}
	texts, err := locales.Default()
	if err != nil {
		t.Fatal(err)
	}
	e, err := flows.New(f, texts, dir)
	if err != nil {
		t.Fatal(err)
	}
	return e, texts
}
