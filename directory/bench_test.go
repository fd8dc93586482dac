package directory

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/faro-chat/faro/directory/internal/geo"
	"github.com/faro-chat/faro/directory/internal/spatial"
	"github.com/faro-chat/faro/flows"
)

// synthetic returns the embedded directory plus n services of category violence at
// random points, half of them around five cities, with a mix of opening hours.
func synthetic(tb testing.TB, n int) *Directory {
	tb.Helper()
	r := rand.New(rand.NewPCG(3, 4))
	hours := []string{"24/7", "Mo-Fr 08:00-16:15; PH off", "", "Mo-Sa 09:00-13:00,15:00-19:00"}
	cities := [][2]float64{{-12.05, -77.04}, {-16.4, -71.54}, {-8.11, -79.03}, {-3.75, -73.25}, {-13.52, -71.97}}
	entries := make([]Entry, n)
	for i := range entries {
		var lat, lon float64
		if i%2 == 0 {
			c := cities[r.IntN(len(cities))]
			lat, lon = c[0]+r.NormFloat64()*0.08, c[1]+r.NormFloat64()*0.08
		} else {
			lat, lon = -17.5+r.Float64()*14, -80+r.Float64()*10
		}
		entries[i] = Entry{
			ID: fmt.Sprintf("syn-%d", i), Name: fmt.Sprintf("Servicio %d", i), Categories: []string{CatViolence},
			Phones: []string{fmt.Sprintf("+519%08d", i)}, Address: "Av. Prueba 123", Lat: lat, Lon: lon,
			Hours: hours[i%len(hours)], Free: i%3 == 0, Source: "https://example.org", Verified: "2026",
			Claims: map[string]string{"free": "free (synthetic)", "hours": "24 hours (synthetic)"},
		}
	}
	var csv bytes.Buffer
	if err := WriteCSV(&csv, entries); err != nil {
		tb.Fatal(err)
	}
	d, err := Load(Overlay(Embedded(), map[string][]byte{"synthetic.csv": csv.Bytes()}))
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

func queries(n int) []flows.Query {
	r := rand.New(rand.NewPCG(5, 6))
	qs := make([]flows.Query, n)
	now := time.Date(2026, 11, 30, 15, 0, 0, 0, time.UTC)
	for i := range qs {
		qs[i] = flows.Query{Lang: "es", Category: CatViolence, Lat: -17.5 + r.Float64()*14, Lon: -80 + r.Float64()*10, Now: now}
		if i%2 == 0 { // half the users are in a city
			qs[i].Lat, qs[i].Lon = -12.05+r.NormFloat64()*0.05, -77.04+r.NormFloat64()*0.05
		}
	}
	return qs
}

// nearbyBrute answers like Nearby (page 0, three cards) by scanning every service.
func (d *Directory) nearbyBrute(q flows.Query, pts []geo.Vec) []flows.Card {
	ci := d.byCategory[q.Category]
	hits := spatial.Brute(pts, geo.ToVec(q.Lat, q.Lon), 4, geo.MetresToChord2(maxDistance), nil, nil)
	var cards []flows.Card
	for _, h := range hits[:min(3, len(hits))] {
		r := ci.recs[h.ID]
		c := d.card(r, q.Lang, q.Now)
		c.Distance = geo.Distance(q.Lat, q.Lon, r.lat, r.lon)
		cards = append(cards, c)
	}
	return cards
}

func indexPoints(d *Directory, cat string) []geo.Vec {
	var pts []geo.Vec
	for _, r := range d.byCategory[cat].recs {
		pts = append(pts, geo.ToVec(r.lat, r.lon))
	}
	return pts
}

// TestNearbyMatchesBruteForce: on 50,000 services the index finds what a full scan finds.
func TestNearbyMatchesBruteForce(t *testing.T) {
	d := synthetic(t, 50_000)
	pts := indexPoints(d, CatViolence)
	for _, q := range queries(500) {
		got, _ := d.Nearby(q)
		want := d.nearbyBrute(q, pts)
		if len(got) != len(want) {
			t.Fatalf("%v,%v: %d cards, brute force %d", q.Lat, q.Lon, len(got), len(want))
		}
		for i := range got {
			if got[i].ID != want[i].ID {
				t.Fatalf("%v,%v: card %d is %s, brute force %s", q.Lat, q.Lon, i, got[i].ID, want[i].ID)
			}
		}
	}
}

// BenchmarkNearby is nearest-3 among 50,000 services, cards included, as the bot asks.
func BenchmarkNearby(b *testing.B) {
	d := synthetic(b, 50_000)
	qs := queries(1024)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d.Nearby(qs[i%len(qs)])
	}
}

// BenchmarkNearbyBrute answers the same queries by scanning all 50,000 services.
func BenchmarkNearbyBrute(b *testing.B) {
	d := synthetic(b, 50_000)
	pts := indexPoints(d, CatViolence)
	qs := queries(1024)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d.nearbyBrute(qs[i%len(qs)], pts)
	}
}

// BenchmarkNearbyOpenNow filters on the open state while searching.
func BenchmarkNearbyOpenNow(b *testing.B) {
	d := synthetic(b, 50_000)
	qs := queries(1024)
	for i := range qs {
		qs[i].OpenNow = true
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d.Nearby(qs[i%len(qs)])
	}
}

func BenchmarkLocate(b *testing.B) {
	d, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	texts := []string{"sjl", "San Juan de Lurigancho", "miraflores", "vivo en comas cerca del mercado", "San Juan de Luriganco", "Pucallpa", "xyzzy", "santa rosa lima"}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d.Locate(texts[i%len(texts)])
	}
}

func BenchmarkPlaceAt(b *testing.B) {
	d, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	qs := queries(1024)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d.PlaceAt(qs[i%len(qs)].Lat, qs[i%len(qs)].Lon)
	}
}

// BenchmarkLoad is the start-up cost of the embedded data (faro chat pays it once).
func BenchmarkLoad(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := Load(Embedded()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLocateLong is Locate on long answers to "where are you?": distinct random
// words of 6 to 10 letters (every run of words a new key), floods of a filler and of
// an anchor, and a sentence.
func BenchmarkLocateLong(b *testing.B) {
	d, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 7))
	const letters = "abcdefghijklmnopqrstuvwxyz"
	var random []byte
	for i := 0; len(random) < 4000; i++ {
		for range 6 + i%5 {
			random = append(random, letters[rng.IntN(26)])
		}
		random = append(random, ' ')
	}
	for _, c := range []struct{ name, text string }{
		{"random", string(random)},
		{"en", strings.Repeat("en ", 1300)},
		{"anchors", strings.Repeat("estoy en lima ", 290)},
		{"sentence", "bueno ahora estoy cerca del mercado central que queda por la avenida grande del distrito"},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				d.Locate(c.text)
			}
		})
	}
}
