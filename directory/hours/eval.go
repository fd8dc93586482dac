package hours

import "time"

// horizon is how many days ahead Eval looks for the next opening or closing.
const horizon = 8

// Status is whether a place is open at a moment, and until or from when.
type Status struct {
	Open   bool
	Always bool      // open all day every day
	Until  time.Time // when Open: the next closing (zero if none within the horizon)
	Opens  time.Time // when closed: the next opening (zero if none within the horizon)
}

// Holiday tells whether a date is a public holiday.
type Holiday func(year int, month time.Month, day int) bool

// Eval returns the status at t, in the time zone loc. isHoliday may be nil.
func (s *Schedule) Eval(t time.Time, loc *time.Location, isHoliday Holiday) Status {
	if s.Always() {
		return Status{Open: true, Always: true}
	}
	t = t.In(loc)
	y, mo, d := t.Date()
	midnight := time.Date(y, mo, d, 0, 0, 0, 0, loc)
	now := t.Sub(midnight).Minutes()

	// Collect absolute intervals (minutes from today's midnight) from yesterday on.
	ivs := make([]span, 0, 2*(horizon+2))
	for off := -1; off <= horizon; off++ {
		date := midnight.AddDate(0, 0, off)
		for _, sp := range s.spansOn(date, isHoliday) {
			base := off * 1440
			ivs = append(ivs, span{base + sp.from, base + sp.to})
		}
	}
	ivs = merge(ivs)
	at := func(min int) time.Time {
		// AddDate keeps wall-clock arithmetic right even if Lima ever had DST again.
		days, rem := min/1440, min%1440
		return midnight.AddDate(0, 0, days).Add(time.Duration(rem) * time.Minute)
	}
	end := (horizon + 1) * 1440
	for _, iv := range ivs {
		if float64(iv.from) <= now && now < float64(iv.to) {
			st := Status{Open: true}
			if iv.to < end {
				st.Until = at(iv.to)
			}
			return st
		}
		if float64(iv.from) > now {
			return Status{Opens: at(iv.from)}
		}
	}
	return Status{}
}

// OpenAt reports whether the place is open at t: Eval's Open, without looking ahead.
func (s *Schedule) OpenAt(t time.Time, loc *time.Location, isHoliday Holiday) bool {
	if s.always {
		return true
	}
	t = t.In(loc)
	y, mo, d := t.Date()
	midnight := time.Date(y, mo, d, 0, 0, 0, 0, loc)
	now := int(t.Sub(midnight) / time.Minute)
	for _, sp := range s.spansOn(midnight, isHoliday) {
		if sp.from <= now && now < sp.to {
			return true
		}
	}
	for _, sp := range s.spansOn(midnight.AddDate(0, 0, -1), isHoliday) {
		if sp.from <= now+1440 && now+1440 < sp.to {
			return true
		}
	}
	return false
}

func (s *Schedule) spansOn(date time.Time, isHoliday Holiday) []span {
	if s.phSet && isHoliday != nil {
		y, m, d := date.Date()
		if isHoliday(y, m, d) {
			return s.ph
		}
	}
	wd := (int(date.Weekday()) + 6) % 7 // Monday = 0
	return s.week[wd]
}

// merge sorts intervals and joins those that overlap or touch.
func merge(ivs []span) []span {
	for i := 1; i < len(ivs); i++ { // insertion sort: lists are short
		for j := i; j > 0 && ivs[j].from < ivs[j-1].from; j-- {
			ivs[j], ivs[j-1] = ivs[j-1], ivs[j]
		}
	}
	out := ivs[:0]
	for _, iv := range ivs {
		if n := len(out); n > 0 && iv.from <= out[n-1].to {
			if iv.to > out[n-1].to {
				out[n-1].to = iv.to
			}
			continue
		}
		out = append(out, iv)
	}
	return out
}
