package main

import (
	_ "embed"
	"encoding/csv"
	"fmt"
	"os"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/faro-chat/faro/directory/internal/norm"
)

// row is one CSV record by column name.
type row map[string]string

// readCSV reads a CSV file with a header into rows.
func readCSV(path string) ([]row, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cr := csv.NewReader(f)
	recs, err := cr.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("read %s: empty", path)
	}
	var rows []row
	for _, rec := range recs[1:] {
		r := row{}
		for i, h := range recs[0] {
			r[h] = strings.TrimSpace(rec[i])
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// num parses a number, treating "NA" and "" as missing.
func num(s string) (float64, bool) {
	if s == "" || s == "NA" {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

// round5 rounds degrees to 1e-5 (about 1 m).
func round5(f float64) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'f', 5, 64), 64)
	return v
}

// slug turns a name into an id part: "Cem Comisaría Bagua" -> "cem-comisaria-bagua".
func slug(s string) string {
	return strings.ReplaceAll(norm.Fold(s), " ", "-")
}

//go:embed fixes.yaml
var fixesYAML []byte

//go:embed minsa_extras.yaml
var minsaExtrasYAML []byte

// fixes are the corrections of fixes.yaml.
type fixes struct {
	MIMP struct {
		WrongCoords   []string `yaml:"wrong_coords"`
		PlausibleFar  []string `yaml:"plausible_far"`
		DistrictFixes []struct {
			Name       string `yaml:"name"`
			District   string `yaml:"district"`
			KeepCoords bool   `yaml:"keep_coords"`
		} `yaml:"district_fixes"`
		Itinerant []string `yaml:"itinerant"`
	} `yaml:"mimp"`
	Gazetteer struct {
		ExtraDistricts []struct {
			Code, Name, Capital, Coords string
			Lat, Lon                    float64
		} `yaml:"extra_districts"`
		DistrictCoords []struct {
			Code, Coords string
			Lat, Lon     float64
		} `yaml:"district_coords"`
	} `yaml:"gazetteer"`
}

func readFixes() (*fixes, error) {
	var fx fixes
	dec := yaml.NewDecoder(strings.NewReader(string(fixesYAML)))
	dec.KnownFields(true)
	if err := dec.Decode(&fx); err != nil {
		return nil, fmt.Errorf("fixes.yaml: %w", err)
	}
	return &fx, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
