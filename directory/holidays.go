package directory

import (
	"fmt"
	"time"
)

// HolidayList is the holidays section of a YAML data file: the national public holidays
// that "PH" means in opening hours.
type HolidayList struct {
	Source   string        `yaml:"source"`
	Verified string        `yaml:"verified"`
	Dates    []HolidayRule `yaml:"dates"`
}

// HolidayRule is a holiday on a fixed date ("07-28") or a number of days from Easter
// Sunday (-2 is Good Friday).
type HolidayRule struct {
	Date   string `yaml:"date,omitempty"`
	Easter *int   `yaml:"easter,omitempty"`
	Name   string `yaml:"name"`
}

// holidays answers "is this date a holiday" from the rules.
type holidays struct {
	fixed  map[[2]int]bool // month, day
	easter []int
	// byEaster holds the Easter-based holidays of the years around now, computed once
	// (the open state is asked thousands of times a second).
	byEaster map[[3]int]bool
	from, to int
}

func newHolidays(hl *HolidayList) (*holidays, error) {
	h := &holidays{fixed: map[[2]int]bool{}, byEaster: map[[3]int]bool{}, from: 2000, to: 2100}
	if hl == nil {
		return h, nil
	}
	for _, r := range hl.Dates {
		switch {
		case r.Date != "" && r.Easter == nil:
			t, err := time.Parse("01-02", r.Date)
			if err != nil {
				return nil, fmt.Errorf("holiday %q: date %q: want MM-DD", r.Name, r.Date)
			}
			h.fixed[[2]int{int(t.Month()), t.Day()}] = true
		case r.Date == "" && r.Easter != nil:
			h.easter = append(h.easter, *r.Easter)
		default:
			return nil, fmt.Errorf("holiday %q: give either date or easter", r.Name)
		}
	}
	for y := h.from; y <= h.to; y++ {
		e := easter(y)
		for _, off := range h.easter {
			d := e.AddDate(0, 0, off)
			h.byEaster[[3]int{d.Year(), int(d.Month()), d.Day()}] = true
		}
	}
	return h, nil
}

// is reports whether the date is a holiday.
func (h *holidays) is(year int, month time.Month, day int) bool {
	if h.fixed[[2]int{int(month), day}] {
		return true
	}
	if len(h.easter) == 0 {
		return false
	}
	if year >= h.from && year <= h.to {
		return h.byEaster[[3]int{year, int(month), day}]
	}
	e := easter(year)
	d := time.Date(year, month, day, 0, 0, 0, 0, time.UTC)
	for _, off := range h.easter {
		if e.AddDate(0, 0, off).Equal(d) {
			return true
		}
	}
	return false
}

// easter returns Easter Sunday of a year in the Gregorian calendar (the anonymous
// Gregorian algorithm, "Meeus/Jones/Butcher").
func easter(y int) time.Time {
	a := y % 19
	b, c := y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return time.Date(y, time.Month(month), day, 0, 0, 0, 0, time.UTC)
}
