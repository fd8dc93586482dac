package directory_test

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/faro-chat/faro/directory"
)

// full is an entry using every column, with text that CSV must quote.
var full = directory.Entry{
	ID: "test-full", Name: `Casa "Esperanza", sede 2`, Categories: []string{"health", "sexual-health"},
	Tags: []string{"police"}, Coverage: "", Texts: []string{"minsa-centro", "minsa-prueba-vih"},
	Desc:   directory.Localized{"es": "Atención; pruebas\ny consejería", "en": "Care, tests", "pt": "Atendimento"},
	Note:   directory.Localized{"es": "Llama antes", "qu": "Ñawpaqta waqyay"},
	Phones: []string{"+51932854358", "+5113110300", "100"}, WhatsApp: "+51932854358", Web: "https://example.org/a?b=c,d",
	Address: "Jr. Ucayali 394, Cercado", District: "150101", City: "Lima", Lat: -12.0484, Lon: -77.0347, Approx: true,
	Hours: "Mo-Fr 08:00-16:15; PH off", HoursText: "lun–vie", Free: true, Docs: "dni", Languages: []string{"es", "qu"},
	Friendly: []string{"sex-workers", "migrants"}, VouchedBy: "RedTraSex Perú", Source: "https://a.example ; https://b.example",
	Verified: "2026-11-27", Unconfirmed: true,
}

func TestCSVRoundTrip(t *testing.T) {
	entries := []directory.Entry{full, {ID: "test-min", Name: "Mínima", Categories: []string{"legal"}, District: "150105", Source: "https://x.example", Verified: "2025"}}
	var buf bytes.Buffer
	if err := directory.WriteCSV(&buf, entries); err != nil {
		t.Fatal(err)
	}
	got, err := directory.ReadCSV(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, entries) {
		t.Errorf("round trip changed the entries:\n got %+v\nwant %+v", got, entries)
	}
}

// TestExportImportRoundTrip: every shipped file exported to CSV and imported back (as
// faro directory export/import do) gives the same entries.
func TestExportImportRoundTrip(t *testing.T) {
	d := load(t)
	for _, file := range d.Files() {
		want := d.Entries(file)
		if len(want) == 0 {
			continue // texts.yaml, holidays.yaml
		}
		var csv bytes.Buffer
		if err := directory.WriteCSV(&csv, want); err != nil {
			t.Fatal(err)
		}
		entries, err := directory.ReadCSV(bytes.NewReader(csv.Bytes()))
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		var content bytes.Buffer
		if strings.HasSuffix(file, ".csv") {
			err = directory.WriteCSV(&content, entries)
		} else {
			err = directory.WriteYAML(&content, entries)
		}
		if err != nil {
			t.Fatal(err)
		}
		d2, err := directory.Load(directory.Overlay(directory.Embedded(), map[string][]byte{file: content.Bytes()}))
		if err != nil {
			t.Fatalf("%s: reload: %v", file, err)
		}
		if got := d2.Entries(file); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %d entries after the round trip differ from the %d before", file, len(got), len(want))
		}
	}
}

func TestReadCSVSpreadsheetQuirks(t *testing.T) {
	in := "\ufeffid,name,categories,district,source,verified,free,lat,lon\n" +
		"a-1, Con espacios ,legal ; health;,150101,https://x.example,2025-01,Sí,-12.05,-77.03\n"
	got, err := directory.ReadCSV(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := directory.Entry{ID: "a-1", Name: "Con espacios", Categories: []string{"legal", "health"}, District: "150101",
		Source: "https://x.example", Verified: "2025-01", Free: true, Lat: -12.05, Lon: -77.03}
	if len(got) != 1 || !reflect.DeepEqual(got[0], want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestReadCSVErrors(t *testing.T) {
	for name, in := range map[string]string{
		"unknown column":  "id,name,categories,source,verified,colour\n",
		"missing column":  "id,name,source,verified\n",
		"bad number":      "id,name,categories,source,verified,lat\nx,X,legal,https://x.example,2025,south\n",
		"bad boolean":     "id,name,categories,source,verified,free\nx,X,legal,https://x.example,2025,maybe\n",
		"ragged row":      "id,name,categories,source,verified\nx,X,legal\n",
		"repeated column": "id,name,name,categories,source,verified\n",
	} {
		if _, err := directory.ReadCSV(strings.NewReader(in)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
