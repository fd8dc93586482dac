package directory_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/faro-chat/faro/directory"
)

var checkTime = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

// validEntry is a correct local entry in YAML; cases change one thing.
const validEntry = `
  - id: test-ok
    name: "Servicio de prueba"
    categories: [legal]
    phones: ["+51932854358"]
    address: "Av. Siempre Viva 123"
    district: "150101"
    lat: -12.05
    lon: -77.03
    hours: "Mo-Fr 08:00-17:00"
    source: "https://example.org/fuente"
    verified: "2026-10"
`

// problemsIn validates the embedded data plus extra files and returns the problems of
// each extra file.
func problemsIn(files map[string]string) map[string][]directory.Problem {
	over := map[string][]byte{}
	for name, content := range files {
		over[name] = []byte(content)
	}
	out := map[string][]directory.Problem{}
	for _, p := range directory.Validate(directory.Overlay(directory.Embedded(), over), checkTime) {
		if _, ok := files[p.File]; ok {
			out[p.File] = append(out[p.File], p)
		}
	}
	return out
}

// problemsFor validates the embedded data plus one extra file.
func problemsFor(name, content string) []directory.Problem {
	return problemsIn(map[string]string{name: content})[name]
}

func TestValidateAcceptsValidEntry(t *testing.T) {
	if ps := problemsFor("test.yaml", "entries:"+validEntry); len(ps) != 0 {
		t.Errorf("valid entry: %v", ps)
	}
}

func TestValidateFindsProblems(t *testing.T) {
	cases := []struct {
		name, from, to string // replace from with to in validEntry
		severity, want string
	}{
		{"unknown category", "[legal]", "[legal, food]", "error", `unknown category "food"`},
		{"phone format", `"+51932854358"`, `"932854358"`, "error", "want E.164"},
		{"foreign phone", `"+51932854358"`, `"+34912345678"`, "error", "not a Peruvian number"},
		{"911 is not published", `"+51932854358"`, `"911"`, "error", "must not be published"},
		{"old trafficking line", `"+51932854358"`, `"0800-2-3232"`, "error", "want E.164"},
		{"coordinates outside Peru", "lon: -77.03", "lon: -60.0", "error", "not in Peru"},
		{"coordinates far from the district", "lat: -12.05", "lat: -13.50", "warning", "km from the capital"},
		{"unknown ubigeo", `district: "150101"`, `district: "159999"`, "error", "not a district ubigeo"},
		{"hours that do not parse", `hours: "Mo-Fr 08:00-17:00"`, `hours: "lunes a viernes"`, "error", "unknown day selector"},
		{"missing source", `source: "https://example.org/fuente"`, `source: ""`, "error", "no source"},
		{"source not a URL", `source: "https://example.org/fuente"`, `source: "el periódico"`, "error", "want http(s) URLs"},
		{"stale", `verified: "2026-10"`, `verified: "2024-05"`, "warning", "more than 12 months ago"},
		{"future", `verified: "2026-10"`, `verified: "2027-01"`, "error", "in the future"},
		{"date format", `verified: "2026-10"`, `verified: "oct 2026"`, "error", "want YYYY"},
		{"bad id", "id: test-ok", "id: Test OK", "error", "lower case"},
		{"shelter", `name: "Servicio de prueba"`, `name: "Casa de Acogida Temporal Lima"`, "error", "shelter locations are confidential"},
		{"closed service", `name: "Servicio de prueba"`, `name: "CERITS Caja de Agua"`, "error", "closed in June 2023"},
		{"friendly without voucher", "categories: [legal]", "categories: [legal]\n    friendly: [sex-workers]", "error", "vouched_by"},
		{"unknown field", "categories: [legal]", "categories: [legal]\n    colour: blue", "error", "colour"},
		{"unknown text", "categories: [legal]", "categories: [legal]\n    texts: [nope]", "error", `text "nope"`},
		{"description without Spanish", "categories: [legal]", "categories: [legal]\n    desc: {en: Only English}", "error", `no "es" text`},
		{"bad docs", "categories: [legal]", "categories: [legal]\n    docs: passport", "error", "docs"},
		{"whatsapp landline", "categories: [legal]", "categories: [legal]\n    whatsapp: \"+5113110300\"", "error", "whatsapp"},
		{"bad web", "categories: [legal]", "categories: [legal]\n    web: www.example.org", "error", "http(s) URL"},
		{"nowhere", "    district: \"150101\"\n    lat: -12.05\n    lon: -77.03\n", "", "error", "no coordinates and no district"},
		{"national line without contact", "categories: [legal]", "categories: [legal]\n    coverage: national", "error", "needs a phone"},
		// claims: free, 24 hours and national coverage only where the source says so
		{"free without a claim", "categories: [legal]", "categories: [legal]\n    free: true", "error", "free: the entry claims it (free: true) but cites no words"},
		{"free, the claim does not say it", "categories: [legal]", "categories: [legal]\n    free: true\n    claims: {free: \"atiende a todas las personas\"}", "error", "does not say it"},
		{"24 hours from 365 days", `hours: "Mo-Fr 08:00-17:00"`, "hours: \"24/7\"\n    claims: {hours: \"los 365 días del año\"}", "error", "hours: claims.hours"},
		{"24 hours without a claim", `hours: "Mo-Fr 08:00-17:00"`, `hours: "24/7"`, "error", "hours: the entry claims it (open 24 hours)"},
		{"national without a claim", "categories: [legal]", "categories: [legal]\n    coverage: national", "error", "coverage: the entry claims it (coverage: national)"},
		{"national from a Lima source", "categories: [legal]", "categories: [legal]\n    coverage: national\n    claims: {coverage: \"Cubre Lima Metropolitana\"}", "error", "coverage: claims.coverage"},
		{"free with a paid landline", "categories: [legal]", "categories: [legal]\n    free: true\n    claims: {free: \"línea gratuita 0800\"}", "error", "only the 0800 number is toll-free"},
		{"unknown claim", "categories: [legal]", "categories: [legal]\n    claims: {cheap: \"barato\"}", "error", `unknown claim "cheap"`},
		{"regional without regions", "categories: [legal]", "categories: [legal]\n    coverage: regional", "error", "needs regions"},
		{"region not a department", "categories: [legal]", "categories: [legal]\n    coverage: regional\n    regions: [\"150101\"]", "error", "not a department or province"},
	}
	// One file per case (each with its own id), checked in one run.
	files := map[string]string{}
	for i, c := range cases {
		entry := strings.Replace(validEntry, c.from, c.to, 1)
		if c.name == "free with a paid landline" {
			entry = strings.Replace(entry, `phones: ["+51932854358"]`, `phones: ["+5113110300", "0800-15-170"]`, 1)
		}
		if entry == validEntry && c.from != c.to {
			t.Fatalf("%s: %q not found in the valid entry", c.name, c.from)
		}
		if c.name == "national line without contact" {
			entry = strings.Replace(entry, `phones: ["+51932854358"]`, "", 1)
		}
		entry = strings.Replace(entry, "id: test-ok", fmt.Sprintf("id: case-%d", i), 1)
		files[fmt.Sprintf("case-%d.yaml", i)] = "entries:" + entry
	}
	got := problemsIn(files)
	for i, c := range cases {
		ps := got[fmt.Sprintf("case-%d.yaml", i)]
		if !hasProblem(ps, c.severity, c.want) {
			t.Errorf("%s: want a %s containing %q, got %v", c.name, c.severity, c.want, ps)
		}
	}
}

