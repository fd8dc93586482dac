package directory_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/faro-chat/faro/directory"
	"github.com/faro-chat/faro/flows"
)

var limaTZ = time.FixedZone("-05", -5*60*60)

// Times used below, in Lima.
var (
	mondayMorning  = time.Date(2026, 11, 30, 10, 0, 0, 0, limaTZ)
	sundayNight    = time.Date(2026, 11, 29, 3, 0, 0, 0, limaTZ)
	fiestasPatrias = time.Date(2026, 7, 28, 10, 0, 0, 0, limaTZ) // a Tuesday, a holiday
)

const (
	mirafloresLat, mirafloresLon = -12.1217, -77.0292
	limaLat, limaLon             = -12.0453, -77.0308
)

func TestNearbyLimaCEMs(t *testing.T) {
	d := load(t)
	cards, more := d.Nearby(flows.Query{Lang: "es", Category: directory.CatViolence, Lat: limaLat, Lon: limaLon, Now: mondayMorning})
	if len(cards) != 3 || !more {
		t.Fatalf("got %d cards, more=%v; want 3 and more", len(cards), more)
	}
	// SOURCE-mimp spot check: Cem Regular Lima, Jr. Camaná 616, is at the main square.
	if cards[0].Name != "CEM Regular Lima" || cards[0].Distance > 700 || !strings.Contains(cards[0].Address, "616") {
		t.Errorf("first = %q at %.0f m (%s), want CEM Regular Lima within 700 m", cards[0].Name, cards[0].Distance, cards[0].Address)
	}
}

// TestNearbyMiraflores: there is no CEM in Miraflores; the nearest are in the
// neighbouring districts, nearest first, with real phones.
func TestNearbyMiraflores(t *testing.T) {
	d := load(t)
	cards, _ := d.Nearby(flows.Query{Lang: "es", Category: directory.CatViolence, Lat: mirafloresLat, Lon: mirafloresLon, Now: mondayMorning})
	if len(cards) != 3 {
		t.Fatalf("got %d cards", len(cards))
	}
	if cards[0].Name != "CEM Regular Surquillo" {
		t.Errorf("first = %q, want CEM Regular Surquillo", cards[0].Name)
	}
	for i, c := range cards {
		if strings.HasPrefix(c.Place, "Miraflores") {
			t.Errorf("%s is in Miraflores: the source has no CEM there", c.Name)
		}
		if c.Distance <= 0 || c.Distance > 4000 {
			t.Errorf("%s at %.0f m: want within 4 km", c.Name, c.Distance)
		}
		if i > 0 && c.Distance < cards[i-1].Distance {
			t.Errorf("not nearest first: %v", cards)
		}
		if len(c.Phones) == 0 || !strings.HasPrefix(c.Phones[0], "9") {
			t.Errorf("%s phones %v: want a mobile as dialled in Peru", c.Name, c.Phones)
		}
		// the MIMP 2026 facts, transcribed by hand: "dato por confirmar" until checked
		if !c.Free || c.Verified != "2026" || !c.Unconfirmed {
			t.Errorf("%s: free=%v verified=%q unconfirmed=%v; want the MIMP 2026 facts, unconfirmed", c.Name, c.Free, c.Verified, c.Unconfirmed)
		}
	}
}

func TestNearbyIquitos(t *testing.T) {
	d := load(t)
	cards, _ := d.Nearby(flows.Query{Category: directory.CatViolence, Lat: -3.7524, Lon: -73.2446, Now: mondayMorning})
	if len(cards) == 0 || cards[0].Name != "CEM Comisaría Iquitos" || cards[0].Distance > 100 {
		t.Errorf("got %v, want CEM Comisaría Iquitos (Calle Morona 120) first", names(cards))
	}
}

