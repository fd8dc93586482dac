package directory_test

import (
	"os"
	"strings"
	"testing"

	"github.com/faro-chat/faro/directory"
)

// TestOrgsOfTheData: the organizations of the embedded data load, every one with a
// code fit for a deep link, and every community organization of the directory has one.
func TestOrgsOfTheData(t *testing.T) {
	d, err := directory.Default()
	if err != nil {
		t.Fatal(err)
	}
	orgs := d.Orgs()
	if len(orgs) < 4 {
		t.Fatalf("want the organizations of %s, got %v", directory.OrgsFile, orgs)
	}
	entry := map[string]bool{}
	for _, o := range orgs {
		if !directory.ValidOrgCode(o.Code) {
			t.Errorf("%v: code not fit for a deep link", o)
		}
		if got, ok := d.OrgByCode(strings.ToUpper(o.Code)); !ok || got.ID != o.ID {
			t.Errorf("OrgByCode(%q) = %v, %v", o.Code, got, ok)
		}
		entry[o.Entry] = true
	}
	for _, e := range d.Entries("") {
		for _, c := range e.Categories {
			if c == directory.CatCommunity && !entry[e.ID] {
				t.Errorf("community entry %s has no organization record", e.ID)
			}
		}
	}
}

// TestOrgChecksCatchBadRecords: each bad record of orgs.yaml is an error that names it.
func TestOrgChecksCatchBadRecords(t *testing.T) {
	good, err := os.ReadFile("data/" + directory.OrgsFile)
	if err != nil {
		t.Fatal(err)
	}
	if ps := orgProblems(string(good)); len(ps) != 0 {
		t.Fatalf("the data's organizations: %v", ps)
	}
	// A record of its own, appended to the good ones (a copy of si-da-vida's facts).
	const extra = `
  - id: otra
    name: "Otra organización"
    code: otra
    regions: ["150100"]
    source: "https://example.org/fuente"
    verified: "2026-10"
`
	cases := []struct {
		name, from, to string // replace from with to in extra (or, with from "", in the file)
		want           string
	}{
		{"valid", "", "", ""},
		{"no id", "id: otra", "id: ", "no id"},
		{"bad id", "id: otra", "id: Otra Org", "lower case"},
		{"duplicate id", "id: otra", "id: inppares", "duplicate id"},
		{"no name", `name: "Otra organización"`, `name: ""`, "no name"},
		{"no code", "code: otra", "code: ", "no code"},
		{"code with a space", "code: otra", `code: "o tra"`, "Telegram start parameter"},
		{"code too long", "code: otra", "code: " + strings.Repeat("x", 65), "Telegram start parameter"},
		{"code with an accent", "code: otra", "code: otrá", "Telegram start parameter"},
		{"duplicate code", "code: otra", "code: sjm", "already encuentros-sjm's"},
		{"duplicate code, other case", "code: otra", "code: SJM", "already encuentros-sjm's"},
		{"unknown region", `regions: ["150100"]`, `regions: ["999900"]`, `region "999900" is not a department or province`},
		{"district as region", `regions: ["150100"]`, `regions: ["150101"]`, `region "150101" is not a department or province`},
		{"region twice", `regions: ["150100"]`, `regions: ["150100", "150100"]`, "twice"},
		{"no source", `source: "https://example.org/fuente"`, `source: ""`, "no source"},
		{"source not a URL", `source: "https://example.org/fuente"`, `source: "un folleto"`, "want http(s) URLs"},
		{"bad date", `verified: "2026-10"`, `verified: "octubre"`, "want YYYY"},
		{"future date", `verified: "2026-10"`, `verified: "2030-01"`, "in the future"},
		{"bad contact", `regions:`, "contact: \"llamar a Ana\"\n    regions:", "want a web address"},
		{"unknown entry", `regions:`, "entry: pe-nope\n    regions:", `entry "pe-nope" is not in the directory`},
		{"entry not community", `regions:`, "entry: pe-defensoria-sede-lima\n    regions:", "not a community organization"},
		{"entry of another record", `name: "Otra organización"`, "name: \"Sí, da Vida\"\n    entry: pe-si-da-vida-smp", "already si-da-vida's"},
		{"name not the entry's", "entry: pe-si-da-vida-smp", "entry: pe-inppares-jesus-maria", `is not in its entry's name`},
		{"contact not the entry's", `contact: "https://www.encuentros-sjs.org"`, `contact: "https://example.org"`, "none of its entry's"},
		{"community entry without a record", "    entry: pe-si-da-vida-smp\n", "", "no record in the organizations section"},
		{"unknown field", `regions:`, "colour: blue\n    regions:", "colour"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			file := string(good) + extra
			if tc.from != "" {
				if !strings.Contains(file, tc.from) {
					t.Fatalf("%q not in the file", tc.from)
				}
				if strings.Contains(extra, tc.from) {
					file = string(good) + strings.Replace(extra, tc.from, tc.to, 1)
				} else {
					file = strings.Replace(file, tc.from, tc.to, 1)
				}
			}
			ps := orgProblems(file)
			if tc.want == "" {
				if len(ps) != 0 {
					t.Fatalf("want no problem, got %v", ps)
				}
				return
			}
			for _, p := range ps {
				if p.Severity == directory.SevError && strings.Contains(p.String(), tc.want) {
					return
				}
			}
			t.Errorf("want an error with %q, got %v", tc.want, ps)
		})
	}
}

// orgProblems validates the embedded data with orgs.yaml replaced, and returns the
// problems of that file and the problems about organizations elsewhere.
func orgProblems(orgs string) []directory.Problem {
	var out []directory.Problem
	over := map[string][]byte{directory.OrgsFile: []byte(orgs)}
	for _, p := range directory.Validate(directory.Overlay(directory.Embedded(), over), checkTime) {
		if p.File == directory.OrgsFile || strings.Contains(p.Message, "organization") {
			out = append(out, p)
		}
	}
	return out
}

// TestBadOrgRecordDoesNotStopLoad: a bad organization record fails the check but not
// the loading of the directory (the bot still starts); it is left out of Orgs.
func TestBadOrgRecordDoesNotStopLoad(t *testing.T) {
	good, err := os.ReadFile("data/" + directory.OrgsFile)
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(good), "code: sdv", `code: "s d v"`, 1)
	fsys := directory.Overlay(directory.Embedded(), map[string][]byte{directory.OrgsFile: []byte(bad)})
	d, err := directory.Load(fsys)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if _, ok := d.OrgByID("si-da-vida"); ok {
		t.Error("the bad record should be left out")
	}
	if _, ok := d.OrgByID("encuentros-sjm"); !ok {
		t.Error("the good records should be kept")
	}
	if ps := orgProblems(bad); len(ps) == 0 {
		t.Error("the check should report the bad record")
	}
	if ps := d.OrgProblems(); len(ps) != 1 || !strings.Contains(ps[0].String(), "org si-da-vida") {
		t.Errorf("OrgProblems: %v", ps)
	}
}
