package directory

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"strings"
	"time"
)

// Imported is a CSV file converted to a data file and checked with the data it joins.
type Imported struct {
	Entries []Entry // the entries read
	Data    []byte  // the data file to write, CSV or YAML after the name's extension
	// Problems is what validation found in the whole directory as it would be after
	// the import: in the file itself, and in other files because of it (a duplicate
	// id, a broken reference), so that nothing is written that `faro serve` would
	// refuse to start with.
	Problems []Problem
	// Added, Changed and Removed are the ids of entries the import adds to, changes
	// in, or removes from the data file of the same name already in base.
	Added, Changed, Removed []string
	// Replaces says base already has a data file of that name.
	Replaces bool
}

// Errors counts the problems of severity error; a file with any should not be written.
func (im *Imported) Errors() int {
	n := 0
	for _, p := range im.Problems {
		if p.Severity == SevError {
			n++
		}
	}
	return n
}

// Import reads the CSV in r (the export's columns) and renders it as the data file name
// (.csv, .yaml or .yml), validated as if it sat in base beside the other data files, so
// a duplicate id or a broken reference across files is found before anything is written.
func Import(base fs.FS, name string, r io.Reader, now time.Time) (*Imported, error) {
	entries, err := ReadCSV(r)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv":
		err = WriteCSV(&buf, entries)
	case ".yaml", ".yml":
		err = WriteYAML(&buf, entries)
	default:
		return nil, fmt.Errorf("data file %q: want a name ending in .csv or .yaml", name)
	}
	if err != nil {
		return nil, fmt.Errorf("render %s: %w", name, err)
	}
	im := &Imported{Entries: entries, Data: buf.Bytes()}
	im.Problems = Validate(Overlay(base, map[string][]byte{name: im.Data}), now)
	if _, err := fs.Stat(base, name); err == nil {
		im.Replaces = true
		if old, err := Load(base); err == nil {
			im.Added, im.Changed, im.Removed = diffEntries(old.Entries(name), entries)
		}
	} else {
		for _, e := range entries {
			im.Added = append(im.Added, e.ID)
		}
	}
	return im, nil
}

// diffEntries compares two versions of a data file's entries by id: an entry is
// changed when its spreadsheet row differs.
func diffEntries(old, next []Entry) (added, changed, removed []string) {
	row := func(e Entry) string {
		e.Approx = false // derived on load, not data
		var b bytes.Buffer
		_ = WriteCSV(&b, []Entry{e})
		return b.String()
	}
	before := make(map[string]string, len(old))
	for _, e := range old {
		before[e.ID] = row(e)
	}
	seen := make(map[string]bool, len(next))
	for _, e := range next {
		seen[e.ID] = true
		switch r, ok := before[e.ID]; {
		case !ok:
			added = append(added, e.ID)
		case r != row(e):
			changed = append(changed, e.ID)
		}
	}
	for _, e := range old {
		if !seen[e.ID] {
			removed = append(removed, e.ID)
		}
	}
	return added, changed, removed
}