// TestNearbyPages: "más" pages through distinct services, farther each time.
func TestNearbyPages(t *testing.T) {
	d := load(t)
	seen := map[string]bool{}
	last := -1.0
	for page := 0; page < 4; page++ {
		cards, more := d.Nearby(flows.Query{Category: directory.CatHealth, Lat: -13.5183, Lon: -71.9781, Page: page, Now: mondayMorning})
		if len(cards) != 3 || !more {
			t.Fatalf("page %d: %d cards, more=%v", page, len(cards), more)
		}
		for _, c := range cards {
			if seen[c.ID] {
				t.Errorf("page %d repeats %s", page, c.ID)
			}
			seen[c.ID] = true
			if c.Distance < last {
				t.Errorf("page %d: %s at %.0f m comes after %.0f m", page, c.ID, c.Distance, last)
			}
			last = c.Distance
		}
	}
	cards, _ := d.Nearby(flows.Query{Category: directory.CatHealth, Lat: -13.5183, Lon: -71.9781, PageSize: 5, Now: mondayMorning})
	if len(cards) != 5 {
		t.Errorf("PageSize 5: got %d cards", len(cards))
	}
}

// TestNearbyLastPage: a place with few services nearby ends with more=false.
func TestNearbyLastPage(t *testing.T) {
	d := load(t)
	q := flows.Query{Category: directory.CatMigration, Lat: limaLat, Lon: limaLon, Now: mondayMorning}
	cards, more := d.Nearby(q)
	if len(cards) == 0 || len(cards) > 3 || more {
		t.Fatalf("migration in Lima: %d cards, more=%v; want 1 to 3 and no more", len(cards), more)
	}
	q.Page = 1
	if cards, more := d.Nearby(q); len(cards) != 0 || more {
		t.Errorf("page past the end: %d cards, more=%v", len(cards), more)
	}
}

func TestNearbyOpenNow(t *testing.T) {
	d := load(t)
	// Sunday 03:00: only the 24-hour CEMs (in police stations) are open.
	cards, _ := d.Nearby(flows.Query{Category: directory.CatViolence, Lat: mirafloresLat, Lon: mirafloresLon, Now: sundayNight, OpenNow: true})
	if len(cards) != 3 {
		t.Fatalf("got %d cards", len(cards))
	}
	for _, c := range cards {
		if c.Open != flows.Always || !strings.Contains(c.Name, "Comisaría") {
			t.Errorf("Sunday 03:00: %s open=%v, want only 24-hour CEMs", c.Name, c.Open)
		}
	}
	// Without the filter the nearest (a regular CEM) is closed and says when it opens.
	cards, _ = d.Nearby(flows.Query{Lang: "es", Category: directory.CatViolence, Lat: mirafloresLat, Lon: mirafloresLon, Now: sundayNight})
	if cards[0].Open != flows.ClosedNow || cards[0].Opens != "mañana 08:00" {
		t.Errorf("Sunday 03:00: %s open=%v opens=%q, want closed, opens mañana 08:00", cards[0].Name, cards[0].Open, cards[0].Opens)
	}
	// Monday 10:00 it is open until 16:15.
	cards, _ = d.Nearby(flows.Query{Lang: "es", Category: directory.CatViolence, Lat: mirafloresLat, Lon: mirafloresLon, Now: mondayMorning, OpenNow: true})
	if cards[0].Name != "CEM Regular Surquillo" || cards[0].Open != flows.OpenNow || cards[0].Until != "16:15" {
		t.Errorf("Monday 10:00: %s open=%v until=%q, want CEM Regular Surquillo open until 16:15", cards[0].Name, cards[0].Open, cards[0].Until)
	}
}

// TestNearbyHoliday: on Fiestas Patrias (28-29 July) regular CEMs are closed.
func TestNearbyHoliday(t *testing.T) {
	d := load(t)
	cards, _ := d.Nearby(flows.Query{Lang: "en", Category: directory.CatViolence, Lat: mirafloresLat, Lon: mirafloresLon, Now: fiestasPatrias.UTC()})
	if cards[0].Name != "CEM Regular Surquillo" || cards[0].Open != flows.ClosedNow || cards[0].Opens != "Thu 08:00" {
		t.Errorf("28 July: %s open=%v opens=%q, want closed until Thu 08:00", cards[0].Name, cards[0].Open, cards[0].Opens)
	}
	cards, _ = d.Nearby(flows.Query{Category: directory.CatViolence, Lat: mirafloresLat, Lon: mirafloresLon, Now: fiestasPatrias, OpenNow: true})
	for _, c := range cards {
		if c.Open != flows.Always {
			t.Errorf("28 July, open now: %s (open=%v)", c.Name, c.Open)
		}
	}
}

