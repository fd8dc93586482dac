package handoff_test

import (
	"testing"
	"time"

	"github.com/faro-chat/faro/bot/handoff"
)

func TestHoursOpenAndNext(t *testing.T) {
	h, err := handoff.NewHours("Mo-Fr 09:00-18:00; Sa 09:00-13:00", []string{"2026-12-08"}, "America/Lima")
	if err != nil {
		t.Fatal(err)
	}
	lima := time.FixedZone("PET", -5*3600)
	at := func(mo time.Month, d, hh, mm int) time.Time { return time.Date(2026, mo, d, hh, mm, 0, 0, lima) }
	cases := []struct {
		name string
		t    time.Time
		open bool
		next time.Time
	}{
		{"a Friday morning", at(11, 27, 10, 0), true, time.Time{}},
		{"a Friday night: back on Saturday", at(11, 27, 20, 0), false, at(11, 28, 9, 0)},
		{"a Saturday afternoon: back on Monday", at(11, 28, 14, 0), false, at(11, 30, 9, 0)},
		{"just before opening", at(11, 30, 8, 59), false, at(11, 30, 9, 0)},
		{"a holiday on a Tuesday: back on Wednesday", at(12, 8, 11, 0), false, at(12, 9, 9, 0)},
		{"the Monday before the holiday, at night: back on Wednesday", at(12, 7, 19, 0), false, at(12, 9, 9, 0)},
		{"in UTC, 14:00 is 9:00 in Lima", time.Date(2026, 11, 30, 14, 0, 0, 0, time.UTC), true, time.Time{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			open, next := h.At(c.t)
			if open != c.open || !next.Equal(c.next) {
				t.Fatalf("At(%s) = %v, %s; want %v, %s", c.t, open, next, c.open, c.next)
			}
		})
	}
}

func TestHoursNilAndEmptyAreAlwaysOpen(t *testing.T) {
	h, err := handoff.NewHours("  ", nil, "")
	if err != nil {
		t.Fatal(err)
	}
	if !h.Open(time.Date(2026, 12, 25, 3, 0, 0, 0, time.UTC)) {
		t.Fatal("no office hours configured must mean always open")
	}
}

func TestHoursRejectsBadConfig(t *testing.T) {
	for _, c := range []struct{ weekly, holiday, tz string }{
		{"Mo-Fr 9-18", "", "America/Lima"},
		{"Mo-Fr 09:00-18:00", "25/12/2026", "America/Lima"},
		{"Mo-Fr 09:00-18:00", "", "Mars/Olympus"},
	} {
		if _, err := handoff.NewHours(c.weekly, []string{c.holiday}, c.tz); err == nil {
			t.Errorf("NewHours(%q, %q, %q) accepted", c.weekly, c.holiday, c.tz)
		}
	}
}
