package geo

import (
	"bytes"
	"math"
	"testing"
)

func TestDistance(t *testing.T) {
	// Lima main square to Cusco main square: about 573 km.
	if d := Distance(-12.0453, -77.0308, -13.5164, -71.9785); math.Abs(d-573_000) > 5_000 {
		t.Errorf("Lima-Cusco = %.0f m", d)
	}
	if d := Distance(-12, -77, -12, -77); d != 0 {
		t.Errorf("same point: %v", d)
	}
}

func TestChordConversions(t *testing.T) {
	for _, m := range []float64{0, 1, 500, 15_000, 150_000, 2_000_000} {
		if got := ChordToMetres(MetresToChord2(m)); math.Abs(got-m) > 1e-6*m+1e-6 {
			t.Errorf("round trip of %v m gives %v", m, got)
		}
	}
	a, b := ToVec(-12.0453, -77.0308), ToVec(-13.5164, -71.9785)
	if got, want := ChordToMetres(Chord2(a, b)), Distance(-12.0453, -77.0308, -13.5164, -71.9785); math.Abs(got-want) > 1 {
		t.Errorf("chord distance %v, haversine %v", got, want)
	}
}

// square is a 1°×1° shape with a square hole, and a second part.
var square = Shape{Code: "000001", Rings: [][]float64{
	{-77, -12, -76, -12, -76, -11, -77, -11, -77, -12},
	{-76.6, -11.6, -76.4, -11.6, -76.4, -11.4, -76.6, -11.4},
	{-70, -15, -69, -15, -69, -14},
}}

func TestShapes(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteShapes(&buf, "test\nheader", []Shape{square}); err != nil {
		t.Fatal(err)
	}
	shapes, err := ReadShapes(&buf)
	if err != nil || len(shapes) != 1 {
		t.Fatalf("ReadShapes: %v, %d shapes", err, len(shapes))
	}
	s := &shapes[0]
	for _, c := range []struct {
		lat, lon float64
		in       bool
	}{
		{-11.8, -76.8, true},
		{-11.5, -76.5, false}, // in the hole
		{-14.8, -69.2, true},  // second part
		{-12.5, -76.5, false},
		{-11.5, -75.5, false},
	} {
		if got := s.Contains(c.lat, c.lon); got != c.in {
			t.Errorf("Contains(%v,%v) = %v", c.lat, c.lon, got)
		}
	}
	// 0.01° east of the east edge, at 11.5°S: about 1.09 km.
	if d := s.EdgeDistance(-11.8, -75.99); math.Abs(d-1090) > 20 {
		t.Errorf("EdgeDistance = %.0f m", d)
	}
	x := NewShapeIndex(shapes)
	n := 0
	x.Near(MarginAround(-11.8, -76.8, 0), func(*Shape) bool { n++; return true })
	if n != 1 {
		t.Errorf("index finds %d shapes at an inside point", n)
	}
	n = 0
	x.Near(MarginAround(-16, -72, 1000), func(*Shape) bool { n++; return true })
	if n != 0 {
		t.Errorf("index finds %d shapes far away", n)
	}
}

func TestReadShapesErrors(t *testing.T) {
	for _, in := range []string{"150101\n", "150101\t1,2 3,4\n", "150101\t1,2 x,4 5,6\n", "\t1,2 3,4 5,6\n"} {
		if _, err := ReadShapes(bytes.NewBufferString(in)); err == nil {
			t.Errorf("ReadShapes(%q): no error", in)
		}
	}
}
