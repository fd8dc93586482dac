package directory

import (
	"testing"
	"time"
)

func TestEaster(t *testing.T) {
	for y, want := range map[int]string{2024: "2024-03-31", 2025: "2025-04-20", 2026: "2026-04-05", 2027: "2027-03-28", 2030: "2030-04-21"} {
		if got := easter(y).Format("2006-01-02"); got != want {
			t.Errorf("easter(%d) = %s, want %s", y, got, want)
		}
	}
}

// TestPeruHolidays2026: the embedded list gives the 16 national holidays of 2026.
func TestPeruHolidays2026(t *testing.T) {
	d, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{
		"01-01": true, "04-02": true, "04-03": true, "05-01": true, "06-07": true, "06-29": true,
		"07-23": true, "07-28": true, "07-29": true, "08-06": true, "08-30": true, "10-08": true,
		"11-01": true, "12-08": true, "12-09": true, "12-25": true,
	}
	day := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for ; day.Year() == 2026; day = day.AddDate(0, 0, 1) {
		k := day.Format("01-02")
		if got := d.hol.is(2026, day.Month(), day.Day()); got != want[k] {
			t.Errorf("%s: holiday = %v, want %v", k, got, want[k])
		}
	}
}
