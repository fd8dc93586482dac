package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sharedGeo is where the source data sits beside the repository (../shared/data/geo
// from the repository root; CI has it there too). FARO_GEO_DATA overrides it.
const sharedGeo = "../../../../shared/data/geo"

var update = flag.Bool("update", false, "rewrite testdata/want from the generator's output on testdata/geo")

// outputs are the files the generator writes, relative to its -out folder.
var outputs = []string{"geo/gazetteer.csv", "geo/places.csv", "geo/polygons.txt", "mimp.csv", "minsa.csv"}

// TestGeneratorOnFixture runs the generator on a small cut of the source data that is
// committed in testdata/geo (see testdata/README.md) and compares every file it writes
// with testdata/want. The full source data lives outside the repository, so this is
// the check of the generator that runs in every clone; after an intended change of the
// generator, rewrite the expected files with
//
//	go test ./directory/internal/gen -run TestGeneratorOnFixture -update
func TestGeneratorOnFixture(t *testing.T) {
	out := t.TempDir()
	if err := run("testdata/geo", out); err != nil {
		t.Fatal(err)
	}
	for _, f := range outputs {
		got, err := os.ReadFile(filepath.Join(out, f))
		if err != nil {
			t.Fatal(err)
		}
		wantPath := filepath.Join("testdata/want", f)
		if *update {
			if err := os.MkdirAll(filepath.Dir(wantPath), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(wantPath, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(wantPath)
		if err != nil {
			t.Fatal(err)
		}
		if len(bytes.TrimSpace(want)) == 0 || bytes.Count(want, []byte("\n")) < 3 {
			t.Errorf("%s is (almost) empty: the fixture no longer exercises this output", wantPath)
		}
		if d := firstDiff(got, want); d != "" {
			t.Errorf("%s: the generator's output on testdata/geo differs from %s: %s", f, wantPath, d)
		}
	}
}

// TestGeneratedFilesAreCurrent regenerates the derived data files from the full source
// data and compares them with the committed ones: the data in the binary is
// reproducible from its sources. That data is not in the repository (it is the
// project's shared folder, 10 MB, beside the repository here and in CI); where it is
// absent the test says so and skips, and TestGeneratorOnFixture checks the generator.
func TestGeneratedFilesAreCurrent(t *testing.T) {
	src := sharedGeo
	if d := os.Getenv("FARO_GEO_DATA"); d != "" {
		src = d
	}
	if _, err := os.Stat(src); err != nil {
		t.Skipf("source data not found at %s (set FARO_GEO_DATA); TestGeneratorOnFixture checks the generator without it", src)
	}
	out := t.TempDir()
	if err := run(src, out); err != nil {
		t.Fatal(err)
	}
	for _, f := range outputs {
		got, err := os.ReadFile(filepath.Join(out, f))
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join("../../data", f))
		if err != nil {
			t.Fatal(err)
		}
		if d := firstDiff(got, want); d != "" {
			t.Errorf("data/%s differs from what the generator writes (%s): run go generate ./directory", f, d)
		}
	}
}

// firstDiff describes the first line where got and want differ, or returns "".
func firstDiff(got, want []byte) string {
	if bytes.Equal(got, want) {
		return ""
	}
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl || i >= len(g) || i >= len(w) {
			return fmt.Sprintf("line %d is\n\t%.200q\nwant\n\t%.200q", i+1, gl, wl)
		}
	}
	return "same lines, different bytes"
}
