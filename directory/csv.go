package directory

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// CSVColumns are the columns of a directory spreadsheet, in the order WriteCSV writes
// them. Lists are separated by ";". Columns desc_XX and note_XX hold the texts in
// language XX; any language may be added.
var CSVColumns = []string{
	"id", "name", "categories", "tags", "coverage", "texts", "desc_es", "desc_en", "note_es", "note_en",
	"phones", "whatsapp", "web", "address", "district", "city", "lat", "lon", "approx",
	"hours", "hours_text", "free", "docs", "languages", "friendly", "vouched_by",
	"source", "verified", "unconfirmed",
}

// requiredColumns must be present in every CSV file.
var requiredColumns = []string{"id", "name", "categories", "source", "verified"}

// MaxCSVBytes bounds a CSV file ReadCSV accepts (the whole directory is well under
// 1 MB), so that a wrong file cannot exhaust memory.
const MaxCSVBytes = 8 << 20

// MaxCSVRows bounds the rows of one CSV file.
const MaxCSVRows = 20000

// ReadCSV reads entries from a CSV file with a header row of CSVColumns (in any order;
// missing optional columns are empty). It stops at the first malformed row, and
// refuses a file over MaxCSVBytes or MaxCSVRows.
func ReadCSV(r io.Reader) ([]Entry, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxCSVBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read csv: %w", err)
	}
	if len(b) > MaxCSVBytes {
		return nil, fmt.Errorf("read csv: larger than %d MB", MaxCSVBytes>>20)
	}
	if n := bytes.Count(b, []byte{'\n'}); n > MaxCSVRows+1 {
		return nil, fmt.Errorf("read csv: %d lines, more than %d rows", n, MaxCSVRows)
	}
	located, probs := readCSV("", b)
	for _, p := range probs {
		if p.Severity == SevError {
			return nil, errors.New(p.Message)
		}
	}
	entries := make([]Entry, len(located))
	for i := range located {
		entries[i] = located[i].Entry
	}
	return entries, nil
}

// readCSV returns the entries of a CSV file with their lines, and the problems found
// while parsing.
func readCSV(file string, b []byte) ([]located, []Problem) {
	cr := csv.NewReader(bytes.NewReader(b))
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err == io.EOF {
		return nil, nil
	}
	if err != nil {
		return nil, []Problem{errorf(file, "", "read header: %v", err)}
	}
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff") // spreadsheets add a BOM
	}
	col := map[string]int{}
	var probs []Problem
	for i, h := range header {
		h = strings.TrimSpace(h)
		if _, dup := col[h]; dup {
			probs = append(probs, errorf(file, "", "column %q appears twice", h))
		}
		if !knownColumn(h) {
			probs = append(probs, errorf(file, "", "unknown column %q", h))
		}
		col[h] = i
	}
	for _, c := range requiredColumns {
		if _, ok := col[c]; !ok {
			probs = append(probs, errorf(file, "", "missing column %q", c))
		}
	}
	if len(probs) > 0 {
		return nil, probs
	}
	entries := make([]located, 0, bytes.Count(b, []byte{'\n'}))
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			probs = append(probs, errorf(file, "", "%v", err)) // says the line
			break
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(header) {
			probs = append(probs, errorf(file, "", "line %d: %d fields, header has %d", line, len(rec), len(header)))
			continue
		}
		entries = append(entries, located{file: file, line: line})
		probs = append(probs, entryFromRecord(&entries[len(entries)-1].Entry, line, header, rec)...)
	}
	return entries, probs
}

func knownColumn(h string) bool {
	for _, c := range CSVColumns {
		if c == h {
			return true
		}
	}
	if lang, ok := strings.CutPrefix(h, "desc_"); ok {
		return isLangCode(lang)
	}
	if lang, ok := strings.CutPrefix(h, "note_"); ok {
		return isLangCode(lang)
	}
	if k, ok := strings.CutPrefix(h, "claim_"); ok {
		return claimWords[k] != nil
	}
	return h == "regions" || h == "only_there"
}

