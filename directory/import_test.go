package directory_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/faro-chat/faro/directory"
)

// TestFormulaCellsEscaped: a cell a spreadsheet would run as a formula is exported as
// text (a leading apostrophe), and reads back as it was; numbers and phone numbers
// are left as they are.
func TestFormulaCellsEscaped(t *testing.T) {
	e := directory.Entry{ID: "x-formula", Name: `=HYPERLINK("http://evil.example","Llama")`, Categories: []string{"legal"},
		Address: "@SUM(A1:A9)", Phones: []string{"+5114567890"}, HoursText: "-cmd|' /C calc'!A0", Note: directory.Localized{"es": "+51 1 456-7890"}, District: "150101",
		Source: "https://x.example", Verified: "2026"}
	var buf bytes.Buffer
	if err := directory.WriteCSV(&buf, []directory.Entry{e}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, cell := range []string{`"'=HYPERLINK(`, "'@SUM(A1:A9)", `'-cmd|`, ",+5114567890,", ",+51 1 456-7890,"} {
		if !strings.Contains(out, cell) {
			t.Errorf("export has no %s:\n%s", cell, out)
		}
	}
	back, err := directory.ReadCSV(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if len(back) != 1 || back[0].Name != e.Name || back[0].Address != e.Address || !slices.Equal(back[0].Phones, e.Phones) || back[0].HoursText != e.HoursText || back[0].Note["es"] != e.Note["es"] {
		t.Errorf("read back %+v, want %+v", back, e)
	}
}

// TestReadCSVBounded: a file far larger than any directory is refused before it is
// parsed.
func TestReadCSVBounded(t *testing.T) {
	big := strings.Repeat("a", directory.MaxCSVBytes+10)
	if _, err := directory.ReadCSV(strings.NewReader("id,name,categories,source,verified\n" + big)); err == nil {
		t.Error("a file over the size bound was read")
	}
	rows := "id,name,categories,source,verified\n" + strings.Repeat("x,y,legal,https://s.example,2026\n", directory.MaxCSVRows+2)
	if _, err := directory.ReadCSV(strings.NewReader(rows)); err == nil {
		t.Error("a file over the row bound was read")
	}
}

// TestImportChecksTheWholeDirectory: an import whose file is fine by itself but breaks
// another file (an id that file uses already) is refused; before, the problem sat in
// the other file, was not shown, and `faro serve` then refused to start.
func TestImportChecksTheWholeDirectory(t *testing.T) {
	base := directory.Embedded()
	d, err := directory.Load(base)
	if err != nil {
		t.Fatal(err)
	}
	taken := d.Entries("services.yaml")[0]
	var buf bytes.Buffer
	if err := directory.WriteCSV(&buf, []directory.Entry{taken}); err != nil {
		t.Fatal(err)
	}
	imp, err := directory.Import(base, "nuevo.csv", &buf, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if imp.Errors() == 0 {
		t.Fatalf("importing an id %s that services.yaml has: no error; problems %v", taken.ID, imp.Problems)
	}
}

// TestImportShowsChanges: re-importing a data file lists what is added, changed and
// removed, by id.
func TestImportShowsChanges(t *testing.T) {
	base := directory.Embedded()
	d, err := directory.Load(base)
	if err != nil {
		t.Fatal(err)
	}
	entries := d.Entries("mimp.csv")
	if len(entries) < 3 {
		t.Fatal("mimp.csv too small for this test")
	}
	removed := entries[0].ID
	changed := entries[1].ID
	entries[1].Phones = []string{"+5110000000"}
	added := directory.Entry{ID: "mimp-test-nuevo", Name: "CEM Prueba", Categories: []string{"violence"}, District: "150101",
		Source: "https://www.mimp.gob.pe/", Verified: "2026-11-30"}
	next := append(entries[1:], added)
	var buf bytes.Buffer
	if err := directory.WriteCSV(&buf, next); err != nil {
		t.Fatal(err)
	}
	csv := buf.Bytes()
	imp, err := directory.Import(base, "mimp.csv", bytes.NewReader(csv), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if !imp.Replaces || !slices.Equal(imp.Added, []string{added.ID}) || !slices.Equal(imp.Changed, []string{changed}) || !slices.Equal(imp.Removed, []string{removed}) {
		t.Errorf("replaces %v, added %v, changed %v, removed %v; want [%s] [%s] [%s]", imp.Replaces, imp.Added, imp.Changed, imp.Removed, added.ID, changed, removed)
	}
	fresh, err := directory.Import(fstest.MapFS{}, "otra.csv", bytes.NewReader(csv), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if fresh.Replaces || len(fresh.Added) != len(next) {
		t.Errorf("a new file: replaces %v, %d added, want %d", fresh.Replaces, len(fresh.Added), len(next))
	}
}
