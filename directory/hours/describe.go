package hours

import (
	"fmt"
	"strings"
	"time"
)

// words are the few words the descriptions need, per language. Unknown languages use
// Spanish, Faro's first language.
type words struct {
	days                               [7]string
	holidays, closed, allDay, everyDay string
	today, tomorrow                    string
}

var lexicon = map[string]words{
	"es": {
		days:     [7]string{"lun", "mar", "mié", "jue", "vie", "sáb", "dom"},
		holidays: "feriados", closed: "cerrado", allDay: "24 horas", everyDay: "todos los días",
		today: "hoy", tomorrow: "mañana",
	},
	"en": {
		days:     [7]string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"},
		holidays: "public holidays", closed: "closed", allDay: "24 hours", everyDay: "every day",
		today: "today", tomorrow: "tomorrow",
	},
	"pt": {
		days:     [7]string{"seg", "ter", "qua", "qui", "sex", "sáb", "dom"},
		holidays: "feriados", closed: "fechado", allDay: "24 horas", everyDay: "todos os dias",
		today: "hoje", tomorrow: "amanhã",
	},
	// Southern Quechua (draft, like locales/qu.toml): days keep the Spanish names people
	// use and hear at the services.
	"qu": {
		days:     [7]string{"lun", "mar", "mié", "jue", "vie", "sáb", "dom"},
		holidays: "feriadokuna", closed: "wisq'asqa", allDay: "24 horas", everyDay: "sapa p'unchaw",
		today: "kunan p'unchaw", tomorrow: "paqarin",
	},
}

// Languages are those Describe, Until and Opens write; others get Spanish.
var Languages = []string{"es", "en", "pt", "qu"}

func lex(lang string) words {
	if w, ok := lexicon[lang]; ok {
		return w
	}
	return lexicon["es"]
}

// Describe writes the hours for people in lang ("lun–vie 08:00–16:15; feriados: cerrado").
func (s *Schedule) Describe(lang string) string {
	w := lex(lang)
	if s.Always() {
		return w.allDay + ", " + w.everyDay
	}
	var parts []string
	for _, r := range s.rules {
		var sel []string
		if r.all {
			sel = append(sel, w.everyDay)
		}
		for _, rg := range r.days {
			if rg[0] == rg[1] {
				sel = append(sel, w.days[rg[0]])
			} else {
				sel = append(sel, w.days[rg[0]]+"–"+w.days[rg[1]])
			}
		}
		if r.ph {
			sel = append(sel, w.holidays)
		}
		var times []string
		for _, sp := range r.spans {
			if sp.from == 0 && sp.to == 1440 {
				times = append(times, w.allDay)
				continue
			}
			times = append(times, clock(sp.from)+"–"+clock(sp.to))
		}
		t := strings.Join(times, ", ")
		if r.off {
			parts = append(parts, strings.Join(sel, ", ")+": "+w.closed)
		} else {
			parts = append(parts, strings.Join(sel, ", ")+" "+t)
		}
	}
	return strings.Join(parts, "; ")
}

func clock(min int) string {
	min %= 1440
	if min == 0 {
		return "00:00"
	}
	return fmt.Sprintf("%02d:%02d", min/60, min%60)
}

// Until writes a closing time seen from now: "16:00" when it is less than a day away,
// otherwise with the weekday ("sáb 00:00").
func Until(now, t time.Time, lang string) string {
	if t.IsZero() {
		return ""
	}
	if t.Sub(now) < 24*time.Hour {
		return t.Format("15:04")
	}
	return weekday(t, lang) + " " + t.Format("15:04")
}

// Opens writes an opening time seen from now: "hoy 14:00", "mañana 08:00" or "lun 08:00"
// (in lang).
func Opens(now, t time.Time, lang string) string {
	if t.IsZero() {
		return ""
	}
	w := lex(lang)
	now = now.In(t.Location())
	ny, nm, nd := now.Date()
	ty, tm, td := t.Date()
	today := time.Date(ny, nm, nd, 0, 0, 0, 0, t.Location())
	switch {
	case ny == ty && nm == tm && nd == td:
		return w.today + " " + t.Format("15:04")
	case today.AddDate(0, 0, 1).Equal(time.Date(ty, tm, td, 0, 0, 0, 0, t.Location())):
		return w.tomorrow + " " + t.Format("15:04")
	}
	return weekday(t, lang) + " " + t.Format("15:04")
}

func weekday(t time.Time, lang string) string {
	return lex(lang).days[(int(t.Weekday())+6)%7]
}