func isLangCode(s string) bool {
	if len(s) < 2 || len(s) > 3 {
		return false
	}
	for _, r := range s {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return true
}

// entryFromRecord fills e from a CSV record.
func entryFromRecord(e *Entry, line int, header, rec []string) []Problem {
	var probs []Problem
	bad := func(col, v, want string) {
		probs = append(probs, errorf("", e.ID, "line %d: column %s: %q is not %s", line, col, v, want))
	}
	for i, h := range header {
		v := unescapeFormula(strings.TrimSpace(rec[i]))
		switch h = strings.TrimSpace(h); h {
		case "id":
			e.ID = v
		case "name":
			e.Name = v
		case "categories":
			e.Categories = splitList(v)
		case "tags":
			e.Tags = splitList(v)
		case "coverage":
			e.Coverage = v
		case "texts":
			e.Texts = splitList(v)
		case "phones":
			e.Phones = splitList(v)
		case "whatsapp":
			e.WhatsApp = v
		case "web":
			e.Web = v
		case "address":
			e.Address = v
		case "district":
			e.District = v
		case "city":
			e.City = v
		case "lat", "lon":
			f := 0.0
			if v != "" {
				var err error
				if f, err = strconv.ParseFloat(v, 64); err != nil {
					bad(h, v, "a number")
				}
			}
			if h == "lat" {
				e.Lat = f
			} else {
				e.Lon = f
			}
		case "approx", "free", "unconfirmed":
			b, ok := parseBool(v)
			if !ok {
				bad(h, v, "true or false")
			}
			switch h {
			case "approx":
				e.Approx = b
			case "free":
				e.Free = b
			default:
				e.Unconfirmed = b
			}
		case "hours":
			e.Hours = v
		case "hours_text":
			e.HoursText = v
		case "docs":
			e.Docs = v
		case "languages":
			e.Languages = splitList(v)
		case "friendly":
			e.Friendly = splitList(v)
		case "vouched_by":
			e.VouchedBy = v
		case "source":
			e.Source = v
		case "verified":
			e.Verified = v
		default:
			if lang, ok := strings.CutPrefix(h, "desc_"); ok && v != "" {
				e.Desc = setText(e.Desc, lang, v)
			} else if lang, ok := strings.CutPrefix(h, "note_"); ok && v != "" {
				e.Note = setText(e.Note, lang, v)
			} else if k, ok := strings.CutPrefix(h, "claim_"); ok && v != "" {
				if e.Claims == nil {
					e.Claims = map[string]string{}
				}
				e.Claims[k] = v
			} else if h == "regions" {
				e.Regions = splitList(v)
			} else if h == "only_there" {
				e.OnlyThere = v == "true" || v == "yes" || v == "1"
			}
		}
	}
	return probs
}

func setText(l Localized, lang, v string) Localized {
	if l == nil {
		l = Localized{}
	}
	l[lang] = v
	return l
}

func splitList(v string) []string {
	var out []string
	for _, p := range strings.Split(v, ";") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func parseBool(v string) (bool, bool) {
	switch strings.ToLower(v) {
	case "", "false", "no", "0":
		return false, true
	case "true", "yes", "si", "sí", "1", "x":
		return true, true
	}
	return false, false
}

// WriteCSV writes entries with a header of CSVColumns, plus desc_XX and note_XX columns
// for any other language the entries use, and the regions and claim_XX columns when
// an entry has them. ReadCSV reads it back to equal entries.
func WriteCSV(w io.Writer, entries []Entry) error {
	header := append([]string(nil), CSVColumns...)
	extra := map[string]bool{}
	for _, e := range entries {
		for lang := range e.Desc {
			extra["desc_"+lang] = true
		}
		for lang := range e.Note {
			extra["note_"+lang] = true
		}
		for k := range e.Claims {
			extra["claim_"+k] = true
		}
		if len(e.Regions) > 0 {
			extra["regions"] = true
		}
		if e.OnlyThere {
			extra["only_there"] = true
		}
	}
	for _, h := range header {
		delete(extra, h)
	}
	var more []string
	for h := range extra {
		more = append(more, h)
	}
	sort.Strings(more)
	header = append(header, more...)

	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("write csv header: %w", err)
	}
	rec := make([]string, len(header))
	for _, e := range entries {
		for i, h := range header {
			rec[i] = escapeFormula(csvField(e, h))
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("write csv entry %s: %w", e.ID, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

// formulaStarts are the first characters that make a spreadsheet read a cell as a
// formula (OWASP's list for CSV injection).
const formulaStarts = "=+-@\t\r"

// escapeFormula keeps a spreadsheet from running a cell as a formula: a cell that
// starts like one and holds more than a number (a function, a DDE call such as
// "=cmd|..."), gets a leading apostrophe, which spreadsheets show as text and
// unescapeFormula removes on import. Numbers and phone lists ("-12.05", "+51 1 4567890;+5114…") are left
// alone: they run nothing, and the data files stay as they are.
func escapeFormula(v string) string {
	if v == "" || strings.IndexByte(formulaStarts, v[0]) < 0 {
		return v
	}
	if strings.Trim(v, "0123456789 .,;+-()/") == "" {
		return v
	}
	return "'" + v
}

// unescapeFormula undoes escapeFormula.
func unescapeFormula(v string) string {
	if len(v) > 1 && v[0] == '\'' && strings.IndexByte(formulaStarts, v[1]) >= 0 {
		return v[1:]
	}
	return v
}

func csvField(e Entry, h string) string {
	switch h {
	case "id":
		return e.ID
	case "name":
		return e.Name
	case "categories":
		return strings.Join(e.Categories, ";")
	case "tags":
		return strings.Join(e.Tags, ";")
	case "coverage":
		return e.Coverage
	case "texts":
		return strings.Join(e.Texts, ";")
	case "phones":
		return strings.Join(e.Phones, ";")
	case "whatsapp":
		return e.WhatsApp
	case "web":
		return e.Web
	case "address":
		return e.Address
	case "district":
		return e.District
	case "city":
		return e.City
	case "lat":
		return formatCoord(e.Lat)
	case "lon":
		return formatCoord(e.Lon)
	case "approx":
		return formatBool(e.Approx)
	case "hours":
		return e.Hours
	case "hours_text":
		return e.HoursText
	case "free":
		return formatBool(e.Free)
	case "docs":
		return e.Docs
	case "languages":
		return strings.Join(e.Languages, ";")
	case "friendly":
		return strings.Join(e.Friendly, ";")
	case "vouched_by":
		return e.VouchedBy
	case "source":
		return e.Source
	case "verified":
		return e.Verified
	case "unconfirmed":
		return formatBool(e.Unconfirmed)
	}
	if lang, ok := strings.CutPrefix(h, "desc_"); ok {
		return e.Desc[lang]
	}
	if lang, ok := strings.CutPrefix(h, "note_"); ok {
		return e.Note[lang]
	}
	if k, ok := strings.CutPrefix(h, "claim_"); ok {
		return e.Claims[k]
	}
	if h == "regions" {
		return strings.Join(e.Regions, ";")
	}
	if h == "only_there" && e.OnlyThere {
		return "true"
	}
	return ""
}

func formatCoord(f float64) string {
	if f == 0 {
		return ""
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

func formatBool(b bool) string {
	if b {
		return "true"
	}
	return ""
}
