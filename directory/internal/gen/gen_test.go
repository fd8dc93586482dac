package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// sharedGeo is where the source data sits beside the repository (../shared/data/geo
// from the repository root). The test is skipped where it is absent.
const sharedGeo = "../../../../shared/data/geo"

// TestGeneratedFilesAreCurrent regenerates the derived data files and compares them
// with the committed ones: the data in the binary is reproducible from its sources.
func TestGeneratedFilesAreCurrent(t *testing.T) {
	if _, err := os.Stat(sharedGeo); err != nil {
		t.Skipf("source data not found at %s", sharedGeo)
	}
	out := t.TempDir()
	if err := run(sharedGeo, out); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"geo/gazetteer.csv", "geo/places.csv", "geo/polygons.txt", "mimp.csv", "minsa.csv"} {
		got, err := os.ReadFile(filepath.Join(out, f))
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join("../../data", f))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("data/%s differs from what the generator writes: run go generate ./directory", f)
		}
	}
}
