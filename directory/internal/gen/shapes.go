package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"sort"

	"github.com/faro-chat/faro/directory/internal/geo"
)

type geojson struct {
	Features []struct {
		Properties struct {
			IDDIST string `json:"IDDIST"`
		} `json:"properties"`
		Geometry *struct {
			Type        string          `json:"type"`
			Coordinates json.RawMessage `json:"coordinates"`
		} `json:"geometry"`
	} `json:"features"`
}

// readShapes reads the district polygons. Features without geometry (8 in the source,
// Santa Anita among them) are skipped: PlaceAt falls back to district capitals there.
func readShapes(path string) ([]geo.Shape, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var g geojson
	if err := json.Unmarshal(b, &g); err != nil {
		return nil, fmt.Errorf("parse %s: %w", path, err)
	}
	var shapes []geo.Shape
	for _, f := range g.Features {
		if f.Geometry == nil {
			continue
		}
		var polys [][][][2]float64
		switch f.Geometry.Type {
		case "Polygon":
			var p [][][2]float64
			if err := json.Unmarshal(f.Geometry.Coordinates, &p); err != nil {
				return nil, fmt.Errorf("%s: %w", f.Properties.IDDIST, err)
			}
			polys = append(polys, p)
		case "MultiPolygon":
			if err := json.Unmarshal(f.Geometry.Coordinates, &polys); err != nil {
				return nil, fmt.Errorf("%s: %w", f.Properties.IDDIST, err)
			}
		default:
			return nil, fmt.Errorf("%s: geometry %s", f.Properties.IDDIST, f.Geometry.Type)
		}
		s := geo.Shape{Code: f.Properties.IDDIST}
		for _, p := range polys {
			for _, ring := range p {
				flat := make([]float64, 0, 2*len(ring))
				for _, pt := range ring {
					flat = append(flat, pt[0], pt[1])
				}
				s.Rings = append(s.Rings, flat)
			}
		}
		shapes = append(shapes, s)
	}
	sort.Slice(shapes, func(i, j int) bool { return shapes[i].Code < shapes[j].Code })
	// Round-trip through the compact format so that generation sees exactly the
	// polygons the directory will load (and their bounding boxes).
	return roundTrip(shapes)
}

func roundTrip(shapes []geo.Shape) ([]geo.Shape, error) {
	var buf bytes.Buffer
	if err := geo.WriteShapes(&buf, "", shapes); err != nil {
		return nil, err
	}
	return geo.ReadShapes(&buf)
}

const shapesHeader = `Simplified outlines of Peru's districts (INEI 2007 limits), one line per district:
ubigeo, a tab, rings separated by "|"; each ring is its first point in 1e-5 degrees
("lon,lat") then differences to the previous point.
Derived by directory/internal/gen from peru_distrital_simple.geojson of
https://github.com/juaneladio/peru-geojson (commit b58a9741bff5efcb7d1bc560abff738d68cb5a22),
coordinates rounded to 1e-5 degree. This file is licensed under the Mozilla Public
License 2.0, like its source: https://mozilla.org/MPL/2.0/`

func writeShapes(path string, shapes []geo.Shape) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := geo.WriteShapes(f, shapesHeader, shapes); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// containing returns the code of the shape that contains the point, or "".
func containing(shapes []geo.Shape, lat, lon float64) string {
	for i := range shapes {
		if shapes[i].Contains(lat, lon) {
			return shapes[i].Code
		}
	}
	return ""
}
