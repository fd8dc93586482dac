package hours

import (
	"testing"
	"time"
)

var lima = time.FixedZone("-05", -5*60*60)

// at returns a time in Lima.
func at(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, lima)
}

// fiestasPatrias: 28 and 29 July are holidays (a Tuesday and a Wednesday in 2026).
func fiestasPatrias(y int, m time.Month, d int) bool {
	return m == time.July && (d == 28 || d == 29)
}

func TestParseAccepts(t *testing.T) {
	for _, s := range []string{
		"24/7",
		"Mo-Fr 08:00-16:15",
		"Mo-Fr 08:00-16:15; PH off",
		"Mo-Fr 08:00-13:00,14:00-17:00; Sa 09:00-12:00",
		"Fr-Sa 22:00-02:00",
		"Sa-Mo 10:00-12:00",
		"08:00-17:00",
		"Mo-Su 00:00-24:00",
		"Mo,We,Fr 08:00-12:00",
		"Mo-Fr 08:00-18:00; Su off; PH closed",
		"Mo-Fr,PH 09:00-12:00",
	} {
		if _, err := Parse(s); err != nil {
			t.Errorf("Parse(%q): %v", s, err)
		}
	}
}

func TestParseRejects(t *testing.T) {
	for _, s := range []string{
		"", ";", "Mo-Fr", "Mo-Fr 8:00-16:00", "Xx 08:00-10:00", "Mo-Fr 08:00-25:00",
		"Mo-Fr 24:00-08:00", "Jan-Mar 08:00-10:00", "sunrise-sunset", "Mo-Fr 08:00-16:00 \"call first\"",
		"Mo 24/7", "Mo-Fr 08:00", "Mo-Fr 08:60-09:00", "Mo-Fr 08:00-16:00 || PH off", "lunes 08:00-12:00",
	} {
		if _, err := Parse(s); err == nil {
			t.Errorf("Parse(%q) succeeded, want an error", s)
		}
	}
}

func TestEval(t *testing.T) {
	cases := []struct {
		hours  string
		now    time.Time
		open   bool
		always bool
		until  string // Until(now, st.Until, "es")
		opens  string // Opens(now, st.Opens, "es")
	}{
		{"Mo-Fr 08:00-16:15; PH off", at(2026, 11, 30, 10, 0), true, false, "16:15", ""},
		{"Mo-Fr 08:00-16:15; PH off", at(2026, 11, 30, 16, 15), false, false, "", "mañana 08:00"},
		{"Mo-Fr 08:00-16:15; PH off", at(2026, 11, 27, 7, 59), false, false, "", "hoy 08:00"},
		{"Mo-Fr 08:00-16:15; PH off", at(2026, 11, 28, 10, 0), false, false, "", "lun 08:00"},
		// Tuesday and Wednesday 28-29 July are holidays: next opening Thursday.
		{"Mo-Fr 08:00-16:15; PH off", at(2026, 7, 28, 10, 0), false, false, "", "jue 08:00"},
		{"Mo-Fr 08:00-16:15; PH off", at(2026, 7, 27, 18, 0), false, false, "", "jue 08:00"},
		// Without a PH rule, holidays keep the weekday's hours.
		{"Mo-Fr 08:00-16:15", at(2026, 7, 28, 10, 0), true, false, "16:15", ""},
		// Across midnight: Friday and Saturday nights.
		{"Fr-Sa 22:00-02:00", at(2026, 11, 27, 23, 59), true, false, "02:00", ""},
		{"Fr-Sa 22:00-02:00", at(2026, 11, 28, 1, 0), true, false, "02:00", ""},
		{"Fr-Sa 22:00-02:00", at(2026, 11, 29, 1, 30), true, false, "02:00", ""},
		{"Fr-Sa 22:00-02:00", at(2026, 11, 29, 3, 0), false, false, "", "vie 22:00"},
		{"Fr-Sa 22:00-02:00", at(2026, 11, 27, 21, 0), false, false, "", "hoy 22:00"},
		// A day that runs into the next one's early hours closes then.
		{"Mo-Fr 08:00-24:00; Sa 00:00-02:00", at(2026, 11, 27, 23, 0), true, false, "02:00", ""},
		// Open all week days: closes Saturday at midnight, more than a day away.
		{"Mo-Fr 00:00-24:00", at(2026, 11, 30, 10, 0), true, false, "sáb 00:00", ""},
		// Every day except holidays: the eve of a holiday closes at midnight.
		{"Mo-Su 00:00-24:00; PH off", at(2026, 7, 27, 23, 0), true, false, "00:00", ""},
		{"24/7", at(2026, 7, 28, 3, 0), true, true, "", ""},
		{"Mo-Su 00:00-24:00", at(2026, 7, 28, 3, 0), true, true, "", ""},
		{"Su off", at(2026, 11, 29, 12, 0), false, false, "", ""},
	}
	for _, c := range cases {
		s, err := Parse(c.hours)
		if err != nil {
			t.Fatalf("Parse(%q): %v", c.hours, err)
		}
		st := s.Eval(c.now, lima, fiestasPatrias)
		if s.OpenAt(c.now, lima, fiestasPatrias) != st.Open {
			t.Errorf("%q at %s: OpenAt disagrees with Eval", c.hours, c.now)
		}
		until, opens := Until(c.now, st.Until, "es"), Opens(c.now, st.Opens, "es")
		if st.Open != c.open || st.Always != c.always || until != c.until || opens != c.opens {
			t.Errorf("%q at %s: open=%v always=%v until=%q opens=%q; want %v %v %q %q",
				c.hours, c.now.Format("Mon 2006-01-02 15:04"), st.Open, st.Always, until, opens, c.open, c.always, c.until, c.opens)
		}
	}
}

// TestEvalConvertsToLima: a time given in UTC is judged on Lima's clock.
func TestEvalConvertsToLima(t *testing.T) {
	s, _ := Parse("Mo-Fr 08:00-16:15")
	utc := time.Date(2026, 11, 30, 12, 30, 0, 0, time.UTC) // 07:30 in Lima
	if st := s.Eval(utc, lima, nil); st.Open {
		t.Errorf("12:30 UTC is 07:30 in Lima: want closed")
	}
	utc = time.Date(2026, 11, 30, 21, 0, 0, 0, time.UTC) // 16:00 in Lima
	st := s.Eval(utc, lima, nil)
	if !st.Open || Until(utc, st.Until, "es") != "16:15" {
		t.Errorf("21:00 UTC is 16:00 in Lima: want open until 16:15, got %+v", st)
	}
}

func TestDescribe(t *testing.T) {
	cases := []struct{ hours, lang, want string }{
		{"Mo-Fr 08:00-16:15; PH off", "es", "lun–vie 08:00–16:15; feriados: cerrado"},
		{"Mo-Fr 08:00-16:15; PH off", "en", "Mon–Fri 08:00–16:15; public holidays: closed"},
		{"Mo-Fr 08:00-16:15; PH off", "qu", "lun–vie 08:00–16:15; feriadokuna: wisq'asqa"},
		{"Mo-Fr 08:00-16:15; PH off", "pt", "seg–sex 08:00–16:15; feriados: fechado"},
		{"Mo-Fr 08:00-16:15; PH off", "ay", "lun–vie 08:00–16:15; feriados: cerrado"},
		{"24/7", "pt", "24 horas, todos os dias"},
		{"24/7", "es", "24 horas, todos los días"},
		{"24/7", "en", "24 hours, every day"},
		{"08:00-17:00", "es", "todos los días 08:00–17:00"},
		{"Mo,We 08:00-12:00,14:00-18:00; Sa 09:00-13:00", "en", "Mon, Wed 08:00–12:00, 14:00–18:00; Sat 09:00–13:00"},
		{"Fr-Sa 22:00-02:00", "es", "vie–sáb 22:00–02:00"},
	}
	for _, c := range cases {
		s, err := Parse(c.hours)
		if err != nil {
			t.Fatal(err)
		}
		if got := s.Describe(c.lang); got != c.want {
			t.Errorf("Describe(%q, %s) = %q, want %q", c.hours, c.lang, got, c.want)
		}
	}
}

func TestOpensInEnglish(t *testing.T) {
	now := at(2026, 11, 27, 18, 0) // Friday
	for _, c := range []struct {
		t    time.Time
		want string
	}{
		{at(2026, 11, 27, 20, 0), "today 20:00"},
		{at(2026, 11, 28, 8, 0), "tomorrow 08:00"},
		{at(2026, 11, 30, 8, 0), "Mon 08:00"},
	} {
		if got := Opens(now, c.t, "en"); got != c.want {
			t.Errorf("Opens(%s) = %q, want %q", c.t, got, c.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"24/7", "Mo-Fr 08:00-16:15; PH off", "Fr-Sa 22:00-02:00", "Mo,We 08:00-12:00,14:00-18:00", "Su off", ";;", "PH 24:00-24:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sch, err := Parse(s)
		if err != nil {
			return
		}
		now := at(2026, 11, 27, 12, 0)
		st := sch.Eval(now, lima, fiestasPatrias)
		if sch.OpenAt(now, lima, fiestasPatrias) != st.Open {
			t.Errorf("%q: OpenAt disagrees with Eval", s)
		}
		if st.Open && !st.Opens.IsZero() {
			t.Errorf("%q: open with a next opening", s)
		}
		if !st.Open && !st.Until.IsZero() {
			t.Errorf("%q: closed with a closing time", s)
		}
		if !st.Opens.IsZero() && !st.Opens.After(now) {
			t.Errorf("%q: next opening %v not after now", s, st.Opens)
		}
		_ = sch.Describe("es")
	})
}