// TestValidateAcceptsBackedClaims: the same claims, backed by the words of the source
// (in the entry or in a shared text it names), pass.
func TestValidateAcceptsBackedClaims(t *testing.T) {
	entry := strings.Replace(validEntry, `hours: "Mo-Fr 08:00-17:00"`, `hours: "24/7"
    free: true
    claims:
      free: "servicio gratuito (fuente)"
      hours: "atiende las 24 horas (fuente)"`, 1)
	if ps := problemsFor("test.yaml", "entries:"+entry); len(ps) != 0 {
		t.Errorf("backed claims: %v", ps)
	}
	line := `
  - id: test-line
    name: "Línea de prueba"
    categories: [legal]
    coverage: regional
    regions: ["150100", "070000"]
    phones: ["105"]
    source: "https://example.org/fuente"
    verified: "2026-10"
`
	if ps := problemsFor("line.yaml", "entries:"+line); len(ps) != 0 {
		t.Errorf("regional line: %v", ps)
	}
}

func TestValidateDuplicates(t *testing.T) {
	ps := problemsFor("test.yaml", "entries:"+validEntry+strings.Replace(validEntry, "Av. Siempre Viva", "Jr. Otra", 1))
	if !hasProblem(ps, "error", "duplicate id") {
		t.Errorf("duplicate id not reported: %v", ps)
	}
	ps = problemsFor("test.yaml", "entries:"+validEntry+strings.Replace(validEntry, "id: test-ok", "id: test-other", 1))
	if !hasProblem(ps, "warning", "same name and district") {
		t.Errorf("duplicate name not reported: %v", ps)
	}
	ps = problemsFor("test.yaml", "entries:"+strings.Replace(validEntry, "id: test-ok", "id: pe-linea-100", 1))
	if !hasProblem(ps, "error", "duplicate id") {
		t.Errorf("id repeated across files not reported: %v", ps)
	}
}

func TestValidateCSVFile(t *testing.T) {
	csv := "id,name,categories,district,source,verified,phones\n" +
		"csv-1,Uno,legal,150101,https://x.example,2026,+51932854358\n" +
		"csv-2,Dos,legal;space,150101,https://x.example,2026,12345\n"
	ps := problemsFor("sheet.csv", csv)
	if !hasProblem(ps, "error", `unknown category "space"`) || !hasProblem(ps, "error", `phone "12345"`) {
		t.Errorf("problems in a CSV row not reported: %v", ps)
	}
	for _, p := range ps {
		if p.Entry == "csv-2" && !strings.Contains(p.Message, "line 3") {
			t.Errorf("problem without its line: %v", p)
		}
	}
}

// TestLoadRefusesErrors: the bot does not start on data with errors.
func TestLoadRefusesErrors(t *testing.T) {
	bad := strings.Replace("entries:"+validEntry, "[legal]", "[nonsense]", 1)
	if _, err := directory.Load(directory.Overlay(directory.Embedded(), map[string][]byte{"bad.yaml": []byte(bad)})); err == nil || !strings.Contains(err.Error(), "nonsense") {
		t.Errorf("Load with a bad category: err = %v", err)
	}
	if _, err := directory.Load(directory.Overlay(directory.Embedded(), map[string][]byte{"ok.yaml": []byte("entries:" + validEntry)})); err != nil {
		t.Errorf("Load with a valid extra file: %v", err)
	}
}

func hasProblem(ps []directory.Problem, severity, msg string) bool {
	for _, p := range ps {
		if p.Severity == severity && strings.Contains(p.Message, msg) {
			return true
		}
	}
	return false
}
