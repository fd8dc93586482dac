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
	Entries  []Entry   // the entries read
	Data     []byte    // the data file to write, CSV or YAML after the name's extension
	Problems []Problem // what validation found in that file, with the rest of base around it
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
	for _, p := range Validate(Overlay(base, map[string][]byte{name: im.Data}), now) {
		if p.File == name {
			im.Problems = append(im.Problems, p)
		}
	}
	return im, nil
}
