// Command gen derives Faro's directory data files from the shared source data
// (/work/shared/data/geo in the project, ../shared/data/geo beside the repository in CI).
// It writes, under -out:
//
//	geo/gazetteer.csv  departments, provinces and districts with display names, capital
//	                   coordinates and population (INEI ubigeo as key)
//	geo/places.csv     populated places that help match typed names (towns, Lima areas)
//	geo/polygons.txt   simplified district outlines (MPL-2.0, see its header)
//	mimp.csv           MIMP services against violence (CEM, SAR, SAU; no shelters)
//	minsa.csv          MINSA public health establishments
//
// Run it from the directory package with go generate. Its output is committed; tests
// use the committed files and never need the shared folder.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	geoDir := flag.String("geo", "", "folder of the shared geo data (…/shared/data/geo)")
	out := flag.String("out", "data", "directory data folder to write")
	flag.Parse()
	if *geoDir == "" {
		fmt.Fprintln(os.Stderr, "gen: -geo is required")
		os.Exit(2)
	}
	if err := run(*geoDir, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(geoDir, out string) error {
	fx, err := readFixes()
	if err != nil {
		return err
	}
	shapes, err := readShapes(filepath.Join(geoDir, "peru_distrital_simple.geojson"))
	if err != nil {
		return err
	}
	gz, err := buildGazetteer(geoDir, fx, shapes)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(out, "geo"), 0o755); err != nil {
		return fmt.Errorf("create output folder: %w", err)
	}
	steps := []struct {
		name string
		fn   func() error
	}{
		{"geo/gazetteer.csv", func() error { return gz.write(filepath.Join(out, "geo", "gazetteer.csv")) }},
		{"geo/polygons.txt", func() error { return writeShapes(filepath.Join(out, "geo", "polygons.txt"), shapes) }},
		{"geo/places.csv", func() error { return writePlaces(geoDir, filepath.Join(out, "geo", "places.csv"), gz, shapes) }},
		{"mimp.csv", func() error { return writeMIMP(geoDir, filepath.Join(out, "mimp.csv"), gz, fx) }},
		{"minsa.csv", func() error { return writeMINSA(geoDir, filepath.Join(out, "minsa.csv"), gz) }},
	}
	for _, s := range steps {
		if err := s.fn(); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
	}
	return nil
}
