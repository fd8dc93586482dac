package directory

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"io/fs"
)

// readTable reads a CSV file of fsys with a header naming at least the columns want.
func readTable(fsys fs.FS, name string, want ...string) ([]map[string]string, error) {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	cr := csv.NewReader(bytes.NewReader(b))
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: header: %w", name, err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	for _, w := range want {
		if _, ok := col[w]; !ok {
			return nil, fmt.Errorf("%s: missing column %q", name, w)
		}
	}
	var rows []map[string]string
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		r := make(map[string]string, len(want))
		for _, w := range want {
			r[w] = rec[col[w]]
		}
		rows = append(rows, r)
	}
}

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }
