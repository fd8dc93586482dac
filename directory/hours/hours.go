// Package hours parses the subset of OpenStreetMap's opening_hours syntax that Faro's
// data needs and tells whether a place is open at a given time.
//
// Supported: "24/7"; rules separated by ";" made of an optional selector (weekdays "Mo",
// ranges "Mo-Fr", lists "Mo,We,Fr", and "PH" for public holidays) followed by "off",
// "closed" or time ranges "08:00-13:00,14:00-17:00". A range may end at "24:00" or cross
// midnight ("22:00-02:00"). A later rule replaces earlier ones for the days it selects,
// as in OSM. Months, weeks, sunrise, comments and fallback rules are rejected.
// See https://wiki.openstreetmap.org/wiki/Key:opening_hours/specification
package hours

import (
	"fmt"
	"strings"
)

// day is a weekday index, Monday = 0.
type day int

var dayCodes = [7]string{"Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"}

// span is an opening interval in minutes after midnight; to may exceed 1440 when it
// crosses midnight.
type span struct{ from, to int }

// rule is one ";"-separated part, kept for describing the hours to people.
type rule struct {
	all   bool     // no selector: every day
	days  [][2]day // weekday ranges, inclusive, in the order written
	ph    bool
	off   bool
	spans []span
	is247 bool
}

// Schedule is parsed opening hours. The zero value is not useful; use Parse.
type Schedule struct {
	src    string
	rules  []rule
	week   [7][]span
	ph     []span
	phSet  bool
	always bool
}

// Parse parses an opening_hours value.
func Parse(s string) (*Schedule, error) {
	src := strings.TrimSpace(s)
	if src == "" {
		return nil, fmt.Errorf("empty opening hours")
	}
	sch := &Schedule{src: src}
	for _, part := range strings.Split(src, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		r, err := parseRule(part)
		if err != nil {
			return nil, fmt.Errorf("opening hours %q: %w", src, err)
		}
		sch.apply(r)
		sch.rules = append(sch.rules, r)
	}
	if len(sch.rules) == 0 {
		return nil, fmt.Errorf("opening hours %q: no rule", src)
	}
	sch.always = sch.computeAlways()
	return sch, nil
}

// String returns the value as written.
func (s *Schedule) String() string { return s.src }

func (s *Schedule) apply(r rule) {
	spans := r.spans
	if r.off {
		spans = nil
	}
	if r.all || r.is247 {
		for d := range s.week {
			s.week[d] = spans
		}
		if r.is247 {
			s.ph, s.phSet = spans, true
		}
		return
	}
	for _, rg := range r.days {
		for d := rg[0]; ; d = (d + 1) % 7 {
			s.week[d] = spans
			if d == rg[1] {
				break
			}
		}
	}
	if r.ph {
		s.ph, s.phSet = spans, true
	}
}

func parseRule(part string) (rule, error) {
	if part == "24/7" {
		return rule{is247: true, spans: []span{{0, 1440}}}, nil
	}
	fields := strings.Fields(part)
	var r rule
	rest := fields
	if len(fields) > 0 && startsWithLetterPair(fields[0]) && fields[0] != "off" && fields[0] != "closed" {
		if err := parseSelector(fields[0], &r); err != nil {
			return r, err
		}
		rest = fields[1:]
	} else {
		r.all = true
	}
	switch {
	case len(rest) == 0:
		return r, fmt.Errorf("%q: no times (write 00:00-24:00 for all day)", part)
	case len(rest) > 1:
		return r, fmt.Errorf("%q: unsupported syntax %q", part, strings.Join(rest[1:], " "))
	case rest[0] == "off" || rest[0] == "closed":
		r.off = true
		return r, nil
	case rest[0] == "24/7":
		return r, fmt.Errorf("%q: 24/7 must stand alone (use 00:00-24:00)", part)
	}
	for _, tr := range strings.Split(rest[0], ",") {
		sp, err := parseSpan(tr)
		if err != nil {
			return r, fmt.Errorf("%q: %w", part, err)
		}
		r.spans = append(r.spans, sp)
	}
	return r, nil
}

func startsWithLetterPair(f string) bool {
	return len(f) >= 2 && isLetter(f[0]) && isLetter(f[1])
}

func isLetter(c byte) bool { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') }

func parseSelector(sel string, r *rule) error {
	for _, item := range strings.Split(sel, ",") {
		if item == "PH" {
			r.ph = true
			continue
		}
		a, b, isRange := strings.Cut(item, "-")
		da, ok := dayIndex(a)
		if !ok {
			return fmt.Errorf("unknown day selector %q (use Mo..Su or PH)", item)
		}
		db := da
		if isRange {
			if db, ok = dayIndex(b); !ok {
				return fmt.Errorf("unknown day selector %q", item)
			}
		}
		r.days = append(r.days, [2]day{da, db})
	}
	return nil
}

func dayIndex(s string) (day, bool) {
	for i, c := range dayCodes {
		if s == c {
			return day(i), true
		}
	}
	return 0, false
}

func parseSpan(s string) (span, error) {
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		return span{}, fmt.Errorf("time range %q: want HH:MM-HH:MM", s)
	}
	from, err := parseClock(a, false)
	if err != nil {
		return span{}, err
	}
	to, err := parseClock(b, true)
	if err != nil {
		return span{}, err
	}
	if to <= from {
		to += 1440 // crosses midnight
	}
	if to-from > 1440 {
		return span{}, fmt.Errorf("time range %q longer than a day", s)
	}
	return span{from, to}, nil
}

func parseClock(s string, end bool) (int, error) {
	if len(s) != 5 || s[2] != ':' || !isDigits(s[:2]) || !isDigits(s[3:]) {
		return 0, fmt.Errorf("time %q: want HH:MM", s)
	}
	h := int(s[0]-'0')*10 + int(s[1]-'0')
	m := int(s[3]-'0')*10 + int(s[4]-'0')
	if m > 59 || h > 24 || (h == 24 && (m != 0 || !end)) {
		return 0, fmt.Errorf("time %q out of range", s)
	}
	return h*60 + m, nil
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Always reports whether the place is open all day every day, holidays included.
func (s *Schedule) Always() bool { return s.always }

func (s *Schedule) computeAlways() bool {
	full := func(sp []span) bool {
		for _, x := range sp {
			if x.from == 0 && x.to >= 1440 {
				return true
			}
		}
		return false
	}
	for _, sp := range s.week {
		if !full(sp) {
			return false
		}
	}
	return !s.phSet || full(s.ph)
}
