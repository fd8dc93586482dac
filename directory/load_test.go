package directory_test

import (
	"strings"
	"testing"
	"time"

	"github.com/faro-chat/faro/directory"
)

// TestEmbeddedDataValid: the shipped data has no errors (faro check would fail).
func TestEmbeddedDataValid(t *testing.T) {
	probs := directory.Validate(directory.Embedded(), time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC))
	for _, p := range probs {
		if p.Severity == directory.SevError {
			t.Error(p)
		}
	}
	if len(probs) > 60 {
		t.Errorf("%d problems: warnings about many rows should be summed up", len(probs))
	}
}

// TestEmbeddedCounts: the data has the services the issue asks for.
func TestEmbeddedCounts(t *testing.T) {
	d := load(t)
	count := map[string]int{}
	byFile := map[string]int{}
	for _, f := range d.Files() {
		for _, e := range d.Entries(f) {
			byFile[f]++
			for _, c := range e.Categories {
				count[c]++
			}
		}
	}
	min := map[string]int{
		directory.CatViolence: 512, directory.CatLegal: 437, directory.CatShelter: 436,
		directory.CatHealth: 7000, directory.CatEmergency: 500, directory.CatMentalHealth: 8,
		directory.CatSexualHealth: 6, directory.CatMigration: 3, directory.CatCommunity: 1,
	}
	for c, n := range min {
		if count[c] < n {
			t.Errorf("%s: %d entries, want at least %d", c, count[c], n)
		}
	}
	if byFile["mimp.csv"] != 512 {
		t.Errorf("mimp.csv: %d entries, want 436 CEM + 68 SAR + 8 SAU = 512", byFile["mimp.csv"])
	}
	t.Logf("entries by category: %v; by file: %v", count, byFile)
}

// TestNoShelterIsPublished: the 29 MIMP shelters (HRT) and other shelters are not in
// the data, and the shelter category holds only the CEMs that arrange a place.
func TestNoShelterIsPublished(t *testing.T) {
	d := load(t)
	for _, e := range d.Entries("") {
		l := strings.ToLower(e.Name)
		for _, w := range []string{"acogida", "refugio", "hrt", "albergue", "casa trans"} {
			if strings.Contains(l, w) {
				t.Errorf("%s %q looks like a shelter", e.ID, e.Name)
			}
		}
		for _, c := range e.Categories {
			if c == directory.CatShelter && e.Coverage != directory.CoverageNational && !strings.HasPrefix(e.ID, "mimp-cem-") {
				t.Errorf("%s is in the shelter category: only CEMs (the route to a shelter) and Línea 100 may be", e.ID)
			}
		}
	}
}

func TestMIMPHours(t *testing.T) {
	d := load(t)
	for _, e := range d.Entries("mimp.csv") {
		switch {
		case strings.HasPrefix(e.Name, "CEM Comisaría"):
			if e.Hours != "24/7" {
				t.Errorf("%s: hours %q, want 24/7 (CEM in a police station)", e.ID, e.Hours)
			}
		case strings.HasPrefix(e.Name, "CEM Regular"):
			if e.Hours != "Mo-Fr 08:00-16:15; PH off" {
				t.Errorf("%s: hours %q", e.ID, e.Hours)
			}
		}
		if e.Source == "" || e.Verified != "2026" {
			t.Errorf("%s: source %q verified %q", e.ID, e.Source, e.Verified)
		}
	}
}

// TestKnownWrongPointsAreNotUsed: the MIMP points the source says are wrong are not
// used; those services are placed at their district, approximately.
func TestKnownWrongPointsAreNotUsed(t *testing.T) {
	d := load(t)
	wrong := map[string]bool{"mimp-cem-regular-catacaos": true, "mimp-cem-regular-mi-peru": true, "mimp-sar-tigre": true, "mimp-cem-regular-uchiza": true}
	for _, e := range d.Entries("mimp.csv") {
		if wrong[e.ID] {
			delete(wrong, e.ID)
			if e.Lat != 0 || e.Lon != 0 {
				t.Errorf("%s keeps the wrong point %v,%v", e.ID, e.Lat, e.Lon)
			}
		}
		if e.ID == "mimp-cem-regular-magdalena-del-mar" && e.District != "150120" {
			t.Errorf("CEM Magdalena: district %s, want 150120 (the source says San Luis)", e.District)
		}
	}
	if len(wrong) > 0 {
		t.Errorf("missing entries %v", wrong)
	}
}

func TestCategories(t *testing.T) {
	d := load(t)
	got := strings.Join(d.Categories(), " ")
	if got != "violence health sexual-health mental-health legal shelter migration community emergency" {
		t.Errorf("Categories() = %s", got)
	}
}

func TestPlace(t *testing.T) {
	d := load(t)
	for code, name := range map[string]string{"150132": "San Juan de Lurigancho", "150100": "Lima", "080000": "Cusco", "150144": "Santa María de Huachipa"} {
		p, ok := d.Place(code)
		if !ok || p.Name != name || p.Lat == 0 {
			t.Errorf("Place(%s) = %+v, %v", code, p, ok)
		}
	}
	if _, ok := d.Place("999999"); ok {
		t.Error("Place(999999) found something")
	}
}

// TestStartup measures what faro chat pays at start (see BenchmarkLoad for figures).
func TestStartup(t *testing.T) {
	start := time.Now()
	if _, err := directory.Load(directory.Embedded()); err != nil {
		t.Fatal(err)
	}
	t.Logf("Load(Embedded()): %v", time.Since(start))
}
