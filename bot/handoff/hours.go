package handoff

import (
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/faro-chat/faro/directory/hours"
)

// Hours are the operators' office hours: weekly hours in the directory's opening-hours
// syntax ("Mo-Fr 09:00-18:00; Sa 09:00-13:00"), holidays on which nobody answers (unless
// the weekly hours have a "PH" rule for them) and a time zone. A nil *Hours is always
// open. It is safe for concurrent use and cheap to ask on every message: its answer is
// kept for the minute.
type Hours struct {
	sch      *hours.Schedule
	holidays map[[3]int]bool // year, month, day
	loc      *time.Location
	last     atomic.Pointer[hoursAnswer]
}

// hoursAnswer is the answer for one minute.
type hoursAnswer struct {
	minute int64
	open   bool
	next   time.Time
}

// NewHours parses weekly hours, holiday dates (YYYY-MM-DD) and a time zone name
// ("America/Lima"). Empty weekly hours mean always open, holidays included.
func NewHours(weekly string, holidays []string, tz string) (*Hours, error) {
	if tz == "" {
		tz = "America/Lima"
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return nil, fmt.Errorf("handoff hours: time zone %q: %w", tz, err)
	}
	h := &Hours{holidays: map[[3]int]bool{}, loc: loc}
	for _, d := range holidays {
		d = strings.TrimSpace(d)
		if d == "" {
			continue
		}
		t, err := time.Parse("2006-01-02", d)
		if err != nil {
			return nil, fmt.Errorf("handoff holidays: %q: want YYYY-MM-DD", d)
		}
		h.holidays[[3]int{t.Year(), int(t.Month()), t.Day()}] = true
	}
	weekly = strings.TrimSpace(weekly)
	if weekly == "" {
		return nil, nil
	}
	src := weekly
	if !strings.Contains(weekly, "PH") {
		src += "; PH off" // a holiday of the list is closed all day
	}
	if h.sch, err = hours.Parse(src); err != nil {
		return nil, fmt.Errorf("handoff hours: %w", err)
	}
	return h, nil
}

// At tells whether the office is open at t and, when it is not, when it opens next
// (zero when not within a week, or never).
func (h *Hours) At(t time.Time) (open bool, next time.Time) {
	if h == nil {
		return true, time.Time{}
	}
	minute := t.Unix() / 60
	if a := h.last.Load(); a != nil && a.minute == minute {
		return a.open, a.next
	}
	st := h.sch.Eval(t, h.loc, h.isHoliday)
	a := &hoursAnswer{minute: minute, open: st.Open}
	if !st.Open {
		a.next = st.Opens
	}
	h.last.Store(a)
	return a.open, a.next
}

// Open tells whether the office is open at t.
func (h *Hours) Open(t time.Time) bool {
	open, _ := h.At(t)
	return open
}

// Next is when the office opens next after t, when it is closed at t (zero when it
// is open, or opens not within a week).
func (h *Hours) Next(t time.Time) time.Time {
	_, next := h.At(t)
	return next
}

func (h *Hours) isHoliday(y int, m time.Month, d int) bool { return h.holidays[[3]int{y, int(m), d}] }
