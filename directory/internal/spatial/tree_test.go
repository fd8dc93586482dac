package spatial

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/faro-chat/faro/directory/internal/geo"
)

// randomPeru returns n random points in Peru's bounding box, clustered like real
// services (half of them around a few cities) so that ties and dense areas occur.
func randomPeru(r *rand.Rand, n int) []geo.Vec {
	cities := [][2]float64{{-12.05, -77.04}, {-16.4, -71.54}, {-8.11, -79.03}, {-3.75, -73.25}, {-13.52, -71.97}}
	pts := make([]geo.Vec, n)
	for i := range pts {
		var lat, lon float64
		if r.IntN(2) == 0 {
			c := cities[r.IntN(len(cities))]
			lat, lon = c[0]+r.NormFloat64()*0.05, c[1]+r.NormFloat64()*0.05
		} else {
			lat = geo.MinLat + r.Float64()*(geo.MaxLat-geo.MinLat)
			lon = geo.MinLon + r.Float64()*(geo.MaxLon-geo.MinLon)
		}
		if r.IntN(50) == 0 && i > 0 {
			pts[i] = pts[i-1] // exact duplicates happen in real data
			continue
		}
		pts[i] = geo.ToVec(lat, lon)
	}
	return pts
}

// TestNearestMatchesBruteForce compares the tree with a full scan on random queries,
// with and without a filter and a radius.
func TestNearestMatchesBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 5, 9, 100, 5000} {
		pts := randomPeru(r, n)
		tree := Build(pts)
		for q := 0; q < 300; q++ {
			query := randomPeru(r, 1)[0]
			k := 1 + r.IntN(12)
			max2 := 4.0
			if r.IntN(2) == 0 {
				max2 = geo.MetresToChord2(float64(r.IntN(300_000)))
			}
			var keep func(int) bool
			if r.IntN(2) == 0 {
				mod := 2 + r.IntN(4)
				keep = func(id int) bool { return id%mod != 0 }
			}
			got := tree.Nearest(query, k, max2, keep, nil)
			want := Brute(pts, query, k, max2, keep, nil)
			if !slices.Equal(got, want) {
				t.Fatalf("n=%d k=%d: tree %v, brute force %v", n, k, got, want)
			}
			for i := 1; i < len(got); i++ {
				if got[i].Chord2 < got[i-1].Chord2 {
					t.Fatalf("results not sorted: %v", got)
				}
			}
		}
	}
}

func TestNearestKnownPoints(t *testing.T) {
	// Lima, Callao, Arequipa, Cusco.
	pts := []geo.Vec{geo.ToVec(-12.0453, -77.0308), geo.ToVec(-12.0631, -77.1469), geo.ToVec(-16.3989, -71.5369), geo.ToVec(-13.5170, -71.9785)}
	tree := Build(pts)
	got := tree.Nearest(geo.ToVec(-12.12, -77.03), 2, 4, nil, nil) // Miraflores
	if len(got) != 2 || got[0].ID != 0 || got[1].ID != 1 {
		t.Fatalf("nearest to Miraflores = %v, want Lima then Callao", got)
	}
	if m := geo.ChordToMetres(got[0].Chord2); m < 8000 || m > 9000 {
		t.Errorf("Miraflores-Lima = %.0f m, want about 8.3 km", m)
	}
	if got := tree.Nearest(geo.ToVec(-12.12, -77.03), 3, geo.MetresToChord2(20_000), nil, nil); len(got) != 2 {
		t.Errorf("within 20 km of Miraflores: %v, want Lima and Callao only", got)
	}
}

func benchPoints(n int) ([]geo.Vec, []geo.Vec) {
	r := rand.New(rand.NewPCG(7, 8))
	return randomPeru(r, n), randomPeru(r, 1024)
}

// BenchmarkNearest3 is the index alone: nearest 3 of 50,000 points (see also the
// directory package's BenchmarkNearby, which builds the cards).
func BenchmarkNearest3(b *testing.B) {
	pts, qs := benchPoints(50_000)
	tree := Build(pts)
	buf := make([]Hit, 0, 4)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		buf = tree.Nearest(qs[i%len(qs)], 3, 4, nil, buf)
	}
}

func BenchmarkBrute3(b *testing.B) {
	pts, qs := benchPoints(50_000)
	buf := make([]Hit, 0, 4)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		buf = Brute(pts, qs[i%len(qs)], 3, 4, nil, buf)
	}
}
