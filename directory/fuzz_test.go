package directory

import (
	"bytes"
	"flag"
	"reflect"
	"testing"
	"testing/fstest"
	"time"
	"unicode/utf8"

	"github.com/faro-chat/faro/flows"
)

// locateTimeLimit, when set (go test -fuzz FuzzLocate -args -locate.timelimit 250ms),
// reports the inputs Locate takes longer than that on while fuzzing: a way to find
// slow inputs, whose cost is then measured with go test -bench. It is off by default,
// so that no check of the suite depends on the machine's speed.
var locateTimeLimit = flag.Duration("locate.timelimit", 0, "while fuzzing FuzzLocate, report inputs that take longer than this (0: off)")

func FuzzLocate(f *testing.F) {
	for _, s := range []string{"sjl", "San Juan de Lurigancho", "miraflores arequipa", "Lima, Perú", "S.J.L.", "xyzzy", "", "vivo en san juan cerca del mercado de la av. próceres", "ñañañaña", "Ciudad de Dios"} {
		f.Add(s)
	}
	d, err := Default()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		start := time.Now()
		got := d.Locate(s)
		if el := time.Since(start); *locateTimeLimit > 0 && el > *locateTimeLimit {
			t.Errorf("Locate(%q) took %v", s, el)
		}
		if len(got) > maxChoices {
			t.Fatalf("Locate(%q): %d places", s, len(got))
		}
		seen := map[string]bool{}
		for _, p := range got {
			if _, ok := d.Place(p.Code); !ok || p.Name == "" || p.Region == "" {
				t.Fatalf("Locate(%q): bad place %+v", s, p)
			}
			if seen[p.Code] {
				t.Fatalf("Locate(%q): %s twice", s, p.Code)
			}
			seen[p.Code] = true
		}
	})
}

// FuzzReadCSV: any input either fails to read or survives a write and a read unchanged.
func FuzzReadCSV(f *testing.F) {
	var seed bytes.Buffer
	if err := WriteCSV(&seed, []Entry{{ID: "a", Name: "A, \"b\"", Categories: []string{"legal"}, Desc: Localized{"es": "x\ny"}, Lat: -12.5, Source: "https://x.example", Verified: "2026"}}); err != nil {
		f.Fatal(err)
	}
	f.Add(seed.String())
	f.Add("id,name,categories,source,verified\n")
	f.Add("\ufeffid,name,categories,source,verified,desc_pt\nx,X,a;b,s,v,olá\n")
	f.Fuzz(func(t *testing.T, in string) {
		entries, err := ReadCSV(bytes.NewReader([]byte(in)))
		if err != nil {
			return
		}
		for _, e := range entries {
			for _, s := range []string{e.ID, e.Name, e.Address, e.Source} {
				if !utf8.ValidString(s) {
					return // invalid UTF-8 in, invalid out: nothing to compare
				}
			}
		}
		var buf bytes.Buffer
		if err := WriteCSV(&buf, entries); err != nil {
			t.Fatalf("WriteCSV: %v", err)
		}
		again, err := ReadCSV(&buf)
		if err != nil {
			t.Fatalf("ReadCSV of WriteCSV output: %v\n%s", err, buf.String())
		}
		if !reflect.DeepEqual(normalizeEntries(again), normalizeEntries(entries)) {
			t.Fatalf("round trip changed entries:\n%+v\n%+v", entries, again)
		}
	})
}

// normalizeEntries maps empty and nil maps and lists to nil, which CSV cannot tell apart.
func normalizeEntries(es []Entry) []Entry {
	out := make([]Entry, len(es))
	for i, e := range es {
		if len(e.Desc) == 0 {
			e.Desc = nil
		}
		if len(e.Note) == 0 {
			e.Note = nil
		}
		out[i] = e
	}
	return out
}

// FuzzLoadYAML: reading and checking any YAML data file never panics, and a file that
// loads has entries the directory can answer with.
func FuzzLoadYAML(f *testing.F) {
	f.Add("entries:\n  - id: a\n    name: A\n    categories: [legal]\n    district: \"150101\"\n    source: https://x.example\n    verified: \"2026\"\n")
	f.Add("texts:\n  x: {desc: {es: hola}}\nholidays:\n  dates: [{date: \"01-01\", name: x}]\n")
	f.Add("entries: [{id: b, coverage: national, tags: [police], phones: [\"100\"], hours: \"Mo-Fr 08:00-16:00\", lat: 1e308}]")
	f.Add("entries:\n  - &a {id: c}\n  - *a\n")
	d, err := Default()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, in string) {
		rd := readData(fstest.MapFS{"f.yaml": {Data: []byte(in)}})
		c := &checker{gaz: d.gaz, texts: rd.texts, now: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC), full: true}
		nd := &Directory{gaz: d.gaz, texts: rd.texts, hol: d.hol, loc: d.loc, byCategory: map[string]*catIndex{}}
		for _, e := range rd.entries {
			nd.add(e, c.checkEntry(e))
		}
		c.finish(rd.entries)
		nd.index()
		for _, cat := range categoryOrder {
			nd.Nearby(flowsQuery(cat))
			nd.Lines("es", []string{cat}, "")
		}
	})
}

func flowsQuery(cat string) flows.Query {
	return flows.Query{Lang: "es", Category: cat, Lat: -12.05, Lon: -77.03, Now: time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)}
}