func TestNearbyFreeOnly(t *testing.T) {
	d := load(t)
	cards, _ := d.Nearby(flows.Query{Category: directory.CatSexualHealth, Lat: limaLat, Lon: limaLon, FreeOnly: true, PageSize: 10, Now: mondayMorning})
	if len(cards) == 0 {
		t.Fatal("no free sexual-health service in Lima")
	}
	for _, c := range cards {
		if !c.Free {
			t.Errorf("%s is not free", c.Name)
		}
	}
}

// TestNearbyShelter: a shelter is never shown; the CEMs that arrange one are, with the
// route explained.
func TestNearbyShelter(t *testing.T) {
	d := load(t)
	for _, lang := range []string{"es", "en"} {
		cards, _ := d.Nearby(flows.Query{Lang: lang, Category: directory.CatShelter, Lat: mirafloresLat, Lon: mirafloresLon, Now: mondayMorning})
		if len(cards) != 3 {
			t.Fatalf("got %d cards", len(cards))
		}
		for _, c := range cards {
			if !strings.HasPrefix(c.ID, "mimp-cem-") {
				t.Errorf("shelter search returned %s (%s): want only CEMs", c.ID, c.Name)
			}
			want := map[string]string{"es": "hogares de refugio", "en": "Shelter addresses"}[lang]
			if !strings.Contains(c.Note, want) {
				t.Errorf("%s note %q does not explain the shelter route in %s", c.Name, c.Note, lang)
			}
		}
	}
}

func TestNearbyLanguages(t *testing.T) {
	d := load(t)
	for _, c := range []struct{ lang, desc, hours string }{
		{"es", "Centro Emergencia Mujer", "lun–vie"},
		{"en", "Women's Emergency Centre", "Mon–Fri"},
		{"qu", "Centro Emergencia Mujer", "lun–vie"}, // no Quechua texts yet: Spanish
	} {
		cards, _ := d.Nearby(flows.Query{Lang: c.lang, Category: directory.CatViolence, Lat: mirafloresLat, Lon: mirafloresLon, Now: mondayMorning})
		if !strings.HasPrefix(cards[0].Desc, c.desc) || !strings.HasPrefix(cards[0].Hours, c.hours) {
			t.Errorf("lang %s: desc %q hours %q", c.lang, cards[0].Desc, cards[0].Hours)
		}
	}
}

func TestNearbyNothing(t *testing.T) {
	d := load(t)
	for _, q := range []flows.Query{
		{Category: "unknown", Lat: limaLat, Lon: limaLon},
		{Category: directory.CatViolence, Lat: math.NaN(), Lon: limaLon},
		{Category: directory.CatViolence, Lat: -12.5, Lon: -80.5}, // Pacific, 380 km out
		{Category: directory.CatViolence, Lat: limaLat, Lon: limaLon, Page: 1000},
	} {
		if cards, more := d.Nearby(q); len(cards) != 0 || more {
			t.Errorf("%+v: got %d cards, more=%v", q, len(cards), more)
		}
	}
}

// TestNearbyApproximateLocation: entries placed at their district's capital say so.
func TestNearbyApproximateLocation(t *testing.T) {
	d := load(t)
	cards, _ := d.Nearby(flows.Query{Lang: "es", Category: directory.CatMigration, Lat: -12.0589, Lon: -77.0461, Now: mondayMorning})
	if len(cards) == 0 || !strings.Contains(cards[0].Note, "Ubicación aproximada") {
		t.Errorf("Migraciones in Breña (no coordinates in the source): note %q", cards[0].Note)
	}
	if cards[0].Place != "Breña, Lima" {
		t.Errorf("place %q, want Breña, Lima", cards[0].Place)
	}
}

func names(cards []flows.Card) []string {
	var out []string
	for _, c := range cards {
		out = append(out, c.Name)
	}
	return out
}
